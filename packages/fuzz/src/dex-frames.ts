import { type DexFrame, encodeFrame } from "@vendkit/evadts/dex";

const HEADS = ["", "5000000001R01L01", "5000000001SR01L01", "00"];

/** A DEX/UCS frame with its CRC right, kind and data from the fuzzer's bytes. */
export function dexFrame(payload: Uint8Array): Uint8Array {
  const pick = payload[0] ?? 0;
  const body = payload.subarray(1);
  let frame: DexFrame;
  switch (pick % 7) {
    case 0:
      frame = { kind: "enq" };
      break;
    case 1:
      frame = { kind: "eot" };
      break;
    case 2:
      frame = { kind: "nak" };
      break;
    case 3:
      frame = { kind: "wack" };
      break;
    case 4:
      frame = { kind: "ack", parity: (pick >> 3) & 1 ? 1 : 0 };
      break;
    default: {
      const head = new TextEncoder().encode(HEADS[(pick >> 3) % HEADS.length]);
      const data = pick & 0x40 ? Uint8Array.from([...head, ...body]) : body;
      frame = { kind: "block", header: pick % 7 === 5, data, last: (pick & 0x80) !== 0 };
    }
  }
  return encodeFrame(frame);
}
