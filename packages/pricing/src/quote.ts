import { absoluteMinute, type LocalTime } from "./calendar.js";
import {
  CATEGORY_NAMES,
  type Category,
  inBand,
  type Level,
  MAX_LINES,
  MAX_OUT_OF_TABLE_LINE,
  type PricingConfig,
} from "./config.js";
import {
  type Expired,
  effectiveLevel,
  type Granted,
  type KeyState,
  type KeyTechnology,
  promotionApplies,
  refreshKey,
} from "./key-state.js";
import { discounted, percentOf } from "./money.js";

export type Medium =
  | { readonly kind: "cash" }
  | {
      readonly kind: "key";
      readonly level: Level;
      readonly technology: KeyTechnology;
      /** A free key sells everything at no charge (manual 4.10; excluded from limits). */
      readonly free?: boolean;
      readonly state: KeyState;
      /** Lowest credit the key may be left with (0, or below with negative credit ON). */
      readonly minCredit?: number;
    };

export interface QuoteRequest {
  /** Selection or price line: required under price holding; 101..250 are out-of-table lines. */
  readonly line?: number;
  /** The price the VMC asks, under prices on VMC and price system. */
  readonly vmcPrice?: number;
  readonly medium: Medium;
  /** A test vend the VMC asked for: free, uncounted by limits. */
  readonly test?: boolean;
  readonly now: LocalTime;
}

export type RefusalReason =
  | "OUT_OF_SERVICE"
  | "LINE_NOT_SELLABLE"
  | "PRICE_NOT_IN_TABLE"
  | "KEY_LEVEL_OFF"
  | "CATEGORY_NOT_SELLABLE"
  | "CATEGORY_LIMIT_REACHED"
  | "INSUFFICIENT_FUNDS"
  | "INVALID_REQUEST";

/** What paid for the sale; the extras in the manual's priority order (8.9.1) come first. */
export type Funding =
  | "loyalty-points"
  | "promotion"
  | "bonus1"
  | "bonus2"
  | "happy-hour"
  | "credit"
  | "cash"
  | "free-key"
  | "test";

export interface Refusal {
  readonly ok: false;
  readonly reason: RefusalReason;
  readonly detail: string;
}

export interface Charge {
  readonly ok: true;
  /** The price line sold, when there is one (1..250). */
  readonly line: number | undefined;
  /** A sale outside the price table (prices on VMC, no matching line or line 101..250). */
  readonly outOfTable: boolean;
  readonly category: Category | undefined;
  /** The price before extras: cash price for cash, the key level's price for a key. */
  readonly listPrice: number;
  /** What leaves the cash or the key's credit. */
  readonly charge: number;
  /** What bonus-1 credit paid. */
  readonly bonusCreditUsed: number;
  /** listPrice − charge − bonusCreditUsed: what the extras took off. */
  readonly discount: number;
  readonly funding: Funding;
  /** The key's new state to write back (keys only). */
  readonly key: KeyState | undefined;
  /** For the statistics: what lapsed at this insertion and what was given or used. */
  readonly stats: {
    readonly expired: Expired | undefined;
    /** What a new period gave the key at this sale (bonus-1 credit or tokens). */
    readonly granted: Granted | undefined;
    readonly loyaltyCredit: number;
    readonly pointsGiven: number;
    readonly pointsUsed: number;
    readonly tokensUsed: number;
  };
}

export type Quote = Refusal | Charge;

const refuse = (reason: RefusalReason, detail: string): Refusal => ({ ok: false, reason, detail });

interface Resolved {
  readonly line: number | undefined;
  readonly outOfTable: boolean;
  readonly cashPrice: number;
}

/** Which line is sold at which cash price, by price system (manual 4.2-4.4). */
function resolveLine(config: PricingConfig, req: QuoteRequest): Resolved | Refusal {
  const { line, vmcPrice } = req;
  if (line !== undefined && (!Number.isInteger(line) || line < 1 || line > MAX_OUT_OF_TABLE_LINE)) {
    return refuse("INVALID_REQUEST", `line ${line}`);
  }
  if (config.priceSystem === "price-holding" || config.priceSystem === "price-holding-display") {
    if (line === undefined) return refuse("INVALID_REQUEST", "price holding needs the selection number");
    if (line > config.lines)
      return refuse("LINE_NOT_SELLABLE", `line ${line} is beyond the ${config.lines} lines in use`);
    return { line, outOfTable: false, cashPrice: config.cash[line - 1] as number };
  }
  if (vmcPrice === undefined || !Number.isInteger(vmcPrice) || vmcPrice < 0) {
    return refuse("INVALID_REQUEST", "this price system needs the VMC's price");
  }
  if (line !== undefined && line > MAX_LINES) {
    if (config.priceSystem === "price-system")
      return refuse("LINE_NOT_SELLABLE", `line ${line} is out of the table`);
    return { line, outOfTable: true, cashPrice: vmcPrice };
  }
  // The VMC's price names the line: the first line in use with that cash price.
  for (let i = 0; i < config.lines; i++) {
    if (config.cash[i] === vmcPrice) return { line: i + 1, outOfTable: false, cashPrice: vmcPrice };
  }
  if (config.priceSystem === "price-system")
    return refuse("PRICE_NOT_IN_TABLE", `${vmcPrice} is not a cash price`);
  return { line, outOfTable: true, cashPrice: vmcPrice };
}

function outOfService(config: PricingConfig, now: LocalTime): boolean {
  return (
    config.outOfService.enabled && config.outOfService.bands.some((b) => b.enabled && inBand(b, now.minute))
  );
}

/** The happy-hour discount in force for a line, or 0. */
function happyHourDiscount(config: PricingConfig, line: number, now: LocalTime): number {
  if (!config.happyHours.enabled) return 0;
  const band = config.happyHours.bands.find((b) => b.mode !== "disabled" && inBand(b, now.minute));
  if (band === undefined) return 0;
  return band.mode === "global" ? band.discount : (band.lineDiscount[line - 1] ?? 0);
}

/**
 * A sale at a fixed charge with no extras: test vends, cash, free keys. (A module function, not a
 * closure in `quote`: a closure there makes V8 keep quote's locals in a heap context, which cost
 * 2-5x in the benchmark.)
 */
function plain(
  base: Pick<Charge, "line" | "outOfTable" | "category">,
  cashPrice: number,
  funding: Funding,
  charge: number,
  key: KeyState | undefined,
  stats: Charge["stats"],
): Charge {
  return {
    ok: true,
    ...base,
    listPrice: cashPrice,
    charge,
    bonusCreditUsed: 0,
    discount: cashPrice - charge,
    funding,
    key,
    stats,
  };
}

const NO_STATS = {
  expired: undefined,
  granted: undefined,
  loyaltyCredit: 0,
  pointsGiven: 0,
  pointsUsed: 0,
  tokensUsed: 0,
};

/**
 * Prices one sale. Pure: the same config, request and time give the same answer; nothing is
 * read from a clock and nothing passed in is changed. A refusal carries no state to write.
 */
export function quote(config: PricingConfig, req: QuoteRequest): Quote {
  const { medium, now } = req;
  const key = medium.kind === "key";
  if (outOfService(config, now) && (key || config.outOfService.stopsCash)) {
    return refuse("OUT_OF_SERVICE", "inside an out-of-service band");
  }
  const resolved = resolveLine(config, req);
  if ("ok" in resolved) return resolved;
  const { line, outOfTable, cashPrice } = resolved;
  const category = line !== undefined && line <= MAX_LINES ? config.categories[line - 1] : undefined;
  const base = { line, outOfTable, category };

  if (req.test) return plain(base, cashPrice, "test", 0, undefined, NO_STATS);
  if (medium.kind === "cash") return plain(base, cashPrice, "cash", cashPrice, undefined, NO_STATS);

  if (config.keys[medium.level].mode === "off")
    return refuse("KEY_LEVEL_OFF", `key level ${medium.level} is OFF`);
  const level = effectiveLevel(config, medium.level);
  const refreshed = refreshKey(config, medium.state, medium.level, medium.technology, now);
  let state = refreshed.key;
  const stats = { ...NO_STATS, expired: refreshed.expired, granted: refreshed.granted };

  if (medium.free) return plain(base, cashPrice, "free-key", 0, state, stats);

  const inTable = line !== undefined && !outOfTable;
  const listPrice = inTable ? (config.keys[level].prices[line - 1] as number) : cashPrice;
  const cat = category === undefined ? -1 : CATEGORY_NAMES.indexOf(category);
  const mizip = medium.technology === "mizip";

  // manual 4.5.3: daily limits, MiZip keys only, whatever pays.
  const limits = config.limits.levels[level];
  if (inTable && mizip && config.limits.enabled && limits?.enabled) {
    const limit = limits.perCategory[cat] as number;
    if (limit === 0)
      return refuse("CATEGORY_NOT_SELLABLE", `category ${category} is not sellable to key level ${level}`);
    if (limit < 15 && (state.daily.counts[cat] as number) >= limit) {
      return refuse("CATEGORY_LIMIT_REACHED", `${limit} sales of category ${category} today`);
    }
  }

  let price = listPrice;
  let funding: Funding = "credit";
  let bonusCreditUsed = 0;
  const loyalty = config.loyalty;
  const pricePoints = inTable ? (loyalty.pricePoints[line - 1] as number) : 0;
  const promotionDiscount = inTable ? (config.promotions.lineDiscount[line - 1] as number) : 0;

  if (
    inTable &&
    loyalty.mode !== "off" &&
    loyalty.type === "points" &&
    pricePoints > 0 &&
    state.loyalty.points >= pricePoints
  ) {
    // manual 8.9.1 priority 1: loyalty points
    price = 0;
    funding = "loyalty-points";
    state = { ...state, loyalty: { ...state.loyalty, points: state.loyalty.points - pricePoints } };
    stats.pointsUsed = pricePoints;
  } else if (inTable && promotionApplies(config, state, now)) {
    // priority 2: promotion, the sum of both machines' discounts, on the second sale
    const total = state.promotion.discount + percentOf(listPrice, promotionDiscount, config.baseCoin);
    price = Math.max(0, listPrice - total);
    funding = "promotion";
    state = { ...state, promotion: { discount: 0, minute: 0, machine: "none" } };
  } else if (inTable) {
    // priority 3: bonus 1, 2, 3 and happy hours, the most favourable first
    const candidates: { funding: Funding; price: number }[] = [];
    const hh = happyHourDiscount(config, line, now);
    if (hh > 0) candidates.push({ funding: "happy-hour", price: discounted(cashPrice, hh, config.baseCoin) });
    const b1 = config.bonus1;
    const b1Level = b1.levels[level];
    if (b1.usage !== "disabled" && b1.type === "tokens" && b1Level?.enabled && state.bonus1.amount > 0) {
      candidates.push({ funding: "bonus1", price: discounted(listPrice, b1Level.discount, config.baseCoin) });
    }
    const b2 = config.bonus2;
    const lineDiscount = b2.lineDiscount[line - 1] as number;
    if (b2.usage !== "disabled" && b2.levels[level]?.enabled && state.bonus2.tokens > 0 && lineDiscount > 0) {
      const b3 = b2.bonus3.levels[level];
      const b3Limit = b2.bonus3.enabled && mizip && b3?.enabled ? (b3.perCategory[cat] as number) : 15;
      if (b3Limit === 15 || (state.daily.bonusUse[cat] as number) < b3Limit) {
        candidates.push({ funding: "bonus2", price: discounted(listPrice, lineDiscount, config.baseCoin) });
      }
    }
    // ties go to the extra that uses no token (listed first)
    const best = candidates.reduce<(typeof candidates)[number] | undefined>(
      (acc, c) => (acc === undefined || c.price < acc.price ? c : acc),
      undefined,
    );
    if (best !== undefined && best.price < listPrice) {
      price = best.price;
      funding = best.funding;
      if (best.funding === "bonus1") {
        state = { ...state, bonus1: { ...state.bonus1, amount: state.bonus1.amount - 1 } };
        stats.tokensUsed = 1;
      } else if (best.funding === "bonus2") {
        const bonusUse = state.daily.bonusUse.map((n, i) => (i === cat ? Math.min(15, n + 1) : n));
        state = {
          ...state,
          bonus2: { ...state.bonus2, tokens: state.bonus2.tokens - 1 },
          daily: { ...state.daily, bonusUse },
        };
        stats.tokensUsed = 1;
      }
    }
  }

  // Bonus-1 credit is spent before the key's own credit.
  const b1 = config.bonus1;
  if (
    price > 0 &&
    b1.usage !== "disabled" &&
    b1.type === "credit" &&
    b1.levels[level]?.enabled &&
    state.bonus1.amount > 0
  ) {
    bonusCreditUsed = Math.min(price, state.bonus1.amount);
    state = { ...state, bonus1: { ...state.bonus1, amount: state.bonus1.amount - bonusCreditUsed } };
    if (funding === "credit" && bonusCreditUsed === price) funding = "bonus1";
  }
  const charge = price - bonusCreditUsed;
  const floor = medium.minCredit ?? 0;
  if (state.credit - charge < floor) {
    return refuse("INSUFFICIENT_FUNDS", `credit ${state.credit}, due ${charge}`);
  }
  state = { ...state, credit: state.credit - charge };

  if (inTable && funding !== "loyalty-points" && loyalty.mode !== "off") {
    if (loyalty.type === "credit") {
      stats.loyaltyCredit = loyalty.creditPerLine[line - 1] as number;
      state = { ...state, credit: state.credit + stats.loyaltyCredit };
    } else {
      stats.pointsGiven = loyalty.pointsPerLine[line - 1] as number;
      state = { ...state, loyalty: { ...state.loyalty, points: state.loyalty.points + stats.pointsGiven } };
    }
  }
  if (inTable && funding !== "promotion" && config.promotions.enabled && promotionDiscount > 0) {
    // the first sale of a promotion pair: remember its discount for the other machine
    state = {
      ...state,
      promotion: {
        discount: percentOf(listPrice, promotionDiscount, config.baseCoin),
        minute: absoluteMinute(now),
        machine: config.promotions.machine,
      },
    };
  }
  if (cat >= 0) {
    state = {
      ...state,
      daily: {
        ...state.daily,
        counts: state.daily.counts.map((n, i) => (i === cat ? Math.min(15, n + 1) : n)),
      },
    };
  }
  return {
    ok: true,
    ...base,
    listPrice,
    charge,
    bonusCreditUsed,
    discount: listPrice - charge - bonusCreditUsed,
    funding,
    key: state,
    stats,
  };
}
