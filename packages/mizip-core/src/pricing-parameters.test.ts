import { defaultConfig, type PricingConfig } from "@vendkit/pricing";
import { describe, expect, it } from "vitest";
import { ParameterError } from "./parameters.js";
import { setPricingParameter } from "./pricing-parameters.js";

const set = (p: PricingConfig, ...pairs: [number, number][]): PricingConfig =>
  pairs.reduce((q, [n, v]) => setPricingParameter(q, n, v) as PricingConfig, p);

describe("pricing settings by their table 5.2 numbers", () => {
  it("leaves system parameters to setParameter", () => {
    for (const n of [0, 30002, 40000, 51000, 54000, 59900, 10_000, 10_101])
      expect(setPricingParameter(defaultConfig(), n, 1)).toBeUndefined();
  });

  it("prices: 10001-10100 cash, 11001-14100 key levels 0-3", () => {
    const p = set(defaultConfig(), [10_005, 80], [13_002, 40]);
    expect(p.cash[4]).toBe(80);
    expect(p.keys[2].prices[1]).toBe(40);
  });

  it("bonus 1: usage, period, type and per level discount, tokens, credit; a level is ON when its type's amount is not 0", () => {
    let p = set(
      defaultConfig(),
      [50_000, 1],
      [50_001, 2],
      [50_002, 0],
      [50_004, 25],
      [50_008, 3],
      [50_013, 90],
    );
    expect(p.bonus1).toMatchObject({ usage: "sale-only", period: "monthly", type: "tokens" });
    expect(p.bonus1.levels[1]).toMatchObject({ discount: 25, tokens: 3, enabled: true });
    expect(p.bonus1.levels[2]).toMatchObject({ credit: 90, enabled: false });
    p = set(p, [50_002, 1]); // credit: level 2 has credit, level 1 none
    expect(p.bonus1.levels.map((l) => l.enabled)).toEqual([false, false, true, false]);
  });

  it("loyalty: mode, period, type, price in points and points given per line", () => {
    const p = set(defaultConfig(), [52_000, 2], [52_001, 1], [52_002, 1], [52_150, 9], [52_300, 4]);
    expect(p.loyalty).toMatchObject({ mode: "expiring", period: "weekly", type: "credit" });
    expect([p.loyalty.pricePoints[49], p.loyalty.pointsPerLine[99]]).toEqual([9, 4]);
  });

  it("promotions: ON, discount per line, machine, TEMPO MAX", () => {
    const p = set(defaultConfig(), [53_000, 1], [53_100, 15], [53_101, 1], [53_102, 60]);
    expect(p.promotions).toMatchObject({ enabled: true, machine: "B", maxMinutes: 60 });
    expect(p.promotions.lineDiscount[99]).toBe(15);
  });

  it("refuses a choice outside its options with the parameter's number", () => {
    for (const [n, v] of [
      [50_000, 3],
      [50_002, -1],
      [52_000, 1.5],
      [53_101, 2],
    ] as const) {
      const e = (() => {
        try {
          setPricingParameter(defaultConfig(), n, v);
        } catch (err) {
          return err;
        }
      })();
      expect(e).toBeInstanceOf(ParameterError);
      expect((e as ParameterError).parameter).toBe(n);
    }
  });
});
