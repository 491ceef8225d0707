import { type CashlessContext, moneyBytes, readUint, writeUint } from "./context.js";

/** Everything a cashless device answers (MDB/ICP 4.3 §7.4.4), decoded. Money in scaled units. */
export type CashlessResponse =
  | { readonly type: "just-reset" }
  | {
      readonly type: "reader-config";
      readonly level: number;
      /** Country or currency code as 4 BCD digits, e.g. 0x1978 for EUR. */
      readonly currency: number;
      readonly scale: number;
      readonly decimals: number;
      readonly maxResponseTime: number;
      /** b0 refund, b1 multivend, b2 own display, b3 cash sale. */
      readonly options: number;
    }
  | { readonly type: "display-request"; readonly time: number; readonly text: string }
  | {
      readonly type: "begin-session";
      /** 0xFFFF (0xFFFFFFFF expanded): funds unknown. */
      readonly funds: number;
      readonly mediaId?: number;
      readonly paymentType?: number;
      readonly paymentData?: number;
      readonly language?: number;
      readonly currency?: number;
      readonly cardOptions?: number;
    }
  | { readonly type: "session-cancel-request" }
  | { readonly type: "vend-approved"; readonly amount: number }
  | { readonly type: "vend-denied" }
  | { readonly type: "end-session" }
  | { readonly type: "cancelled" }
  | {
      readonly type: "peripheral-id";
      readonly manufacturer: string;
      readonly serial: string;
      readonly model: string;
      readonly version: number;
      /** L3 only: the optional features the reader offers. */
      readonly options?: number;
    }
  | { readonly type: "malfunction"; readonly code: number }
  | { readonly type: "out-of-sequence"; readonly status?: number }
  | { readonly type: "revalue-approved" }
  | { readonly type: "revalue-denied" }
  | { readonly type: "revalue-limit"; readonly amount: number }
  | { readonly type: "time-date-request" }
  /** L3 option b4: ask the VMC for keypad input; `spec` is the length and repeat byte. */
  | { readonly type: "data-entry-request"; readonly spec: number }
  | { readonly type: "data-entry-cancel" };

const CODES = {
  "just-reset": 0x00,
  "reader-config": 0x01,
  "display-request": 0x02,
  "begin-session": 0x03,
  "session-cancel-request": 0x04,
  "vend-approved": 0x05,
  "vend-denied": 0x06,
  "end-session": 0x07,
  cancelled: 0x08,
  "peripheral-id": 0x09,
  malfunction: 0x0a,
  "out-of-sequence": 0x0b,
  "revalue-approved": 0x0d,
  "revalue-denied": 0x0e,
  "revalue-limit": 0x0f,
  "time-date-request": 0x11,
  "data-entry-request": 0x12,
  "data-entry-cancel": 0x13,
} as const;

const ascii = (bytes: ArrayLike<number>, at: number, n: number) =>
  String.fromCharCode(...Array.from({ length: n }, (_, i) => bytes[at + i] as number));
const pad = (s: string, n: number) =>
  Array.from(s.padEnd(n, " ").slice(0, n), (ch) => ch.charCodeAt(0) & 0xff);

/** Appends one response's bytes. */
export function encodeResponse(r: CashlessResponse, ctx: CashlessContext, out: number[] = []): number[] {
  const m = moneyBytes(ctx);
  out.push(CODES[r.type]);
  switch (r.type) {
    case "reader-config":
      out.push(r.level);
      writeUint(out, r.currency, 2);
      out.push(r.scale, r.decimals, r.maxResponseTime, r.options);
      break;
    case "display-request":
      out.push(r.time, ...pad(r.text, Math.min(32, r.text.length)));
      break;
    case "begin-session":
      writeUint(out, r.funds, m);
      if (ctx.level >= 2) {
        writeUint(out, r.mediaId ?? 0, 4);
        out.push(r.paymentType ?? 0);
        writeUint(out, r.paymentData ?? 0, 2);
        if (ctx.expanded) {
          writeUint(out, r.language ?? 0, 2);
          writeUint(out, r.currency ?? 0, 2);
          out.push(r.cardOptions ?? 0);
        }
      }
      break;
    case "vend-approved":
    case "revalue-limit":
      writeUint(out, r.amount, m);
      break;
    case "peripheral-id":
      out.push(...pad(r.manufacturer, 3), ...pad(r.serial, 12), ...pad(r.model, 12));
      writeUint(out, r.version, 2);
      if (ctx.level >= 3) writeUint(out, r.options ?? 0, 4);
      break;
    case "malfunction":
      out.push(r.code);
      break;
    case "data-entry-request":
      out.push(r.spec);
      break;
    case "out-of-sequence":
      if (ctx.level >= 2) out.push(r.status ?? 0);
      break;
  }
  return out;
}

export type ResponseProblem = {
  readonly ok: false;
  readonly code: "UNKNOWN_RESPONSE" | "TRUNCATED";
  readonly at: number;
};

/**
 * Splits a poll reply into responses. Responses are concatenated without lengths (§7.4.4), so
 * their lengths come from the negotiated level and currency mode in `ctx`. A display request
 * takes the rest of the block.
 */
export function decodeResponses(
  bytes: ArrayLike<number>,
  ctx: CashlessContext,
): { readonly ok: true; readonly responses: CashlessResponse[] } | ResponseProblem {
  const b = Array.from(bytes);
  const m = moneyBytes(ctx);
  const out: CashlessResponse[] = [];
  let i = 0;
  const need = (n: number) => i + n <= b.length;
  while (i < b.length) {
    const code = b[i] as number;
    const at = i;
    i++;
    const truncated = { ok: false as const, code: "TRUNCATED" as const, at };
    switch (code) {
      case 0x00:
        out.push({ type: "just-reset" });
        break;
      case 0x01:
        if (!need(7)) return truncated;
        out.push({
          type: "reader-config",
          level: b[i] as number,
          currency: readUint(b, i + 1, 2),
          scale: b[i + 3] as number,
          decimals: b[i + 4] as number,
          maxResponseTime: b[i + 5] as number,
          options: b[i + 6] as number,
        });
        i += 7;
        break;
      case 0x02:
        if (!need(1)) return truncated;
        out.push({ type: "display-request", time: b[i] as number, text: ascii(b, i + 1, b.length - i - 1) });
        i = b.length;
        break;
      case 0x03: {
        const n = ctx.level === 1 ? m : ctx.expanded ? m + 12 : m + 7;
        if (!need(n)) return truncated;
        const funds = readUint(b, i, m);
        if (ctx.level === 1) out.push({ type: "begin-session", funds });
        else {
          const base = {
            type: "begin-session" as const,
            funds,
            mediaId: readUint(b, i + m, 4),
            paymentType: b[i + m + 4] as number,
            paymentData: readUint(b, i + m + 5, 2),
          };
          out.push(
            ctx.expanded
              ? {
                  ...base,
                  language: readUint(b, i + m + 7, 2),
                  currency: readUint(b, i + m + 9, 2),
                  cardOptions: b[i + m + 11] as number,
                }
              : base,
          );
        }
        i += n;
        break;
      }
      case 0x04:
        out.push({ type: "session-cancel-request" });
        break;
      case 0x05:
      case 0x0f:
        if (!need(m)) return truncated;
        out.push({ type: code === 0x05 ? "vend-approved" : "revalue-limit", amount: readUint(b, i, m) });
        i += m;
        break;
      case 0x06:
        out.push({ type: "vend-denied" });
        break;
      case 0x07:
        out.push({ type: "end-session" });
        break;
      case 0x08:
        out.push({ type: "cancelled" });
        break;
      case 0x09: {
        const n = ctx.level >= 3 ? 33 : 29;
        if (!need(n)) return truncated;
        const id = {
          type: "peripheral-id" as const,
          manufacturer: ascii(b, i, 3),
          serial: ascii(b, i + 3, 12),
          model: ascii(b, i + 15, 12),
          version: readUint(b, i + 27, 2),
        };
        out.push(ctx.level >= 3 ? { ...id, options: readUint(b, i + 29, 4) } : id);
        i += n;
        break;
      }
      case 0x0a:
        if (!need(1)) return truncated;
        out.push({ type: "malfunction", code: b[i] as number });
        i += 1;
        break;
      case 0x0b:
        if (ctx.level >= 2) {
          if (!need(1)) return truncated;
          out.push({ type: "out-of-sequence", status: b[i] as number });
          i += 1;
        } else out.push({ type: "out-of-sequence" });
        break;
      case 0x0d:
        out.push({ type: "revalue-approved" });
        break;
      case 0x0e:
        out.push({ type: "revalue-denied" });
        break;
      case 0x11:
        out.push({ type: "time-date-request" });
        break;
      case 0x12:
        if (!need(1)) return truncated;
        out.push({ type: "data-entry-request", spec: b[i] as number });
        i += 1;
        break;
      case 0x13:
        out.push({ type: "data-entry-cancel" });
        break;
      default:
        return { ok: false, code: "UNKNOWN_RESPONSE", at };
    }
  }
  return { ok: true, responses: out };
}
