import { crc16Update } from "@vendkit/evadts";

/**
 * DDCMP messages (DEC DDCMP Functional Specification 4.1): a data message (SOH 0x81) or a
 * maintenance message (DLE 0x90) is an 8-byte header with its own CRC, then the data with its
 * own CRC; a control message (ENQ 0x05) is the 8-byte header alone. CRCs are CRC-16/ARC, low
 * byte first. Sequence numbers are 8 bits and wrap.
 */
export const SOH = 0x81;
export const ENQ = 0x05;
export const DLE = 0x90;

export const CONTROL = { ack: 1, nak: 2, rep: 3, start: 6, stack: 7 } as const;

/**
 * NAK reasons (spec §5.3.2; EVA DTS 6.1.2 Table 3, pp. 77-78). On receive the reason is bits 5-0
 * of the flags byte, so both forms seen in the field read the same: 0x40 + code (the standard's
 * figure) and the bare code (EVA's own sample program).
 */
export const NAK_REASON = {
  headerCrc: 1,
  dataCrc: 2,
  repResponse: 3,
  bufferUnavailable: 8,
  receiveOverrun: 9,
  tooLong: 16,
  headerFormat: 17,
} as const;

export const QSYNC = 0x40;
export const SELECT = 0x80;
/** Largest data field: the count is 14 bits. */
export const MAX_COUNT = 0x3fff;

export type DdcmpMessage =
  | {
      readonly kind: "data";
      readonly resp: number;
      readonly num: number;
      readonly addr: number;
      readonly flags: number;
      readonly data: Uint8Array;
    }
  | { readonly kind: "maintenance"; readonly addr: number; readonly flags: number; readonly data: Uint8Array }
  | { readonly kind: "ack"; readonly resp: number; readonly addr: number; readonly flags: number }
  | {
      readonly kind: "nak";
      readonly resp: number;
      readonly reason: number;
      readonly addr: number;
      readonly flags: number;
    }
  | { readonly kind: "rep"; readonly num: number; readonly addr: number; readonly flags: number }
  /** `mbd`: EVA-DTS's baud-rate code the master asks for (0 = keep the rate). */
  | { readonly kind: "start"; readonly addr: number; readonly flags: number; readonly mbd: number }
  /** `sbd`: the slave's highest baud-rate code; `mbd`: the code agreed (EVA-DTS 3.6.2, p. 76). */
  | {
      readonly kind: "stack";
      readonly addr: number;
      readonly flags: number;
      readonly sbd: number;
      readonly mbd: number;
    };

function withCrc(bytes: number[]): number[] {
  const crc = crc16Update(0, Uint8Array.from(bytes));
  return [...bytes, crc & 0xff, crc >> 8];
}

/** The bytes of a message, both CRCs included. */
export function encodeMessage(m: DdcmpMessage): Uint8Array {
  const f = m.flags & (QSYNC | SELECT);
  switch (m.kind) {
    case "data":
    case "maintenance": {
      if (m.data.length > MAX_COUNT)
        throw new RangeError(`a DDCMP message carries at most ${MAX_COUNT} bytes`);
      const count = m.data.length;
      const head =
        m.kind === "data"
          ? [SOH, count & 0xff, ((count >> 8) & 0x3f) | f, m.resp & 0xff, m.num & 0xff, m.addr & 0xff]
          : [DLE, count & 0xff, ((count >> 8) & 0x3f) | f, 0, 0, m.addr & 0xff];
      return Uint8Array.from([...withCrc(head), ...withCrc(Array.from(m.data))]);
    }
    case "ack":
      return Uint8Array.from(withCrc([ENQ, CONTROL.ack, f, m.resp & 0xff, 0, m.addr & 0xff]));
    case "nak":
      return Uint8Array.from(
        withCrc([ENQ, CONTROL.nak, (m.reason & 0x3f) | f, m.resp & 0xff, 0, m.addr & 0xff]),
      );
    case "rep":
      return Uint8Array.from(withCrc([ENQ, CONTROL.rep, f, 0, m.num & 0xff, m.addr & 0xff]));
    case "start":
      return Uint8Array.from(withCrc([ENQ, CONTROL.start, f, 0, m.mbd & 0xff, m.addr & 0xff]));
    case "stack":
      return Uint8Array.from(withCrc([ENQ, CONTROL.stack, f, m.sbd & 0xff, m.mbd & 0xff, m.addr & 0xff]));
  }
}

export type ParseError =
  | { readonly kind: "error"; readonly code: "HEADER_CRC"; readonly detail: string }
  | {
      readonly kind: "error";
      readonly code: "DATA_CRC";
      readonly resp: number;
      readonly num: number;
      readonly detail: string;
    }
  | { readonly kind: "error"; readonly code: "HEADER_FORMAT"; readonly detail: string };

/**
 * Turns received bytes into messages. Between messages, bytes that cannot start one (SOH, ENQ,
 * DLE) are skipped, which is how the receiver resynchronises. A header whose CRC fails is a
 * HEADER_CRC error (NAK reason 1) and the parser resynchronises one byte later; data whose CRC
 * fails is a DATA_CRC error (NAK reason 2). Never throws.
 */
export class MessageParser {
  private buf: number[] = [];

  push(bytes: ArrayLike<number>): (DdcmpMessage | ParseError)[] {
    const out: (DdcmpMessage | ParseError)[] = [];
    for (let i = 0; i < bytes.length; i++) this.buf.push((bytes[i] as number) & 0xff);
    for (;;) {
      while (this.buf.length > 0 && this.buf[0] !== SOH && this.buf[0] !== ENQ && this.buf[0] !== DLE)
        this.buf.shift();
      if (this.buf.length < 8) return out;
      const h = this.buf.slice(0, 8);
      const crc = crc16Update(0, Uint8Array.from(h.slice(0, 6)));
      if (((h[6] as number) | ((h[7] as number) << 8)) !== crc) {
        out.push({ kind: "error", code: "HEADER_CRC", detail: "header CRC does not match" });
        this.buf.shift();
        continue;
      }
      const [start, b1, b2, b3, b4, addr] = h as [number, number, number, number, number, number];
      const flags = b2 & (QSYNC | SELECT);
      if (start === ENQ) {
        this.buf.splice(0, 8);
        const m = controlMessage(b1, b2, b3, b4, addr, flags);
        out.push(m ?? { kind: "error", code: "HEADER_FORMAT", detail: `control type ${b1}` });
        continue;
      }
      const count = b1 | ((b2 & 0x3f) << 8);
      if (this.buf.length < 8 + count + 2) return out;
      const data = Uint8Array.from(this.buf.slice(8, 8 + count));
      const dcrc = (this.buf[8 + count] as number) | ((this.buf[9 + count] as number) << 8);
      this.buf.splice(0, 10 + count);
      if (crc16Update(0, data) !== dcrc) {
        out.push({ kind: "error", code: "DATA_CRC", resp: b3, num: b4, detail: "data CRC does not match" });
        continue;
      }
      out.push(
        start === SOH
          ? { kind: "data", resp: b3, num: b4, addr, flags, data }
          : { kind: "maintenance", addr, flags, data },
      );
    }
  }
}

function controlMessage(
  type: number,
  b2: number,
  b3: number,
  b4: number,
  addr: number,
  flags: number,
): DdcmpMessage | undefined {
  switch (type) {
    case CONTROL.ack:
      return { kind: "ack", resp: b3, addr, flags };
    case CONTROL.nak:
      return { kind: "nak", resp: b3, reason: b2 & 0x3f, addr, flags };
    case CONTROL.rep:
      return { kind: "rep", num: b4, addr, flags };
    case CONTROL.start:
      return { kind: "start", addr, flags, mbd: b4 };
    case CONTROL.stack:
      return { kind: "stack", addr, flags, sbd: b3, mbd: b4 };
    default:
      return undefined;
  }
}
