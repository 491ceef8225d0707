/**
 * A byte framing for adapters that carry the MDB mode bit over an ordinary 8-bit serial line
 * (an MCU bridging MDB to USB/UART): each 9-bit word travels as two bytes. The first has bit 7
 * set and carries word bits 8-7 in its bits 1-0; the second has bit 7 clear and carries word
 * bits 6-0. A receiver finds word boundaries by bit 7 alone, so it resynchronises after any
 * lost or extra byte.
 *
 *   word 0x112 (mode bit + 0x12)  ->  0x82 0x12
 *   word 0x0AA                    ->  0x81 0x2A
 */
export function encodeWords(words: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(words.length * 2);
  for (let i = 0; i < words.length; i++) {
    const w = (words[i] as number) & 0x1ff;
    out[2 * i] = 0x80 | (w >> 7);
    out[2 * i + 1] = w & 0x7f;
  }
  return out;
}

export type FramingError = { readonly kind: "framing-error"; readonly byte: number; readonly detail: string };

/** Turns received bytes back into words; stray bytes become framing errors, never exceptions. */
export class WordDeframer {
  private high: number | undefined;

  push(bytes: ArrayLike<number>): (number | FramingError)[] {
    const out: (number | FramingError)[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const b = (bytes[i] as number) & 0xff;
      if (b & 0x80) {
        if (this.high !== undefined)
          out.push({ kind: "framing-error", byte: this.high, detail: "first byte without its second" });
        if (b & 0x7c) {
          out.push({ kind: "framing-error", byte: b, detail: "first byte with bits 6-2 set" });
          this.high = undefined;
        } else this.high = b & 0x03;
      } else if (this.high === undefined) {
        out.push({ kind: "framing-error", byte: b, detail: "second byte without a first" });
      } else {
        out.push((this.high << 7) | b);
        this.high = undefined;
      }
    }
    return out;
  }
}
