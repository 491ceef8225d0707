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
  } else {
    add(c, V.keyVends, 1);
    add(c, S.keySales, q.charge);
    if (q.outOfTable) {
      add(c, S.keyOutOfTable, q.charge);
      add(c, V.keyOutOfTableVends, 1);
    }
    add(c, S.loyaltyCredit, q.stats.loyaltyCredit);
    add(c, S.discounts, q.discount);
    add(c, S.bonus, q.bonusCreditUsed);
    if (userGroup !== undefined)
      add(
        c,
        userGroupCounter("bonus", userGroup),
        q.bonusCreditUsed + (q.funding === "credit" ? 0 : q.discount),
      );
  }
  // bonus-1 credit that lapsed as the key entered a new period (lapsed tokens are not money)
  if (medium !== "cash" && pricing.bonus1.type === "credit")
    add(c, V.bonusCreditLapsed, q.stats.expired?.bonus1 ?? 0);
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
