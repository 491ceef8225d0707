import type { Charge } from "@vendkit/pricing";
import { describe, expect, it } from "vitest";
import { S, userGroupCounter, V } from "./counters.js";
import { saleCounts } from "./sale-statistics.js";
import { shopPricing } from "./test-support.js";

/** A key sale of line 1 (cash price 0.50 in the shop pricing). */
const sale = (c: Partial<Charge>): Charge => ({
  ok: true,
  line: 1,
  outOfTable: false,
  category: undefined,
  listPrice: 45,
  charge: 45,
  bonusCreditUsed: 0,
  discount: 0,
  funding: "credit",
  key: undefined,
  stats: {
    expired: undefined,
    granted: undefined,
    loyaltyCredit: 0,
    pointsGiven: 0,
    pointsUsed: 0,
    tokensUsed: 0,
  },
  ...c,
});
const pricing = shopPricing();
const UG1 = { bonus: userGroupCounter("bonus", 1) as string, free: userGroupCounter("free", 1) as string };

describe("what a sale adds to the statistics, as table 7.5 pairs them", () => {
  it("S9: the discount of key levels 1-3's prices on the cash price, not level 0's nor the extras'", () => {
    expect(saleCounts(pricing, sale({ listPrice: 40, charge: 40 }), false, 1, undefined)[S.discounts]).toBe(
      10,
    );
    expect(
      saleCounts(pricing, sale({ listPrice: 45, charge: 45 }), false, 0, undefined)[S.discounts],
    ).toBeUndefined();
    expect(
      saleCounts(
        pricing,
        sale({ listPrice: 45, charge: 30, discount: 15, funding: "happy-hour" }),
        false,
        0,
        undefined,
      )[S.discounts],
    ).toBeUndefined();
  });

  it("S23 = S750 + S811: sales paid with bonus tokens; S872 loyalty-point sales; S933 promotion sales", () => {
    const t1 = saleCounts(pricing, sale({ charge: 20, discount: 25, funding: "bonus1" }), false, 0, 1);
    expect([t1[S.bonus], t1[S.bonus1Sales], t1[S.bonus2Sales]]).toEqual([1, 1, undefined]);
    const t2 = saleCounts(pricing, sale({ charge: 0, discount: 45, funding: "bonus2" }), false, 0, 1);
    expect([t2[S.bonus], t2[S.bonus2Sales], t2[UG1.bonus], t2[UG1.free]]).toEqual([1, 1, 45, undefined]);
    const promo = saleCounts(pricing, sale({ charge: 0, discount: 45, funding: "promotion" }), false, 0, 1);
    // a promotion at price zero is a free sale of the user group (4.9), not a bonus
    expect([promo[S.promotionSales], promo[UG1.bonus], promo[UG1.free], promo[S.bonus]]).toEqual([
      1,
      undefined,
      50,
      undefined,
    ]);
    const happy = saleCounts(pricing, sale({ charge: 30, discount: 15, funding: "happy-hour" }), false, 0, 1);
    expect([happy[UG1.bonus], happy[UG1.free]]).toEqual([undefined, undefined]);
  });

  it("VA3 and TOT. GRATIS: a sale paid with loyalty points is a free sale, at its list price", () => {
    const c = saleCounts(pricing, sale({ charge: 0, discount: 45, funding: "loyalty-points" }), false, 0, 1);
    expect([c[S.freeSales], c[V.freeVends], c[S.loyaltyPointSales], c[UG1.free], c[S.keySales]]).toEqual([
      45,
      1,
      1,
      45,
      undefined,
    ]);
  });

  it("TOT. BONUS counts the bonus-1 credit spent; S1007 the bonus-1 credit a new period gave", () => {
    const credit = { ...pricing, bonus1: { ...pricing.bonus1, type: "credit" as const } };
    const c = saleCounts(
      credit,
      sale({
        charge: 25,
        bonusCreditUsed: 20,
        stats: { ...sale({}).stats, granted: { bonus1: 100 }, expired: { bonus1: 30, bonus2: 0, points: 0 } },
      }),
      false,
      0,
      1,
    );
    expect([c[UG1.bonus], c[V.bonusCreditSpent], c[S.bonus1CreditGiven], c[V.bonusCreditLapsed]]).toEqual([
      20, 20, 100, 30,
    ]);
  });
});
