import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { packText, unpackText } from "./audit-text.js";

describe("audit text as 32-bit decimal groups (manual 7.5)", () => {
  it("encodes the manual's example by the arithmetic, not by its misprint", () => {
    expect(packText("ZIP12345")).toEqual([0x5a495031, 0x32333435]);
    expect(packText("ZIP12345")).toEqual([1514754097, 842216501]);
    expect(unpackText([1514754097, 842216501])).toBe("ZIP12345");
  });

  it("pads a short last group with spaces and round-trips any single-byte text", () => {
    expect(unpackText(packText("ABCDE"))).toBe("ABCDE   ");
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)),
          maxLength: 40,
        }),
        (s) => {
          const back = unpackText(packText(s));
          expect(back.slice(0, s.length)).toBe(s);
          expect(back.length % 4).toBe(0);
        },
      ),
    );
  });

  it("refuses what it cannot encode or decode", () => {
    expect(() => packText("€")).toThrow(RangeError);
    expect(() => unpackText([2 ** 32])).toThrow(RangeError);
  });
});
