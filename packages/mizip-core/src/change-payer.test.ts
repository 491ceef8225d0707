import { describe, expect, it } from "vitest";
import { ChangePayer, changerSettings } from "./change-payer.js";
import { defaultParameters, setParameter } from "./parameters.js";

const TUBES = [
  { type: 1, value: 5, count: 12 },
  { type: 2, value: 10, count: 3 },
  { type: 3, value: 50, count: 2 },
];

describe("paying change (manual 4.8)", () => {
  it("without a changer of its own the bus pays whatever is asked", () => {
    const paid: number[] = [];
    const bus = new ChangePayer(undefined, (a, coins) => {
      paid.push(a);
      expect(coins).toBeUndefined();
    });
    const c = bus.plan(135);
    expect(c).toEqual({ paid: 135, coins: [] });
    bus.give(c);
    expect(paid).toEqual([135]);
    expect(bus.mayReturn(false)).toBe(true);
    expect(bus.coinTubes).toEqual([]);
  });

  it("its own changer pays from the tubes above the safety coins, up to the max change, and the tubes go down", () => {
    const paid: { amount: number; coins: unknown }[] = [];
    const own = new ChangePayer(
      changerSettings(setParameter(defaultParameters(), 20050, 100), 2),
      (amount, coins) => paid.push({ amount, coins }),
    );
    own.report(TUBES);
    expect(own.coinTubes).toEqual([
      { value: 5, count: 10 },
      { value: 10, count: 1 },
      { value: 50, count: 0 },
    ]);
    // 20050 = 1.00: 1.35 is above the max change, so nothing is paid
    expect(own.plan(135).paid).toBe(0);
    const c = own.plan(25);
    expect(c.paid).toBe(25);
    own.give(c);
    expect(paid).toEqual([{ amount: 25, coins: c.coins }]);
    const left = own.coinTubes.reduce((a, t) => a + t.value * t.count, 0);
    expect(left).toBe(10 * 5 + 10 - 25);
  });

  it("before any sale the escrow lever pays back only with ESCROW ON (20049)", () => {
    const off = new ChangePayer(changerSettings(defaultParameters(), 2));
    const on = new ChangePayer(changerSettings(setParameter(defaultParameters(), 20049, 1), 2));
    expect([off.mayReturn(false), off.mayReturn(true), on.mayReturn(false)]).toEqual([false, true, true]);
  });
});
