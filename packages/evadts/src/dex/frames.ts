import { crc16Update } from "../crc16.js";

/** DEX/UCS control characters. */
export const ENQ = 0x05;
export const EOT = 0x04;
export const NAK = 0x15;
export const DLE = 0x10;
export const SOH = 0x01;
export const STX = 0x02;
export const ETX = 0x03;
export const ETB = 0x17;
export const SYN = 0x16;
export const ACK0 = 0x30; // DLE '0'
export const ACK1 = 0x31; // DLE '1'
export const WACK = 0x3b; // DLE ';': wait, then ask again (EVA-DTS 6.1.2 4.5.8, Timer A)

/** What travels on a DEX/UCS line, parsed. */
export type DexFrame =
  | { readonly kind: "enq" }
  | { readonly kind: "eot" }
  | { readonly kind: "nak" }
  | { readonly kind: "wack" }
  | { readonly kind: "ack"; readonly parity: 0 | 1 }
  /** A header (SOH) or data (STX) block; `last` is true for ETX, false for ETB. */
  | { readonly kind: "block"; readonly header: boolean; readonly data: Uint8Array; readonly last: boolean }
  | { readonly kind: "bad-block"; readonly detail: string };

/**
 * The CRC of a block: CRC-16/ARC over the block's data and its ETB/ETX character (the framing
 * DLEs, the SOH/STX and any DLE SYN filler are not included), sent low byte first.
 */
export function blockCrc(data: Uint8Array, end: number): number {
  return crc16Update(crc16Update(0, data), Uint8Array.of(end));
}

/**
 * DLE SOH|STX data DLE ETB|ETX CRC-low CRC-high. A data byte 0x10 goes out as DLE DLE
 * (transparent mode), so any byte survives the link.
 */
export function encodeBlock(data: Uint8Array, header: boolean, last: boolean): Uint8Array {
  const end = last ? ETX : ETB;
  const crc = blockCrc(data, end);
  const out: number[] = [DLE, header ? SOH : STX];
  for (const b of data) {
    if (b === DLE) out.push(DLE);
    out.push(b);
  }
  out.push(DLE, end, crc & 0xff, crc >> 8);
  return Uint8Array.from(out);
}

export const ackFrame = (parity: 0 | 1): Uint8Array => Uint8Array.of(DLE, parity === 0 ? ACK0 : ACK1);

/** A frame's bytes on the line: what `DexFrameParser` reads back. A bad block has none. */
export function encodeFrame(frame: DexFrame): Uint8Array {
  switch (frame.kind) {
    case "enq":
      return Uint8Array.of(ENQ);
    case "eot":
      return Uint8Array.of(EOT);
    case "nak":
      return Uint8Array.of(NAK);
    case "wack":
      return Uint8Array.of(DLE, WACK);
    case "ack":
      return ackFrame(frame.parity);
    case "block":
      return encodeBlock(frame.data, frame.header, frame.last);
    case "bad-block":
      throw new RangeError(`a bad block has no bytes: ${frame.detail}`);
  }
}

/**
 * Turns received bytes into frames. Never throws. Inside a block every byte is data (the link
 * carries any byte; whether it is valid EVA-DTS is for the parser and validator to say), except
 * DLE: DLE DLE is one data byte 0x10, DLE SYN is filler a sender uses to pause (Timer B) and is
 * dropped, DLE ETB/ETX ends the block; DLE followed by anything else, a CRC that fails or more
 * than `maxBlock` data bytes make a `bad-block` (to be NAKed). Stray bytes between frames are
 * skipped. A block cut short is ended with `abandon()` when the line stays silent too long.
 */
export class DexFrameParser {
  private state: "idle" | "dle" | "data" | "data-dle" | "crc1" | "crc2" = "idle";
  private header = false;
  private data: number[] = [];
  private end = 0;
  private crcLow = 0;

  constructor(private readonly maxBlock = 512) {}

  /** Whether a block has begun and not ended. */
  get inBlock(): boolean {
    return this.state !== "idle" && this.state !== "dle";
  }

  /** Ends a block that stopped arriving (inter-character Timer B ran out): a bad block. */
  abandon(detail: string): DexFrame[] {
    if (!this.inBlock) return [];
    this.state = "idle";
    return [{ kind: "bad-block", detail }];
  }

  push(bytes: ArrayLike<number>): DexFrame[] {
    const out: DexFrame[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const b = (bytes[i] as number) & 0xff;
      switch (this.state) {
        case "idle":
          if (b === ENQ) out.push({ kind: "enq" });
          else if (b === EOT) out.push({ kind: "eot" });
          else if (b === NAK) out.push({ kind: "nak" });
          else if (b === DLE) this.state = "dle";
          break;
        case "dle":
          this.state = "idle";
          if (b === ACK0 || b === ACK1) out.push({ kind: "ack", parity: b === ACK0 ? 0 : 1 });
          else if (b === WACK) out.push({ kind: "wack" });
          else if (b === SOH || b === STX) {
            this.header = b === SOH;
            this.data = [];
            this.state = "data";
          } else if (b === DLE) this.state = "dle";
          break;
        case "data":
          if (b === DLE) this.state = "data-dle";
          else if (this.data.length >= this.maxBlock) {
            out.push({ kind: "bad-block", detail: `more than ${this.maxBlock} data bytes` });
            this.state = "idle";
          } else this.data.push(b);
          break;
        case "data-dle":
          if (b === ETB || b === ETX) {
            this.end = b;
            this.state = "crc1";
          } else if (b === SYN) this.state = "data";
          else if (b === DLE) {
            this.state = "data";
            this.data.push(DLE);
          } else {
            out.push({ kind: "bad-block", detail: `DLE followed by ${b.toString(16)} inside a block` });
            this.state = "idle";
          }
          break;
        case "crc1":
          this.crcLow = b;
          this.state = "crc2";
          break;
        case "crc2": {
          this.state = "idle";
          const data = Uint8Array.from(this.data);
          const stated = this.crcLow | (b << 8);
          const computed = blockCrc(data, this.end);
          out.push(
            stated === computed
              ? { kind: "block", header: this.header, data, last: this.end === ETX }
              : {
                  kind: "bad-block",
                  detail: `CRC ${stated.toString(16)}, computed ${computed.toString(16)}`,
                },
          );
          break;
        }
      }
    }
    return out;
  }
}
