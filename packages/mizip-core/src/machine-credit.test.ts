import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InsufficientCredit, MachineCredit, OVERPRICE_DELAY, overpriceMode } from "./machine-credit.js";

describe("cash credit and overprice (manual 4.10.6)", () => {
  it("maps parameter 40003", () => {
    expect([0, 1, 2].map(overpriceMode)).toEqual(["off", "on", "3-minutes"]);
  });

  it("ON: what is left after a sale is zeroed at once and counted as overprice", () => {
    const c = new MachineCredit("on");
    c.insert(100);
    c.insert(20);
    expect(c.sell(90, 0)).toBe(30);
    expect(c.credit).toBe(0);
  });

  it("3 MINUTES: zeroed 3 minutes after the sale, not before", () => {
    const c = new MachineCredit("3-minutes");
    c.insert(200);
    expect(c.sell(150, 1000)).toBe(0);
    expect(c.tick(1000 + OVERPRICE_DELAY - 1)).toBe(0);
    expect(c.credit).toBe(50);
    expect(c.tick(1000 + OVERPRICE_DELAY)).toBe(50);
    expect(c.credit).toBe(0);
    expect(c.tick(1000 + 2 * OVERPRICE_DELAY)).toBe(0);
  });

  it("OFF: the rest stays for another sale or a recharge", () => {
    const c = new MachineCredit("off");
    c.insert(200);
    c.sell(150, 0);
    expect(c.tick(10 * OVERPRICE_DELAY)).toBe(0);
    expect(c.takeAll()).toBe(50);
  });

  it("refuses a sale the credit does not cover, and bad amounts, changing nothing", () => {
    const c = new MachineCredit("on");
    c.insert(50);
    expect(() => c.sell(60, 0)).toThrow(InsufficientCredit);
    expect(() => c.insert(-5)).toThrow(RangeError);
    expect(() => c.sell(0.5, 0)).toThrow(RangeError);
    expect(c.credit).toBe(50);
  });

  it("conserves money: inserted = sold + overprice + taken + left", () => {
    const step = fc.oneof(
      fc.record({ insert: fc.nat(500) }),
      fc.record({ sell: fc.nat(500) }),
      fc.record({ wait: fc.nat(2 * OVERPRICE_DELAY) }),
      fc.constant({ take: true as const }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom("off", "on", "3-minutes" as const),
        fc.array(step, { maxLength: 40 }),
        (mode, steps) => {
          const c = new MachineCredit(mode);
          let now = 0;
          let inserted = 0;
          let sold = 0;
          let overprice = 0;
          let taken = 0;
          for (const s of steps) {
            if ("insert" in s) {
              c.insert(s.insert);
              inserted += s.insert;
            } else if ("sell" in s) {
              if (s.sell <= c.credit) {
                overprice += c.sell(s.sell, now);
                sold += s.sell;
                if (mode === "on") expect(c.credit).toBe(0);
              } else expect(() => c.sell(s.sell, now)).toThrow(InsufficientCredit);
            } else if ("wait" in s) {
              now += s.wait;
              overprice += c.tick(now);
            } else taken += c.takeAll();
            expect(inserted).toBe(sold + overprice + taken + c.credit);
          }
        },
      ),
    );
  });
});
