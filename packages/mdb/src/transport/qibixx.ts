import type { PeripheralReply } from "../link.js";

/**
 * The ASCII line protocol of Qibixx MDB Pi HAT / MDB-USB adapters in master mode (115200 baud;
 * the adapter ends its lines with CR LF, and either ending is read): `V` (version, answered
 * `v,...`), `M,1` (master mode, answered `m,ACK`), `R,<address byte>[,<data>]` (a raw request;
 * the adapter adds the mode bit and CHK and answers with one line), `R,RESET` (an MDB bus reset:
 * the line held active for at least 100 ms, answered like a request). These are the commands public code for the MDB-USB uses (maehw/
 * mdb-coin-controller); the answer to `R` is read as two characters of prefix then `ACK`,
 * `NACK` or the reply's data bytes in hex. The prefix and words are constants here, so an
 * adapter whose firmware differs can be matched without code changes.
 */
export const QIBIXX = {
  baudRate: 115200,
  version: "V",
  masterMode: "M,1",
  masterModeOk: "m,ACK",
  request: "R",
  busReset: "R,RESET",
  /** What the adapter ends its lines with. */
  lineEnd: "\r\n",
  replyPrefixLength: 2,
  ack: "ACK",
  nack: "NACK",
} as const;

export type QibixxConstants = typeof QIBIXX;

const hex = (bytes: ArrayLike<number>) =>
  Array.from(bytes, (b) => (b & 0xff).toString(16).toUpperCase().padStart(2, "0")).join("");

/** Even-length hexadecimal (checked by the caller's pattern) as bytes. */
function fromHex(text: string): Uint8Array {
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The request line for a block (address byte first, CHK excluded). */
export function requestLine(block: ArrayLike<number>, c: QibixxConstants = QIBIXX): string {
  const [address, ...data] = Array.from(block);
  return `${c.request},${hex([address ?? 0])}${data.length > 0 ? `,${hex(data)}` : ""}\n`;
}

/**
 * Reads a request line back into a block, or `"bus-reset"` for `R,RESET` (what an emulated
 * adapter does); undefined for anything else.
 */
export function parseRequestLine(
  line: string,
  c: QibixxConstants = QIBIXX,
): Uint8Array | "bus-reset" | undefined {
  if (line.trim() === c.busReset) return "bus-reset";
  const m = new RegExp(`^${c.request},([0-9A-Fa-f]{2})(?:,((?:[0-9A-Fa-f]{2})+))?$`).exec(line.trim());
  if (m === null) return undefined;
  return fromHex(`${m[1]}${m[2] ?? ""}`);
}

/** An adapter's answer line as a peripheral reply. */
export function parseReplyLine(line: string, c: QibixxConstants = QIBIXX): PeripheralReply {
  const body = line.trim().slice(c.replyPrefixLength);
  if (body === c.ack) return { kind: "ack" };
  // docs.qibixx.com: NACK means the peripheral did not answer in time, not an MDB NAK byte
  if (body === c.nack)
    return {
      kind: "error",
      code: "TIMEOUT",
      at: 0,
      detail: "the peripheral did not answer (adapter said NACK)",
    };
  if (/^(?:[0-9A-Fa-f]{2})+$/.test(body)) return { kind: "data", bytes: fromHex(body) };
  return { kind: "error", code: "TIMEOUT", at: 0, detail: `adapter said "${line.trim()}"` };
}

/** The answer line an adapter sends for a peripheral's reply (for emulated adapters). */
export function replyLine(
  reply: Uint8Array | "ack" | "nack",
  prefix = "p,",
  c: QibixxConstants = QIBIXX,
): string {
  const body = reply === "ack" ? c.ack : reply === "nack" ? c.nack : hex(reply);
  return `${prefix}${body}${c.lineEnd}`;
}
