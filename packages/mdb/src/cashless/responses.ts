import { ascii, type MessageOf, MessageTable, message, optionalUint, uint } from "@vendkit/machine";
import { type CashlessContext, moneyBytes } from "./context.js";

/** Money as the context has it: 2 bytes, or 4 once 32-bit money is enabled. */
const money = <N extends string>(name: N) => uint<N, CashlessContext>(name, moneyBytes);
/** Present from level 2 on. */
const level2 = (n: number) => (ctx: CashlessContext) => (ctx.level >= 2 ? n : 0);
/** Present at level 3 only. */
const level3 = (n: number) => (ctx: CashlessContext) => (ctx.level >= 3 ? n : 0);
/** Present from level 2 on with 32-bit money. */
const expanded = (n: number) => (ctx: CashlessContext) => (ctx.level >= 2 && ctx.expanded ? n : 0);

/**
 * Everything a cashless device answers (MDB/ICP 4.3 §7.4.4), each response declared once: its
 * code, then its fields, some present only at a level or with 32-bit money (the context). Money
 * in scaled units; funds 0xFFFF (0xFFFFFFFF expanded) mean unknown; currency as 4 BCD digits
 * (0x1978 for EUR); reader-config options b0 refund, b1 multivend, b2 own display, b3 cash sale;
 * a data entry request's `spec` is the length and repeat byte (L3 option b4).
 */
export const CASHLESS_RESPONSES = new MessageTable("MDB cashless response", [
  message("just-reset", [0x00]),
  message(
    "reader-config",
    [0x01],
    uint("level", 1),
    uint("currency", 2),
    uint("scale", 1),
    uint("decimals", 1),
    uint("maxResponseTime", 1),
    uint("options", 1),
  ),
  message("display-request", [0x02], uint("time", 1), ascii("text", "rest")),
  message(
    "begin-session",
    [0x03],
    money("funds"),
    optionalUint("mediaId", level2(4)),
    optionalUint("paymentType", level2(1)),
    optionalUint("paymentData", level2(2)),
    optionalUint("language", expanded(2)),
    optionalUint("currency", expanded(2)),
    optionalUint("cardOptions", expanded(1)),
  ),
  message("session-cancel-request", [0x04]),
  message("vend-approved", [0x05], money("amount")),
  message("vend-denied", [0x06]),
  message("end-session", [0x07]),
  message("cancelled", [0x08]),
  message(
    "peripheral-id",
    [0x09],
    ascii("manufacturer", 3),
    ascii("serial", 12),
    ascii("model", 12),
    uint("version", 2),
    optionalUint("options", level3(4)),
  ),
  message("malfunction", [0x0a], uint("code", 1)),
  message("out-of-sequence", [0x0b], optionalUint("status", level2(1))),
  message("revalue-approved", [0x0d]),
  message("revalue-denied", [0x0e]),
  message("revalue-limit", [0x0f], money("amount")),
  message("time-date-request", [0x11]),
  message("data-entry-request", [0x12], uint("spec", 1)),
  message("data-entry-cancel", [0x13]),
]);

export type CashlessResponse = MessageOf<(typeof CASHLESS_RESPONSES.defs)[number]>;

/** Appends one response's bytes. */
export function encodeResponse(r: CashlessResponse, ctx: CashlessContext, out: number[] = []): number[] {
  for (const b of CASHLESS_RESPONSES.encode(r, ctx)) out.push(b);
  return out;
}

export type ResponseProblem = {
  readonly ok: false;
  readonly code: "UNKNOWN_RESPONSE" | "TRUNCATED";
  /** Where the response that failed starts. */
  readonly at: number;
  /** Which response it was, when its code named one. */
  readonly message?: string;
};

/**
 * Splits a poll reply into responses. Responses are concatenated without lengths (§7.4.4), so
 * their lengths come from the table, with the negotiated level and currency mode in `ctx`. A
 * display request takes the rest of the block.
 */
export function decodeResponses(
  bytes: ArrayLike<number>,
  ctx: CashlessContext,
): { readonly ok: true; readonly responses: CashlessResponse[] } | ResponseProblem {
  const b = Array.from(bytes);
  const out: CashlessResponse[] = [];
  for (let at = 0; at < b.length; ) {
    const rest = b.slice(at);
    const def = CASHLESS_RESPONSES.identify(rest);
    if (def === undefined) return { ok: false, code: "UNKNOWN_RESPONSE", at };
    const n = CASHLESS_RESPONSES.length(rest, ctx) ?? rest.length;
    const decoded = n <= rest.length ? CASHLESS_RESPONSES.decode(rest.slice(0, n), ctx) : undefined;
    if (decoded === undefined || !decoded.ok) return { ok: false, code: "TRUNCATED", at, message: def.type };
    out.push(decoded.message);
    at += n;
  }
  return { ok: true, responses: out };
}
