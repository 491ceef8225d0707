import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CashSituation, cashAcceptance } from "./cash-acceptance.js";

const base: CashSituation = {
  coinMode: 2,
  billMode: 2,
  keyCredit: undefined,
  maxLoadableCredit: 1000,
  machineCredit: 0,
  highestPrice: 150,
  rechargeLimit: 0,
  cashIn: 0,
  vending: false,
};

describe("coin and bill acceptance (manual 3.2, 3.3, 4.6.1, 4.7.1, 4.10.4)", () => {
  it.each([
    // coin mode, bill mode, key credit → coins, bills
    [0, 0, undefined, "DISABLED", "DISABLED"],
    [1, 1, undefined, true, "NO_KEY_RECHARGE_ONLY"],
    [1, 1, 200, "KEY_IN_SALE_ONLY", true],
    [2, 2, undefined, true, true],
    [2, 2, 200, true, true],
    [3, 2, undefined, "NO_KEY_RECHARGE_ONLY", true],
    [3, 1, 200, true, true],
  ] as const)(
    "coin mode %i, bill mode %i, key %s → coins %s, bills %s",
    (coinMode, billMode, keyCredit, coins, bills) => {
      expect(cashAcceptance({ ...base, coinMode, billMode, keyCredit })).toEqual({ coins, bills });
    },
  );

  it("refuses during a vend, at the recharge limit, on a full key and past the highest price", () => {
    expect(cashAcceptance({ ...base, vending: true })).toEqual({ coins: "VENDING", bills: "VENDING" });
    expect(cashAcceptance({ ...base, rechargeLimit: 5000, cashIn: 5000, keyCredit: 10 }).coins).toBe(
      "RECHARGE_LIMIT",
    );
    expect(cashAcceptance({ ...base, rechargeLimit: 5000, cashIn: 4999 }).coins).toBe(true);
    expect(cashAcceptance({ ...base, keyCredit: 1000 }).bills).toBe("KEY_FULL");
    expect(cashAcceptance({ ...base, keyCredit: 999 }).bills).toBe(true);
    expect(cashAcceptance({ ...base, machineCredit: 150 }).coins).toBe(true);
    expect(cashAcceptance({ ...base, machineCredit: 160 }).coins).toBe("ENOUGH_FOR_ANY_SALE");
  });

  it("serves only the acceptors the cash interface has (59900: coins, coins + bills, bills)", () => {
    expect(cashAcceptance({ ...base, cashInterface: 0 })).toEqual({ coins: true, bills: "DISABLED" });
    expect(cashAcceptance({ ...base, cashInterface: 1 })).toEqual({ coins: true, bills: true });
    expect(cashAcceptance({ ...base, cashInterface: 2 })).toEqual({ coins: "DISABLED", bills: true });
  });

  it("never takes cash while vending or past the recharge limit, whatever else holds", () => {
    fc.assert(
      fc.property(
        fc.record({
          coinMode: fc.integer({ min: 0, max: 3 }),
          billMode: fc.integer({ min: 0, max: 2 }),
          keyCredit: fc.option(fc.nat(2000), { nil: undefined }),
          maxLoadableCredit: fc.nat(2000),
          machineCredit: fc.nat(500),
          highestPrice: fc.nat(500),
          rechargeLimit: fc.nat(99_999),
          cashIn: fc.nat(200_000),
          vending: fc.boolean(),
        }),
        (s) => {
          const a = cashAcceptance(s);
          const stopped = s.vending || (s.rechargeLimit > 0 && s.cashIn >= s.rechargeLimit);
          if (stopped) expect([a.coins, a.bills]).not.toContain(true);
          if (s.keyCredit !== undefined && s.keyCredit >= s.maxLoadableCredit)
            expect([a.coins, a.bills]).not.toContain(true);
          if (s.coinMode === 0) expect(a.coins).toBe("DISABLED");
        },
      ),
    );
  });
});
