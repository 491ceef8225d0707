import { describe, expect, it } from "vitest";
import { formatAmount } from "./amounts.js";

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
});
