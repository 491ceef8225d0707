import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc16, crc16Update, crcHex } from "./crc16.js";

describe("crc16 (CRC-16/ARC)", () => {
  it("has the catalogue check value 0xBB3D over '123456789'", () => {
    expect(crc16("123456789")).toBe(0xbb3d);
    expect(crc16(new TextEncoder().encode("123456789"))).toBe(0xbb3d);
  });

  it("is 0 over nothing and formats as four upper-case hex digits", () => {
    expect(crc16("")).toBe(0);
    expect(crcHex(0xb9ae)).toBe("B9AE");
    expect(crcHex(0x0a)).toBe("000A");
  });

  it("folds eight bytes at a time exactly as the bit-by-bit definition does, strings and bytes alike", () => {
    // the definition: reflected polynomial 0xA001, one bit at a time
    const reference = (data: Uint8Array, start: number, end: number) => {
      let c = 0;
      for (let i = start; i < end; i++) {
        c ^= data[i] as number;
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
      }
      return c;
    };
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600, size: "large" }),
        fc.nat(),
        fc.nat(),
        fc.nat(7),
        (whole, a, b, skip) => {
          // a view that starts anywhere in its buffer: the word reads must align themselves
          const data = whole.subarray(Math.min(skip, whole.length));
          const start = data.length === 0 ? 0 : a % data.length;
          const end = start + (data.length - start === 0 ? 0 : b % (data.length - start + 1));
          const text = Buffer.from(data).toString("latin1");
          expect(crc16Update(0, data, start, end)).toBe(reference(data, start, end));
          expect(crc16Update(0, text, start, end)).toBe(reference(data, start, end));
          expect(crc16(data)).toBe(reference(data, 0, data.length));
        },
      ),
    );
  });

  it("can be computed in pieces", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(), (data, cut) => {
        const k = data.length === 0 ? 0 : cut % data.length;
        expect(crc16Update(crc16Update(0, data, 0, k), data, k)).toBe(crc16(data));
      }),
    );
  });

  it("changes under every single-bit error", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.nat(), fc.nat(7), (data, at, bit) => {
        const flipped = Uint8Array.from(data);
        const i = at % data.length;
        flipped[i] = (flipped[i] as number) ^ (1 << bit);
        expect(crc16(flipped)).not.toBe(crc16(data));
      }),
    );
  });

  it("changes when two different bytes less than 32767 bytes apart swap places", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 2, maxLength: 600 }), fc.nat(), fc.nat(), (data, a, b) => {
        const i = a % data.length;
        const j = b % data.length;
        fc.pre(data[i] !== data[j]);
        const swapped = Uint8Array.from(data);
        swapped[i] = data[j] as number;
        swapped[j] = data[i] as number;
        expect(crc16(swapped)).not.toBe(crc16(data));
      }),
    );
  });
});
