import { commandOf } from "../link.js";
import { type CashlessContext, moneyBytes, readUint, writeUint } from "./context.js";

/** Everything a VMC sends a cashless device (MDB/ICP 4.3 §7.4), decoded. Money in scaled units. */
export type CashlessCommand =
  | { readonly type: "reset" }
  | {
      readonly type: "setup-config";
      readonly vmcLevel: number;
      readonly columns: number;
      readonly rows: number;
      readonly displayInfo: number;
    }
  | { readonly type: "setup-prices"; readonly max: number; readonly min: number; readonly currency?: number }
  | { readonly type: "poll" }
  | { readonly type: "vend-request"; readonly price: number; readonly item: number }
  | { readonly type: "vend-cancel" }
  | { readonly type: "vend-success"; readonly item: number }
  | { readonly type: "vend-failure" }
  | { readonly type: "session-complete" }
  | { readonly type: "cash-sale"; readonly price: number; readonly item: number }
  | { readonly type: "negative-vend"; readonly price: number; readonly item: number }
  | { readonly type: "reader-disable" }
  | { readonly type: "reader-enable" }
  | { readonly type: "reader-cancel" }
  | { readonly type: "data-entry-response"; readonly data: readonly number[] }
  | { readonly type: "revalue-request"; readonly amount: number }
  | { readonly type: "revalue-limit-request" }
  | {
      readonly type: "request-id";
      readonly manufacturer: string;
      readonly serial: string;
      readonly model: string;
      readonly version: number;
    }
  | { readonly type: "write-time-date"; readonly bcd: readonly number[] }
  | { readonly type: "enable-options"; readonly options: number }
  | { readonly type: "diagnostics"; readonly data: readonly number[] };

const C = { reset: 0, setup: 1, poll: 2, vend: 3, reader: 4, revalue: 5, expansion: 7 } as const;

/** The length of a cashless command block (address byte included, CHK excluded), once known. */
export function commandLength(bytes: readonly number[], ctx: CashlessContext): number | undefined {
  const cmd = commandOf(bytes[0] as number);
  if (cmd === C.reset || cmd === C.poll) return 1;
  if (bytes.length < 2) return undefined;
  const sub = bytes[1] as number;
  const m = moneyBytes(ctx);
  switch (cmd) {
    case C.setup:
      return sub === 0 ? 6 : sub === 1 ? (ctx.expanded ? 12 : 6) : undefined;
    case C.vend:
      if (sub === 0 || sub === 5 || sub === 6) return 2 + m + 2;
      if (sub === 2) return 4;
      return sub <= 4 ? 2 : undefined;
    case C.reader:
      return sub <= 2 ? 2 : sub === 3 ? 10 : undefined;
    case C.revalue:
      return sub === 0 ? 2 + m : sub === 1 ? 2 : undefined;
    case C.expansion:
      return sub === 0 ? 31 : sub === 3 ? 12 : sub === 4 ? 6 : undefined;
    default:
      return undefined;
  }
}

export type CommandProblem = {
  readonly ok: false;
  readonly code: "UNKNOWN_COMMAND" | "WRONG_LENGTH";
  readonly detail: string;
};

const ascii = (bytes: ArrayLike<number>, at: number, n: number) =>
  String.fromCharCode(...Array.from({ length: n }, (_, i) => bytes[at + i] as number));

/** Decodes a command block (address byte first, CHK removed). */
export function decodeCommand(
  bytes: ArrayLike<number>,
  ctx: CashlessContext,
): { readonly ok: true; readonly command: CashlessCommand } | CommandProblem {
  const list = Array.from(bytes);
  const cmd = commandOf(list[0] ?? 0);
  const sub = list[1] ?? -1;
  const m = moneyBytes(ctx);
  const want = commandLength(list, ctx);
  if (want === undefined && !(cmd === C.expansion && sub === 0xff)) {
    return { ok: false, code: "UNKNOWN_COMMAND", detail: `command ${cmd} sub ${sub}` };
  }
  if (want !== undefined && list.length !== want) {
    return { ok: false, code: "WRONG_LENGTH", detail: `${list.length} bytes, expected ${want}` };
  }
  const ok = (command: CashlessCommand) => ({ ok: true as const, command });
  switch (cmd) {
    case C.reset:
      return ok({ type: "reset" });
    case C.poll:
      return ok({ type: "poll" });
    case C.setup:
      if (sub === 0) {
        return ok({
          type: "setup-config",
          vmcLevel: list[2] as number,
          columns: list[3] as number,
          rows: list[4] as number,
          displayInfo: list[5] as number,
        });
      }
      return ctx.expanded
        ? ok({
            type: "setup-prices",
            max: readUint(list, 2, 4),
            min: readUint(list, 6, 4),
            currency: readUint(list, 10, 2),
          })
        : ok({ type: "setup-prices", max: readUint(list, 2, 2), min: readUint(list, 4, 2) });
    case C.vend: {
      const price = readUint(list, 2, m);
      const item = readUint(list, 2 + m, 2);
      switch (sub) {
        case 0:
          return ok({ type: "vend-request", price, item });
        case 1:
          return ok({ type: "vend-cancel" });
        case 2:
          return ok({ type: "vend-success", item: readUint(list, 2, 2) });
        case 3:
          return ok({ type: "vend-failure" });
        case 4:
          return ok({ type: "session-complete" });
        case 5:
          return ok({ type: "cash-sale", price, item });
        default:
          return ok({ type: "negative-vend", price, item });
      }
    }
    case C.reader:
      if (sub === 3) return ok({ type: "data-entry-response", data: list.slice(2, 10) });
      return ok({ type: sub === 0 ? "reader-disable" : sub === 1 ? "reader-enable" : "reader-cancel" });
    case C.revalue:
      return ok(
        sub === 0
          ? { type: "revalue-request", amount: readUint(list, 2, m) }
          : { type: "revalue-limit-request" },
      );
    default:
      if (sub === 0) {
        return ok({
          type: "request-id",
          manufacturer: ascii(list, 2, 3),
          serial: ascii(list, 5, 12),
          model: ascii(list, 17, 12),
          version: readUint(list, 29, 2),
        });
      }
      if (sub === 3) return ok({ type: "write-time-date", bcd: list.slice(2, 12) });
      if (sub === 4) return ok({ type: "enable-options", options: readUint(list, 2, 4) });
      return ok({ type: "diagnostics", data: list.slice(2) });
  }
}

const pad = (s: string, n: number) =>
  Array.from(s.padEnd(n, " ").slice(0, n), (ch) => ch.charCodeAt(0) & 0xff);

/** Encodes a command for the cashless device at `address` (0x10 or 0x60), CHK excluded. */
export function encodeCommand(command: CashlessCommand, address: number, ctx: CashlessContext): Uint8Array {
  const m = moneyBytes(ctx);
  const out: number[] = [];
  const head = (cmd: number, sub?: number) => {
    out.push(address | cmd);
    if (sub !== undefined) out.push(sub);
  };
  switch (command.type) {
    case "reset":
      head(C.reset);
      break;
    case "poll":
      head(C.poll);
      break;
    case "setup-config":
      head(C.setup, 0);
      out.push(command.vmcLevel, command.columns, command.rows, command.displayInfo);
      break;
    case "setup-prices":
      head(C.setup, 1);
      writeUint(out, command.max, ctx.expanded ? 4 : 2);
      writeUint(out, command.min, ctx.expanded ? 4 : 2);
      if (ctx.expanded) writeUint(out, command.currency ?? 0, 2);
      break;
    case "vend-request":
    case "cash-sale":
    case "negative-vend":
      head(C.vend, command.type === "vend-request" ? 0 : command.type === "cash-sale" ? 5 : 6);
      writeUint(out, command.price, m);
      writeUint(out, command.item, 2);
      break;
    case "vend-cancel":
      head(C.vend, 1);
      break;
    case "vend-success":
      head(C.vend, 2);
      writeUint(out, command.item, 2);
      break;
    case "vend-failure":
      head(C.vend, 3);
      break;
    case "session-complete":
      head(C.vend, 4);
      break;
    case "reader-disable":
      head(C.reader, 0);
      break;
    case "reader-enable":
      head(C.reader, 1);
      break;
    case "reader-cancel":
      head(C.reader, 2);
      break;
    case "data-entry-response":
      head(C.reader, 3);
      out.push(...command.data.slice(0, 8));
      break;
    case "revalue-request":
      head(C.revalue, 0);
      writeUint(out, command.amount, m);
      break;
    case "revalue-limit-request":
      head(C.revalue, 1);
      break;
    case "request-id":
      head(C.expansion, 0);
      out.push(...pad(command.manufacturer, 3), ...pad(command.serial, 12), ...pad(command.model, 12));
      writeUint(out, command.version, 2);
      break;
    case "write-time-date":
      head(C.expansion, 3);
      out.push(...command.bcd.slice(0, 10));
      break;
    case "enable-options":
      head(C.expansion, 4);
      writeUint(out, command.options, 4);
      break;
    case "diagnostics":
      head(C.expansion, 0xff);
      out.push(...command.data);
      break;
  }
  return Uint8Array.from(out);
}
