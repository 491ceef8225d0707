import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  acceptedCoinTypes,
  billsAllowed,
  type ChangerSettings,
  escrowAllowed,
  exactAmountNeeded,
  noChange,
  planPayout,
  type Tube,
} from "./change-rules.js";

const all = (on: boolean) => Array.from({ length: 16 }, () => on);
const SETTINGS: ChangerSettings = {
  escrowLever: false,
  maxChange: 200,
  minTubeLevel: 7,
  safetyCoins: 2,
  exactChange: 0,
  coinEnables: all(true),
  exactChangeCoins: all(false),
};
const tubes = (...counts: number[]): Tube[] =>
  [5, 10, 20, 50].map((value, i) => ({ type: i + 1, value, count: counts[i] ?? 0 }));

describe("no change (manual 4.8.5, 4.8.6)", () => {
  it("starts below minimum level plus safety coins: the manual's 7 + 2 example", () => {
    expect(noChange(tubes(9, 9, 9, 9), SETTINGS)).toBe(false);
    expect(noChange(tubes(9, 8, 9, 9), SETTINGS)).toBe(true);
  });

  it("turns bills off, and restricts coins or sales as exact change says", () => {
    const short = tubes(3, 20, 20, 20);
    expect(billsAllowed(short, SETTINGS)).toBe(false);
    expect(billsAllowed(tubes(20, 20, 20, 20), SETTINGS)).toBe(true);
    expect(acceptedCoinTypes(short, SETTINGS)).toHaveLength(16);
    const chosen = {
      ...SETTINGS,
      exactChange: 1 as const,
      exactChangeCoins: all(false).map((_, i) => i < 2),
    };
    expect(acceptedCoinTypes(short, chosen)).toEqual([1, 2]);
    expect(acceptedCoinTypes(tubes(20, 20, 20, 20), chosen)).toHaveLength(16);
    expect(exactAmountNeeded(short, { ...SETTINGS, exactChange: 2 })).toBe(true);
    expect(exactAmountNeeded(short, SETTINGS)).toBe(false);
    const someOff = { ...SETTINGS, coinEnables: all(true).map((_, i) => i !== 0) };
    expect(acceptedCoinTypes(tubes(20, 20, 20, 20), someOff)).not.toContain(1);
  });

  it("lets the escrow lever give coins back before a sale only when ON (4.8.3)", () => {
    expect(escrowAllowed(SETTINGS, false)).toBe(false);
    expect(escrowAllowed(SETTINGS, true)).toBe(true);
    expect(escrowAllowed({ ...SETTINGS, escrowLever: true }, false)).toBe(true);
  });
});

describe("planPayout", () => {
  it("pays 60 as 3 × 20 when the only 50 would strand 10", () => {
    const t: Tube[] = [
      { type: 1, value: 50, count: 5 },
      { type: 2, value: 20, count: 5 },
    ];
    expect(planPayout(60, t, { ...SETTINGS, safetyCoins: 0 })).toEqual({ coins: [0, 3], paid: 60 });
  });

  it("pays nothing above the maximum change and never the safety coins", () => {
    expect(planPayout(250, tubes(50, 50, 50, 50), SETTINGS).paid).toBe(0);
    expect(planPayout(20, tubes(0, 0, 2, 0), SETTINGS).paid).toBe(0);
    expect(planPayout(20, tubes(0, 0, 3, 0), SETTINGS)).toEqual({ coins: [0, 0, 1, 0], paid: 20 });
  });

  it("pays the most it can, exactly when possible, with the fewest coins (fast-check vs brute force)", () => {
    const tubeArb = fc.array(fc.record({ value: fc.constantFrom(5, 10, 20, 50, 100), count: fc.nat(5) }), {
      minLength: 1,
      maxLength: 3,
    });
    fc.assert(
      fc.property(tubeArb, fc.integer({ min: 1, max: 300 }), fc.nat(2), (raw, amount, safety) => {
        const t = raw.map((r, i) => ({ type: i + 1, ...r }));
        const s = { ...SETTINGS, maxChange: 300, safetyCoins: safety };
        const plan = planPayout(amount, t, s);
        // every way to pay, by brute force
        let bestPaid = 0;
        let bestCoins = 0;
        const walk = (i: number, paid: number, coins: number) => {
          if (paid > amount) return;
          if (i === t.length) {
            if (paid > bestPaid || (paid === bestPaid && coins < bestCoins)) {
              bestPaid = paid;
              bestCoins = coins;
            }
            return;
          }
          const tube = t[i] as Tube;
          for (let n = 0; n <= Math.max(0, tube.count - safety); n++)
            walk(i + 1, paid + n * tube.value, coins + n);
        };
        walk(0, 0, 0);
        expect(plan.paid).toBe(bestPaid);
        expect(plan.coins.reduce((a, n, i) => a + n * (t[i] as Tube).value, 0)).toBe(plan.paid);
        expect(plan.coins.reduce((a, b) => a + b, 0)).toBe(bestCoins);
        plan.coins.forEach((n, i) => {
          expect(n).toBeLessThanOrEqual(Math.max(0, (t[i] as Tube).count - safety));
        });
      }),
      { numRuns: 500 },
    );
  });
});
