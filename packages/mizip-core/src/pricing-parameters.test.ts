import { defaultConfig, type PricingConfig } from "@vendkit/pricing";
import { describe, expect, it } from "vitest";
import { ParameterError } from "./parameters.js";
import { PRICING_MONEY_NUMBERS, setPricingParameter } from "./pricing-parameters.js";

const set = (p: PricingConfig, ...pairs: [number, number][]): PricingConfig =>
  pairs.reduce((q, [n, v]) => setPricingParameter(q, n, v) as PricingConfig, p);

describe("pricing settings by their table 5.2 numbers", () => {
  it("leaves system parameters to setParameter", () => {
    for (const n of [0, 30002, 40000, 51_010, 51_211, 54_013, 55_010, 59900, 10_000, 10_101, 11_000, 17_110])
      if (n === 51_211 || n === 17_110)
        expect(() => setPricingParameter(defaultConfig(), n, 1)).toThrow(ParameterError);
      else expect(setPricingParameter(defaultConfig(), n, 1)).toBeUndefined();
  });

  it("prices: 10001-10100 cash, 11001-14100 key levels 0-3", () => {
    const p = set(defaultConfig(), [10_005, 80], [13_002, 40]);
    expect(p.cash[4]).toBe(80);
    expect(p.keys[2].prices[1]).toBe(40);
  });

  it("key level tables, lines, conversion table, categories and limits per category (manual 4.4, 4.5)", () => {
    const p = set(
      defaultConfig(),
      [12_000, 2],
      [14_000, 1],
      [40_109, 12],
      [16_000, 2],
      [16_003, 4660],
      [17_000, 1],
      [17_005, 3],
      [17_111, 1],
      [17_118, 4],
    );
    expect(p.keys.map((k) => k.mode)).toEqual(["on", "key0", "off", "on"]);
    expect(p.lines).toBe(12);
    expect(p.conversion.mode).toBe("hex");
    expect(p.conversion.numbers[2]).toBe(4660);
    expect(p.limits.enabled).toBe(true);
    expect(p.categories[4]).toBe("C");
    expect(p.limits.levels[1]).toMatchObject({ enabled: true });
    expect(p.limits.levels[1]?.perCategory[6]).toBe(4); // 17112-17119 are A-H: 17118 is G
    expect(set(p, [40_112, 0]).limits.enabled).toBe(false);
    expect(() => setPricingParameter(p, 17_005, 9)).toThrow(ParameterError);
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

  it("bonus 2-3: usage, period, keys ON, tokens, line discounts, and bonus 3's limits per level and category", () => {
    const p = set(
      defaultConfig(),
      [51_000, 2],
      [51_001, 0],
      [51_003, 1],
      [51_007, 12],
      [51_150, 50],
      [51_201, 1],
      [51_212, 1],
      [51_220, 3],
    );
    expect(p.bonus2).toMatchObject({ usage: "recharge-and-sale", period: "daily" });
    expect(p.bonus2.levels[1]).toMatchObject({ enabled: true, tokens: 12 });
    expect(p.bonus2.lineDiscount[49]).toBe(50);
    expect(p.bonus2.bonus3.enabled).toBe(true);
    expect(p.bonus2.bonus3.levels[1]?.enabled).toBe(true);
    expect(p.bonus2.bonus3.levels[1]?.perCategory[7]).toBe(3);
  });

  it("happy hours and out-of-service bands: modes, times as HHMM, discounts", () => {
    const p = set(
      defaultConfig(),
      [54_000, 1],
      [54_004, 2],
      [54_005, 1330],
      [54_006, 1415],
      [54_011, 20],
      [54_001, 1],
      [54_250, 35],
      [55_000, 1],
      [55_007, 1],
      [55_008, 2200],
      [55_009, 600],
    );
    expect(p.happyHours.enabled).toBe(true);
    expect(p.happyHours.bands[1]).toMatchObject({
      mode: "global",
      start: 13 * 60 + 30,
      end: 14 * 60 + 15,
      discount: 20,
    });
    expect(p.happyHours.bands[0]?.mode).toBe("per-line");
    expect(p.happyHours.bands[1]?.lineDiscount[49]).toBe(35);
    expect(p.outOfService.enabled).toBe(true);
    expect(p.outOfService.bands[2]).toMatchObject({ enabled: true, start: 22 * 60, end: 6 * 60 });
    for (const bad of [2400, 1260, -1, 12.5])
      expect(() => setPricingParameter(defaultConfig(), 55_002, bad)).toThrow(/HHMM/);
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

  it("names as money exactly the numbers whose value lands in a price or a bonus 1 credit", () => {
    const money = (p: PricingConfig) =>
      JSON.stringify([p.cash, p.keys.map((k) => k.prices), p.bonus1.levels.map((l) => l.credit)]);
    const base = defaultConfig();
    const inRanges = (n: number) => PRICING_MONEY_NUMBERS.some(([a, b]) => n >= a && n <= b);
    for (const n of [
      10_001, 10_100, 11_050, 12_000, 12_001, 13_100, 14_000, 14_100, 50_010, 50_011, 50_014, 51_006, 52_101,
    ]) {
      // (a choice refuses 70 outright: not money either)
      let set1: PricingConfig | undefined;
      try {
        set1 = setPricingParameter(base, n, 70);
      } catch {
        set1 = undefined;
      }
      expect(set1 !== undefined && money(set1) !== money(base), `${n}`).toBe(inRanges(n));
    }
  });
});
