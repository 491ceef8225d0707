import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeValueBlock, encodeValueBlock } from "./value-block.js";

describe("value block", () => {
  it("matches the data sheet's layout (1234567 at address 17)", () => {
    const hex = Buffer.from(encodeValueBlock(1234567, 17)).toString("hex");
    expect(hex).toBe("87d6120078 29edff87d6120011ee11ee".replace(" ", ""));
  });

  it("round-trips every value and address", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -0x80000000, max: 0x7fffffff }),
        fc.integer({ min: 0, max: 255 }),
        (v, a) => {
          expect(decodeValueBlock(encodeValueBlock(v, a))).toEqual({ ok: true, value: v, address: a });
        },
      ),
    );
  });

  it("detects every single-bit corruption", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -0x80000000, max: 0x7fffffff }),
        fc.integer({ min: 0, max: 255 }),
        fc.nat(127),
        (v, a, bit) => {
          const block = encodeValueBlock(v, a);
          block[bit >> 3] = (block[bit >> 3] as number) ^ (1 << (bit & 7));
          expect(decodeValueBlock(block).ok).toBe(false);
        },
      ),
    );
  });

  it("names what is wrong", () => {
    const block = encodeValueBlock(5, 4);
    expect(decodeValueBlock(block.subarray(0, 15))).toEqual({ ok: false, problem: "LENGTH" });
    block[13] = 0;
    expect(decodeValueBlock(block)).toEqual({ ok: false, problem: "ADDRESS_COPIES" });
    expect(() => encodeValueBlock(2 ** 31, 0)).toThrow(RangeError);
    expect(() => encodeValueBlock(0, 256)).toThrow(RangeError);
  });
});
