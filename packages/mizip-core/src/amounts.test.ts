import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatAmount, parseAmount } from "./amounts.js";

describe("amounts as the programmer shows them (manual 4.10.14)", () => {
  it("puts the separator 40114 names between the integer part and the 30004 decimals", () => {
    expect(formatAmount(150, 2, 0)).toBe("150"); // OFF: no character
    expect(formatAmount(150, 2, 1)).toBe("1,50");
    expect(formatAmount(150, 2, 2)).toBe("1.50");
    expect(formatAmount(5, 2, 2)).toBe("0.05");
    expect(formatAmount(-25, 2, 1)).toBe("-0,25");
    expect(formatAmount(1234, 1, 2)).toBe("123.4");
    expect(formatAmount(1234, 0, 2)).toBe("1234");
    expect(formatAmount(0, 3, 1)).toBe("0,000");
  });

  it("carries no outside name, so a page can embed its source", () => {
    const copy = new Function(`return ${formatAmount.toString()}`)() as typeof formatAmount;
    expect(copy(-32_768, 2, 2)).toBe("-327.68");
  });

  it("reads back what it shows, for every amount, 30004 decimals and 40114 separator", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(10 ** 12), max: 10 ** 12 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 2 }),
        (amount, decimals, separator) => {
          expect(parseAmount(formatAmount(amount, decimals, separator), decimals, separator)).toBe(amount);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("reads what a technician types: either mark, whole units, and refuses the rest", () => {
    expect(parseAmount("0.70", 2, 1)).toBe(70); // a point where the setting says comma
    expect(parseAmount("0,7", 2, 2)).toBe(70);
    expect(parseAmount("5", 2, 2)).toBe(500); // whole units: 5.00, not 0.05
    expect(parseAmount(" 5.00 ", 2, 1)).toBe(500);
    expect(parseAmount("150", 2, 0)).toBe(150); // OFF: the digits the programmer shows
    expect(parseAmount("1.50", 2, 0)).toBe(150);
    expect(parseAmount("12", 0, 2)).toBe(12);
    expect(parseAmount("0.705", 2, 2)).toBeUndefined(); // more decimals than 30004 has
    expect(parseAmount("1.5", 0, 2)).toBeUndefined();
    for (const bad of ["", " ", "abc", "1.2.3", "1e3", "+5", "5 €", "0x10", "9999999999999999"])
      expect(parseAmount(bad, 2, 2)).toBeUndefined();
  });

  it("parseAmount carries no outside name either", () => {
    const copy = new Function(`return ${parseAmount.toString()}`)() as typeof parseAmount;
    expect(copy("3,25", 2, 1)).toBe(325);
  });
});
