import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  creditBlock,
  creditFromNibbles,
  creditNibbles,
  decodeBlock,
  EXECUTIVE,
  ExecutiveError,
  encodeBlock,
  executiveConstants,
} from "./wire.js";

describe("Executive wire codec", () => {
  it("frames nibbles as data bytes between 0x38 and 0x39, and back (fast-check)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 15 }), { maxLength: 40 }), (nibbles) => {
        const bytes = encodeBlock(nibbles);
        expect(bytes[0]).toBe(0x38);
        expect(bytes.at(-1)).toBe(0x39);
        for (const b of bytes.subarray(1, -1)) expect(b & 0xf0).toBe(0x20);
        expect(decodeBlock(bytes)).toEqual(nibbles);
      }),
    );
  });

  it("round-trips every credit block, 8 nibbles most significant first (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.record({
          count: fc.integer({ min: 0, max: 0xffff }),
          baseUnit: fc.integer({ min: 0, max: 0xff }),
          decimals: fc.integer({ min: 0, max: 15 }),
          exactOnly: fc.boolean(),
        }),
        (b) => {
          const n = creditNibbles(b);
          expect(n).toHaveLength(8);
          expect(creditFromNibbles(n)).toEqual(b);
        },
      ),
    );
    expect(creditNibbles({ count: 0x1234, baseUnit: 5, decimals: 2, exactOnly: true })).toEqual([
      1, 2, 3, 4, 0, 5, 2, 1,
    ]);
  });

  it("refuses what it cannot encode or decode with typed errors and offsets", () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof ExecutiveError ? [e.code, e.offset] : "untyped";
      }
      return "ok";
    };
    expect(code(() => decodeBlock(Uint8Array.of(0x38, 0x21, 0x45, 0x39)))).toEqual(["NOT_A_DATA_BYTE", 2]);
    expect(code(() => decodeBlock(Uint8Array.of(0x21, 0x39)))).toEqual(["BAD_BLOCK", 0]);
    expect(code(() => encodeBlock([16]))).toEqual(["OUT_OF_RANGE", 0]);
    expect(code(() => creditNibbles({ count: 70_000, baseUnit: 1, decimals: 2, exactOnly: false }))).toEqual([
      "OUT_OF_RANGE",
      undefined,
    ]);
    expect(code(() => creditBlock(125, 10, 2))).toEqual(["OUT_OF_RANGE", undefined]);
    expect(creditBlock(150, 5, 2)).toEqual({ count: 30, baseUnit: 5, decimals: 2, exactOnly: false });
  });

  it("never crashes on arbitrary bytes: a block decodes or throws ExecutiveError (fast-check)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20 }), (bytes) => {
        try {
          decodeBlock(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(ExecutiveError);
        }
      }),
    );
  });

  it("lets a caller override any unverified constant without restating the rest", () => {
    const c = executiveConstants({ commands: { audit: 0x3a }, baudRate: 4800 });
    expect(c.commands).toEqual({ ...EXECUTIVE.commands, audit: 0x3a });
    expect(c.baudRate).toBe(4800);
    expect(c.replies).toEqual(EXECUTIVE.replies);
  });
});
