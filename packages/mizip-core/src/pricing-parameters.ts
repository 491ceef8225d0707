import type { KeyTable, LevelLimits, PricingConfig } from "@vendkit/pricing";
import { ParameterError } from "./parameters.js";
import { type PriceTable, withPrice } from "./price-programming.js";

/**
 * Table 5.2 numbers whose settings live in the pricing, programmed by number as the original's
 * programmer does (manual 5.2, 4.4, 4.5, ch. 8): prices 10001-14100 and the key levels' tables
 * (12000, 13000, 14000: 0 OFF, 1 ON, 2 →KEY 0, our reading of the third value), the number of
 * lines (40109), the conversion table (16000-16100), category limits (17000 and 40112 ON, the
 * categories of lines 17001-17100, per key level 17101-17139), bonus 1 (50000-50014), bonus 2-3
 * (51000-51009, 51101-51200, 51201-51240), loyalty (52000-52002, 52101-52300), promotions
 * (53000-53102), happy hours (54000-54012, 54101-54400) and out-of-service bands
 * (55000-55009). Values that name a choice, and times, are checked here; ranges and base-coin
 * multiples are checked whole by `validateConfig` afterwards. A time is programmed as HHMM
 * (13:30 is 1330), our reading of the manual's "ora di inizio / fine".
 */

/**
 * The pricing numbers whose value is money (in the smallest unit), as [first, last] ranges: the
 * prices of the cash table and key levels 0-3 (10001-14100 but the level tables 12000-14000) and
 * bonus 1's credit per key level (50011-50014). A console takes and shows them as money.
 */
export const PRICING_MONEY_NUMBERS: readonly (readonly [number, number])[] = [
  [10_001, 10_100],
  [11_001, 11_100],
  [12_001, 12_100],
  [13_001, 13_100],
  [14_001, 14_100],
  [50_011, 50_014],
];

const PERIODS = ["daily", "weekly", "monthly"] as const;
const USAGES = ["disabled", "sale-only", "recharge-and-sale"] as const;

/**
 * The pricing with parameter `number` set to `value`, or undefined when `number` is not a pricing
 * parameter. `copyCash`: COPIA TAB. CONTANTI (40117) is ON, so a cash price goes to the key tables too.
 */
export function setPricingParameter(
  pricing: PricingConfig,
  number: number,
  value: number,
  options: { readonly copyCash?: boolean } = {},
): PricingConfig | undefined {
  const table = priceTableOf(number);
  if (table !== undefined) return withPrice(pricing, table.table, table.line, value, options.copyCash);
  const tables = priceTables(pricing, number, value);
  if (tables !== undefined) return tables;
  if (number >= 50_000 && number <= 50_014) return bonus1(pricing, number, value);
  if ((number >= 51_000 && number <= 51_009) || (number >= 51_101 && number <= 51_240))
    return bonus23(pricing, number, value);
  if ((number >= 52_000 && number <= 52_002) || (number >= 52_101 && number <= 52_300))
    return loyalty(pricing, number, value);
  if (number >= 53_000 && number <= 53_102) return promotions(pricing, number, value);
  if ((number >= 54_000 && number <= 54_012) || (number >= 54_101 && number <= 54_400))
    return happyHours(pricing, number, value);
  if (number >= 55_000 && number <= 55_009) return outOfService(pricing, number, value);
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

/** A time of day programmed as HHMM, in minutes after midnight. */
function minutes(number: number, value: number): number {
  const hh = Math.floor(value / 100);
  const mm = value % 100;
  if (!Number.isInteger(value) || value < 0 || hh > 23 || mm > 59)
    throw new ParameterError(number, `${value} is not a time HHMM (0000-2359)`);
  return hh * 60 + mm;
}

const OFF_ON = [false, true] as const;

/**
 * Per key level limits, numbered ten a level from `first` (manual 4.5, 8: bonus 3 and category
 * limits): the level's limits ON/OFF, then categories A-H; the ninth number of each ten is none.
 */
function withLevelLimit(
  levels: readonly LevelLimits[],
  number: number,
  first: number,
  value: number,
): LevelLimits[] {
  const level = Math.floor((number - first) / 10);
  const at = (number - first) % 10;
  if (level > 3 || at > 8) throw new ParameterError(number, "no such limit");
  return levels.map((l, i) =>
    i !== level
      ? l
      : at === 0
        ? { ...l, enabled: choice(number, value, OFF_ON, "OFF, ON") }
        : { ...l, perCategory: replaceAt(l.perCategory, at - 1, value) },
  );
}

// 51000 usage, 51001 period, keys 0-3 ON (51002-51005) and their tokens (51006-51009), the
// discount % of lines 1-100 (51101-51200); bonus 3: 51201 ON, then per key level 0-3 its limits
// ON (51202, 51212, 51222, 51232) and its limits for categories A-H (the 8 numbers after each)
function bonus23(pricing: PricingConfig, number: number, value: number): PricingConfig {
  const b = pricing.bonus2;
  const levelSet = (i: number, change: object) => b.levels.map((l, j) => (j === i ? { ...l, ...change } : l));
  let next: PricingConfig["bonus2"];
  if (number === 51_000)
    next = { ...b, usage: choice(number, value, USAGES, "OFF, sale only, recharge and sale") };
  else if (number === 51_001)
    next = { ...b, period: choice(number, value, PERIODS, "daily, weekly, monthly") };
  else if (number <= 51_005)
    next = { ...b, levels: levelSet(number - 51_002, { enabled: choice(number, value, OFF_ON, "OFF, ON") }) };
  else if (number <= 51_009) next = { ...b, levels: levelSet(number - 51_006, { tokens: value }) };
  else if (number <= 51_200)
    next = { ...b, lineDiscount: replaceAt(b.lineDiscount, lineOf(number, 51_101), value) };
  else if (number === 51_201)
    next = { ...b, bonus3: { ...b.bonus3, enabled: choice(number, value, OFF_ON, "OFF, ON") } };
  else {
    const levels = withLevelLimit(b.bonus3.levels, number, 51_202, value);
    next = { ...b, bonus3: { ...b.bonus3, levels } };
  }
  return { ...pricing, bonus2: next };
}

// 54000 ON; bands 1-3: mode (0 OFF, 1 discount per selection, 2 global discount), start, end
// (54001-54009, three numbers a band); the global % of each band (54010-54012); the per-line %
// of band 1 (54101-54200), 2 (54201-54300) and 3 (54301-54400)
function happyHours(pricing: PricingConfig, number: number, value: number): PricingConfig {
  const h = pricing.happyHours;
  if (number === 54_000)
    return { ...pricing, happyHours: { ...h, enabled: choice(number, value, OFF_ON, "OFF, ON") } };
  const band = (i: number, change: (b: (typeof h.bands)[number]) => object) => ({
    ...pricing,
    happyHours: { ...h, bands: h.bands.map((b, j) => (j === i ? { ...b, ...change(b) } : b)) },
  });
  if (number <= 54_009) {
    const i = Math.floor((number - 54_001) / 3);
    const at = (number - 54_001) % 3;
    if (at === 0)
      return band(i, () => ({
        mode: choice(
          number,
          value,
          ["disabled", "per-line", "global"] as const,
          "OFF, per selection, global",
        ),
      }));
    return band(i, () => (at === 1 ? { start: minutes(number, value) } : { end: minutes(number, value) }));
  }
  if (number <= 54_012) return band(number - 54_010, () => ({ discount: value }));
  const i = Math.floor((number - 54_101) / 100);
  return band(i, (b) => ({ lineDiscount: replaceAt(b.lineDiscount, (number - 54_101) % 100, value) }));
}

// 55000 ON; bands 1-3: ON, start, end (55001-55009, three numbers a band)
function outOfService(pricing: PricingConfig, number: number, value: number): PricingConfig {
  const o = pricing.outOfService;
  if (number === 55_000)
    return { ...pricing, outOfService: { ...o, enabled: choice(number, value, OFF_ON, "OFF, ON") } };
  const i = Math.floor((number - 55_001) / 3);
  const at = (number - 55_001) % 3;
  const change =
    at === 0
      ? { enabled: choice(number, value, OFF_ON, "OFF, ON") }
      : at === 1
        ? { start: minutes(number, value) }
        : { end: minutes(number, value) };
  return {
    ...pricing,
    outOfService: { ...o, bands: o.bands.map((b, j) => (j === i ? { ...b, ...change } : b)) },
  };
}

const CATEGORIES = ["A", "B", "C", "D", "E", "F", "G", "H"] as const;

// manual 4.4, 4.5: the key levels' tables, the number of lines, the conversion table, the
// categories of the lines and the limits per category of each key level
function priceTables(pricing: PricingConfig, number: number, value: number): PricingConfig | undefined {
  if (number === 12_000 || number === 13_000 || number === 14_000) {
    const level = number / 1000 - 11;
    const mode = choice(number, value, ["off", "on", "key0"] as const, "OFF, ON, →KEY 0");
    const keys = pricing.keys.map((k, i) => (i === level ? { ...k, mode } : k));
    return { ...pricing, keys: keys as [KeyTable, KeyTable, KeyTable, KeyTable] };
  }
  if (number === 40_109) return { ...pricing, lines: value };
  if (number === 16_000)
    return {
      ...pricing,
      conversion: {
        ...pricing.conversion,
        mode: choice(number, value, ["off", "dec", "hex"] as const, "OFF, DEC, HEX"),
      },
    };
  if (number >= 16_001 && number <= 16_100) {
    const numbers = replaceAt(pricing.conversion.numbers, lineOf(number, 16_001), value);
    return { ...pricing, conversion: { ...pricing.conversion, numbers } };
  }
  const limits = pricing.limits;
  if (number === 17_000 || number === 40_112)
    return { ...pricing, limits: { ...limits, enabled: choice(number, value, OFF_ON, "OFF, ON") } };
  if (number >= 17_001 && number <= 17_100) {
    const category = choice(number, value - 1, CATEGORIES, "1-8 for A-H");
    return {
      ...pricing,
      categories: pricing.categories.map((c, i) => (i === lineOf(number, 17_001) ? category : c)),
    };
  }
  if (number >= 17_101 && number <= 17_139) {
    const levels = withLevelLimit(limits.levels, number, 17_101, value);
    return {
      ...pricing,
      limits: { ...limits, levels: levels as [LevelLimits, LevelLimits, LevelLimits, LevelLimits] },
    };
  }
  return undefined;
}
