import type { PricingConfig } from "@vendkit/pricing";
import { ParameterError } from "./parameters.js";
import { type PriceTable, withPrice } from "./price-programming.js";

/**
 * Table 5.2 numbers whose settings live in the pricing, programmed by number as the original's
 * programmer does (manual 5.2, ch. 8): prices 10001-14100, bonus 1 (50000-50014), loyalty
 * (52000-52002, 52101-52300) and promotions (53000-53102). Values that name a choice are checked
 * here; ranges and base-coin multiples are checked whole by `validateConfig` afterwards.
 */

const PERIODS = ["daily", "weekly", "monthly"] as const;
const USAGES = ["disabled", "sale-only", "recharge-and-sale"] as const;

/** The pricing with parameter `number` set to `value`, or undefined when `number` is not a pricing parameter. */
export function setPricingParameter(
  pricing: PricingConfig,
  number: number,
  value: number,
): PricingConfig | undefined {
  const table = priceTableOf(number);
  if (table !== undefined) return withPrice(pricing, table.table, table.line, value);
  if (number >= 50_000 && number <= 50_014) return bonus1(pricing, number, value);
  if ((number >= 52_000 && number <= 52_002) || (number >= 52_101 && number <= 52_300))
    return loyalty(pricing, number, value);
  if (number >= 53_000 && number <= 53_102) return promotions(pricing, number, value);
  return undefined;
}

function priceTableOf(number: number): { table: PriceTable; line: number } | undefined {
  const line = number % 1000;
  if (line < 1 || line > 100) return undefined;
  if (number >= 10_001 && number <= 10_100) return { table: "cash", line };
  const level = Math.floor(number / 1000) - 11;
  if (level >= 0 && level <= 3) return { table: level as 0 | 1 | 2 | 3, line };
  return undefined;
}

function choice<T>(number: number, value: number, options: readonly T[], names: string): T {
  const picked = Number.isInteger(value) ? options[value] : undefined;
  if (picked === undefined)
    throw new ParameterError(number, `${value} is not one of 0..${options.length - 1} (${names})`);
  return picked;
}

const lineOf = (number: number, first: number) => number - first;
const replaceAt = (xs: readonly number[], i: number, v: number) => xs.map((x, j) => (j === i ? v : x));

// manual 8, table 5.2: 50000 usage, 50001 period, 50002 type (0 token, 1 credit), then per key
// level 0-3 the token discount (50003-50006, 0 % = OFF), the tokens (50007-50010) and the credit
// (50011-50014); a level is ON when the amount of its type is not 0
function bonus1(pricing: PricingConfig, number: number, value: number): PricingConfig {
  let b = pricing.bonus1;
  if (number === 50_000)
    b = { ...b, usage: choice(number, value, USAGES, "OFF, sale only, recharge and sale") };
  else if (number === 50_001) b = { ...b, period: choice(number, value, PERIODS, "daily, weekly, monthly") };
  else if (number === 50_002)
    b = { ...b, type: choice(number, value, ["tokens", "credit"] as const, "token, credit") };
  else {
    const field = number <= 50_006 ? "discount" : number <= 50_010 ? "tokens" : "credit";
    const level = (number - 50_003) % 4;
    b = { ...b, levels: b.levels.map((l, i) => (i === level ? { ...l, [field]: value } : l)) };
  }
  const type = b.type;
  b = {
    ...b,
    levels: b.levels.map((l) => ({ ...l, enabled: (type === "tokens" ? l.discount : l.credit) > 0 })),
  };
  return { ...pricing, bonus1: b };
}

// 52000 mode (0 OFF, 1 ON, 2 expiring), 52001 period, 52002 type (0 points, 1 credit), the price
// in points of lines 1-100 (52101-52200) and the points each line gives (52201-52300)
function loyalty(pricing: PricingConfig, number: number, value: number): PricingConfig {
  const l = pricing.loyalty;
  if (number === 52_000)
    return {
      ...pricing,
      loyalty: { ...l, mode: choice(number, value, ["off", "on", "expiring"] as const, "OFF, ON, expiring") },
    };
  if (number === 52_001)
    return {
      ...pricing,
      loyalty: { ...l, period: choice(number, value, PERIODS, "daily, weekly, monthly") },
    };
  if (number === 52_002)
    return {
      ...pricing,
      loyalty: { ...l, type: choice(number, value, ["points", "credit"] as const, "points, credit") },
    };
  if (number <= 52_200)
    return {
      ...pricing,
      loyalty: { ...l, pricePoints: replaceAt(l.pricePoints, lineOf(number, 52_101), value) },
    };
  return {
    ...pricing,
    loyalty: { ...l, pointsPerLine: replaceAt(l.pointsPerLine, lineOf(number, 52_201), value) },
  };
}

// 53000 ON/OFF, the discount % of lines 1-100 (53001-53100), 53101 machine (0 A, 1 B), 53102 TEMPO MAX
function promotions(pricing: PricingConfig, number: number, value: number): PricingConfig {
  const p = pricing.promotions;
  if (number === 53_000)
    return {
      ...pricing,
      promotions: { ...p, enabled: choice(number, value, [false, true] as const, "OFF, ON") },
    };
  if (number === 53_101)
    return { ...pricing, promotions: { ...p, machine: choice(number, value, ["A", "B"] as const, "A, B") } };
  if (number === 53_102) return { ...pricing, promotions: { ...p, maxMinutes: value } };
  return {
    ...pricing,
    promotions: { ...p, lineDiscount: replaceAt(p.lineDiscount, lineOf(number, 53_001), value) },
  };
}
