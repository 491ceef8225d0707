import {
  ascii,
  bytes,
  type MessageOf,
  type MessageProblem,
  MessageTable,
  message,
  optionalUint,
  uint,
} from "@vendkit/machine";
import { commandOf } from "../link.js";
import { type CashlessContext, moneyBytes } from "./context.js";

/** Money as the context has it: 2 bytes, or 4 once 32-bit money is enabled. */
const money = <N extends string>(name: N) => uint<N, CashlessContext>(name, moneyBytes);
const item = uint("item", 2);

/**
 * Everything a VMC sends a cashless device (MDB/ICP 4.3 §7.4), each command declared once:
 * its head is the command (the address byte's low three bits) and the sub-command, then its
 * fields. Money in scaled units.
 */
export const CASHLESS_COMMANDS = new MessageTable("MDB cashless command", [
  message("reset", [0]),
  message(
    "setup-config",
    [1, 0],
    uint("vmcLevel", 1),
    uint("columns", 1),
    uint("rows", 1),
    uint("displayInfo", 1),
  ),
  message(
    "setup-prices",
    [1, 1],
    uint("max", (ctx: CashlessContext) => (ctx.expanded ? 4 : 2)),
    uint("min", (ctx: CashlessContext) => (ctx.expanded ? 4 : 2)),
    optionalUint("currency", (ctx: CashlessContext) => (ctx.expanded ? 2 : 0)),
  ),
  message("poll", [2]),
  message("vend-request", [3, 0], money("price"), item),
  message("vend-cancel", [3, 1]),
  message("vend-success", [3, 2], item),
  message("vend-failure", [3, 3]),
  message("session-complete", [3, 4]),
  message("cash-sale", [3, 5], money("price"), item),
  message("negative-vend", [3, 6], money("price"), item),
  message("reader-disable", [4, 0]),
  message("reader-enable", [4, 1]),
  message("reader-cancel", [4, 2]),
  message("data-entry-response", [4, 3], bytes("data", 8)),
  message("revalue-request", [5, 0], money("amount")),
  message("revalue-limit-request", [5, 1]),
  message(
    "request-id",
    [7, 0],
    ascii("manufacturer", 3),
    ascii("serial", 12),
    ascii("model", 12),
    uint("version", 2),
  ),
  message("write-time-date", [7, 3], bytes("bcd", 10)),
  message("enable-options", [7, 4], uint("options", 4)),
  message("diagnostics", [7, 0xff], bytes("data", "rest")),
]);

export type CashlessCommand = MessageOf<(typeof CASHLESS_COMMANDS.defs)[number]>;

/** The block as the table reads it: the command in place of the address byte. */
const unaddressed = (block: ArrayLike<number>): number[] => {
  const list = Array.from(block);
  if (list.length > 0) list[0] = commandOf(list[0] as number);
  return list;
};

/** The length of a cashless command block (address byte included, CHK excluded), once known. */
export function commandLength(bytes: readonly number[], ctx: CashlessContext): number | undefined {
  // the length follows from the head alone: the command and, where there is one, the sub-command
  const cmd = commandOf(bytes[0] as number);
  return CASHLESS_COMMANDS.length(bytes.length >= 2 ? [cmd, bytes[1] as number] : [cmd], ctx);
}

/** Decodes a command block (address byte first, CHK removed); a problem names the command and the byte. */
export function decodeCommand(
  bytes: ArrayLike<number>,
  ctx: CashlessContext,
): { readonly ok: true; readonly command: CashlessCommand } | MessageProblem {
  const decoded = CASHLESS_COMMANDS.decode(unaddressed(bytes), ctx);
  return decoded.ok ? { ok: true, command: decoded.message } : decoded;
}

/** Encodes a command for the cashless device at `address` (0x10 or 0x60), CHK excluded. */
export function encodeCommand(command: CashlessCommand, address: number, ctx: CashlessContext): Uint8Array {
  const out = CASHLESS_COMMANDS.encode(command, ctx);
  out[0] = address | (out[0] as number);
  return out;
}
