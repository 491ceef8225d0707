import { defaultConfig } from "@vendkit/pricing";
import { describe, expect, it } from "vitest";
import { ParameterError } from "./parameters.js";
import { checkPricingChanges, priceNumber, withPrice } from "./price-programming.js";

describe("programming prices (manual 4.4.3-4.4.5, table 5.2)", () => {
  it("numbers prices 10001-10100 for cash and 11001-14100 for key levels 0-3", () => {
    expect([priceNumber("cash", 1), priceNumber("cash", 100)]).toEqual([10_001, 10_100]);
    expect([priceNumber(0, 1), priceNumber(3, 100)]).toEqual([11_001, 14_100]);
  });

  it("changes one price of one table, nothing else", () => {
    const p = defaultConfig();
    const cash = withPrice(p, "cash", 3, 75);
    expect(cash.cash[2]).toBe(75);
    expect(cash.keys).toBe(p.keys);
    const key2 = withPrice(p, 2, 1, 40);
    expect(key2.keys[2].prices[0]).toBe(40);
    expect(key2.keys[1]).toBe(p.keys[1]);
    expect(key2.cash).toBe(p.cash);
  });

  it("4.4.2 COPIA TAB. CONTANTI ON: a cash price is written into key tables 0, 1, 2 and 3 too", () => {
    const p = defaultConfig();
    const copied = withPrice(p, "cash", 3, 75, true);
    expect([copied.cash[2], ...copied.keys.map((k) => k.prices[2])]).toEqual([75, 75, 75, 75, 75]);
    expect(copied.keys.map((k) => k.prices[1])).toEqual(p.keys.map((k) => k.prices[1]));
    // a key price is its table's alone, whatever the setting
    expect(withPrice(p, 1, 3, 40, true).cash).toBe(p.cash);
  });

  it("refuses a line outside 1..100 with the price's number", () => {
    const refused = (() => {
      try {
        withPrice(defaultConfig(), 1, 101, 10);
      } catch (e) {
        return e;
      }
    })();
    expect(refused).toBeInstanceOf(ParameterError);
    expect((refused as ParameterError).parameter).toBe(12_101);
  });

  it("refuses pricing changes to what lives in the parameters (30002, 30003)", () => {
    expect(() => checkPricingChanges({ priceSystem: "price-holding" })).toThrow(/parameter 30002/);
    expect(() => checkPricingChanges({ baseCoin: 5 })).toThrow(/parameter 30003/);
    expect(() => checkPricingChanges({ lines: 10 })).not.toThrow();
  });
});
