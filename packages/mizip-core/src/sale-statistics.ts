import { type Charge, inBand, type PricingConfig } from "@vendkit/pricing";
import { localTime } from "./clock.js";
import {
  type ListSale,
  lineCount,
  listSaleCounter,
  productCounter,
  S,
  userGroupCounter,
  V,
} from "./counters.js";
import type { MaxiBoxEntry, SaleKind } from "./maxi-box.js";
import type { Counters } from "./statistics.js";

/**
 * The sale-to-statistics mapping: what one sale adds to the counters (manual 9.4.2, 7.5) and
 * what it writes in the transaction log (9.6). Pure: the pricing and the time are arguments.
 */

/** Manual 7.5 lists 5 and 6: what paid a sale, as those lists count it. */
function listSale(q: Charge, free: boolean): ListSale | undefined {
  if (free) return "free";
  switch (q.funding) {
    case "loyalty-points":
      return "loyalty";
    case "bonus1":
      // list 6 counts token sales; bonus-1 credit that paid the whole price is "bonus1" too
      return q.stats.tokensUsed > 0 ? "bonus1" : undefined;
    case "bonus2":
    case "promotion":
    case "happy-hour":
      return q.funding;
    default:
      return undefined;
  }
}

export const add = (into: Record<string, number>, name: string | undefined, n: number) => {
  if (name !== undefined && n > 0) into[name] = (into[name] ?? 0) + n;
};

/** What a sale adds to the statistics (manual 9.4.2 counters). */
export function saleCounts(
  pricing: PricingConfig,
  q: Charge,
  free: boolean,
  medium: "cash" | 0 | 1 | 2 | 3,
  userGroup: number | undefined,
): Counters {
  const c: Record<string, number> = {};
  if (medium === "cash") {
    add(c, V.cashVends, 1);
    add(c, S.cashSales, q.charge);
    if (q.outOfTable) {
      add(c, S.cashOutOfTable, q.charge);
      add(c, V.cashOutOfTableVends, 1);
    }
  } else if (free) {
    add(c, V.freeVends, 1);
    add(c, S.freeSales, q.listPrice);
    if (userGroup !== undefined) add(c, userGroupCounter("free", userGroup), q.listPrice);
    if (q.outOfTable) {
      add(c, V.freeOutOfTableVends, 1);
      add(c, V.freeOutOfTable, q.listPrice);
    }
  } else if (q.funding === "loyalty-points") {
    // a sale paid with points is a free sale (7.5 list 3, VA3: free keys and loyalty)
    add(c, V.freeVends, 1);
    add(c, S.freeSales, q.listPrice);
    add(c, S.loyaltyPointSales, 1);
    if (userGroup !== undefined) add(c, userGroupCounter("free", userGroup), q.listPrice);
  } else {
    add(c, V.keyVends, 1);
    add(c, S.keySales, q.charge);
    if (q.outOfTable) {
      add(c, S.keyOutOfTable, q.charge);
      add(c, V.keyOutOfTableVends, 1);
    }
    add(c, S.loyaltyCredit, q.stats.loyaltyCredit);
    add(c, V.bonusCreditSpent, q.bonusCreditUsed);
    // 7.5 list 11 n = 30: what key levels 1-3's prices take off the cash price
    const cashPrice = q.line === undefined || q.outOfTable ? undefined : pricing.cash[q.line - 1];
    if (medium !== 0 && cashPrice !== undefined) add(c, S.discounts, Math.max(0, cashPrice - q.listPrice));
    // 7.5 list 11 n = 4, 19, 20, 22: how many sales bonus tokens and promotions paid
    const tokens = q.funding === "bonus1" || q.funding === "bonus2";
    if (q.funding === "bonus1") add(c, S.bonus1Sales, 1);
    if (q.funding === "bonus2") add(c, S.bonus2Sales, 1);
    if (tokens) add(c, S.bonus, 1);
    if (q.funding === "promotion") add(c, S.promotionSales, 1);
    if (userGroup !== undefined) {
      // 4.9 user groups: TOT. BONUS all bonuses given (bonus-1 credit, bonus-1 and bonus-2
      // tokens); TOT. GRATIS the sales at price zero (a level price of zero, promotions)
      add(c, userGroupCounter("bonus", userGroup), q.bonusCreditUsed + (tokens ? q.discount : 0));
      if (q.charge === 0 && q.bonusCreditUsed === 0 && !tokens)
        add(c, userGroupCounter("free", userGroup), cashPrice ?? q.listPrice);
    }
  }
  if (medium !== "cash" && pricing.bonus1.type === "credit") {
    // bonus-1 credit that lapsed as the key entered a new period, and what the period gave
    // (lapsed tokens are not money)
    add(c, V.bonusCreditLapsed, q.stats.expired?.bonus1 ?? 0);
    add(c, S.bonus1CreditGiven, q.stats.granted?.bonus1 ?? 0);
  }
  if (q.line !== undefined && !q.outOfTable) {
    add(c, lineCount(medium, q.line), 1);
    // manual 7.5 lists 5 and 6: the line's sales by what paid them
    const paidBy = listSale(q, free);
    if (paidBy !== undefined) add(c, listSaleCounter(paidBy, q.line)?.counter, 1);
    // manual 7.5 list 12: free key and loyalty sales are PA4's, the rest PA2's, at the price
    // they were sold at; any extra that paid or took off counts the sale as discounted too
    if (free || q.funding === "loyalty-points") {
      add(c, productCounter(q.line, 401), 1);
      add(c, productCounter(q.line, 402), q.listPrice);
    } else {
      const value = q.listPrice - q.discount;
      add(c, productCounter(q.line, 201), 1);
      add(c, productCounter(q.line, 202), value);
      if (q.discount > 0 || q.bonusCreditUsed > 0 || (q.funding !== "credit" && q.funding !== "cash")) {
        add(c, productCounter(q.line, 205), 1);
        add(c, productCounter(q.line, 206), value);
      }
    }
  }
  return c;
}

/** The transaction-log entry of a sale (manual 9.6); `keyNumber` for a key sale. */
export function saleEntry(
  pricing: PricingConfig,
  q: Charge,
  now: number,
  keyNumber: number | undefined,
  timeZone: string,
): MaxiBoxEntry {
  const base = {
    kind: "sale",
    at: now,
    sale: saleKind(pricing, q, now, timeZone),
    selection: q.line ?? 0,
    amount: q.charge,
  } as const;
  return keyNumber === undefined ? base : { ...base, keyNumber };
}

/** The Maxi Box sale kind (manual 9.6). */
export function saleKind(pricing: PricingConfig, q: Charge, now: number, timeZone: string): SaleKind {
  switch (q.funding) {
    case "loyalty-points":
      return "loyalty";
    case "promotion":
      return "promotion";
    case "bonus1":
      return "bonus-1";
    case "bonus2":
      return "bonus-2";
    case "happy-hour": {
      const minute = localTime(now, timeZone).minute;
      const band = pricing.happyHours.bands.findIndex((b) => b.mode !== "disabled" && inBand(b, minute));
      return band === 1 ? "happy-hour-2" : band === 2 ? "happy-hour-3" : "happy-hour-1";
    }
    default:
      return "no-discount";
  }
}
