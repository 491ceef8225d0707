/**
 * The pricing configuration of a MiZip-style payment system (manual 4.4, 4.5, ch. 8; digest
 * §2-§4, §14). Plain data; `validateConfig` reports what is out of range, with the manual's
 * parameter number (table 5.2) where it has one. Money is an integer count of the smallest unit;
 * percentages are whole numbers 0..100; times of day are minutes 0..1439.
 */

import { inWords } from "./words.js";

export const CATEGORY_NAMES = ["A", "B", "C", "D", "E", "F", "G", "H"] as const;
export type Category = (typeof CATEGORY_NAMES)[number];
export const MAX_LINES = 100;
/** Lines 101..250 sell only as out-of-table sales under prices on VMC. */
export const MAX_OUT_OF_TABLE_LINE = 250;

export type PriceSystem = "prices-on-vmc" | "price-system" | "price-holding" | "price-holding-display";
export type Period = "daily" | "weekly" | "monthly";
export type Usage = "disabled" | "sale-only" | "recharge-and-sale";
export type Level = 0 | 1 | 2 | 3;

/** A key level's price table: OFF (key refused), ON (its own prices) or →KEY 0. */
export interface KeyTable {
  readonly mode: "off" | "on" | "key0";
  /** Prices of lines 1..100 (index 0 is line 1). */
  readonly prices: readonly number[];
}

/** Per-category limits of one key level: 0 not sellable, 1..14 per day, 15 no limit. */
export interface LevelLimits {
  readonly enabled: boolean;
  readonly perCategory: readonly number[];
}

export interface TimeBand {
  /** Minutes after midnight, start included, end excluded; end < start wraps past midnight. */
  readonly start: number;
  readonly end: number;
}

export interface PricingConfig {
  readonly priceSystem: PriceSystem;
  /** Every price is a multiple of it (param 30003). */
  readonly baseCoin: number;
  /** Number of price lines in use, 1..100 (param 40109). */
  readonly lines: number;
  /** Cash prices of lines 1..100 (params 10001-10100). */
  readonly cash: readonly number[];
  /** Key levels 0..3 (params 11001-14100); key 0 is always ON. */
  readonly keys: readonly [KeyTable, KeyTable, KeyTable, KeyTable];
  /** Category of lines 1..100 (params 17001-17100). */
  readonly categories: readonly Category[];
  /**
   * Names of lines 1..100 (manual 4.4.7): up to 8 printable ASCII characters, no "*" (the
   * EVA-DTS element separator); the Plus audit modes carry them. Default "SEL.001".."SEL.100",
   * as the programmer's menu shows them.
   */
  readonly names: readonly string[];
  /**
   * CONVERSION TABLE (manual 4.4.6, params 16000-16100; MDB with price holding only): the
   * machine's selection number each line answers to, 1..65535, 0 for none. `mode` is how the
   * programmer enters them: "dec" as decimals, "hex" as four hex digits (the same numbers).
   */
  readonly conversion: { readonly mode: "off" | "dec" | "hex"; readonly numbers: readonly number[] };
  readonly limits: {
    readonly enabled: boolean;
    readonly levels: readonly [LevelLimits, LevelLimits, LevelLimits, LevelLimits];
  };
  readonly bonus1: {
    readonly usage: Usage;
    readonly type: "credit" | "tokens";
    readonly period: Period;
    readonly levels: readonly {
      readonly enabled: boolean;
      readonly credit: number;
      /** 0..7 tokens per period. */
      readonly tokens: number;
      /** Discount of a token sale, 0..100 (100 = free). */
      readonly discount: number;
    }[];
  };
  readonly bonus2: {
    readonly usage: Usage;
    readonly period: Period;
    /** Tokens per period for levels 0..3 (0..127); a level with `enabled: false` gets none. */
    readonly levels: readonly { readonly enabled: boolean; readonly tokens: number }[];
    /** Discount per line 1..100; 0 = the line cannot be bought with bonus 2, 100 = free. */
    readonly lineDiscount: readonly number[];
    /** Bonus 3: daily token limits per category and level (0 none, 1..14, 15 no limit). */
    readonly bonus3: { readonly enabled: boolean; readonly levels: readonly LevelLimits[] };
  };
  readonly loyalty: {
    readonly mode: "off" | "on" | "expiring";
    readonly type: "credit" | "points";
    /** Period after which points lapse (expiring mode, MiZip keys only). */
    readonly period: Period;
    /** Credit given back after a sale of each line (type credit). */
    readonly creditPerLine: readonly number[];
    /** Points given after a sale of each line (type points). */
    readonly pointsPerLine: readonly number[];
    /** Price in points of each line; 0 = never sold for points. */
    readonly pricePoints: readonly number[];
  };
  readonly promotions: {
    readonly enabled: boolean;
    readonly machine: "A" | "B";
    /** 1..999 minutes (default 30). */
    readonly maxMinutes: number;
    readonly lineDiscount: readonly number[];
  };
  readonly happyHours: {
    readonly enabled: boolean;
    readonly bands: readonly ({
      readonly mode: "disabled" | "global" | "per-line";
      readonly discount: number;
      readonly lineDiscount: readonly number[];
    } & TimeBand)[];
  };
  readonly outOfService: {
    readonly enabled: boolean;
    /** True where the protocol mode also stops cash sales (manual 8.8: EXECUTIVE MASTER). */
    readonly stopsCash: boolean;
    readonly bands: readonly ({ readonly enabled: boolean } & TimeBand)[];
  };
}

const lines = (n: number) => Array.from({ length: MAX_LINES }, () => n);
const levelLimits = (): LevelLimits => ({ enabled: false, perCategory: [15, 15, 15, 15, 15, 15, 15, 15] });

/** Everything OFF, prices 0: the manual's defaults where it gives them. */
export function defaultConfig(): PricingConfig {
  return {
    priceSystem: "prices-on-vmc",
    baseCoin: 1,
    lines: MAX_LINES,
    cash: lines(0),
    keys: [
      { mode: "on", prices: lines(0) },
      { mode: "off", prices: lines(0) },
      { mode: "off", prices: lines(0) },
      { mode: "off", prices: lines(0) },
    ],
    categories: Array.from({ length: MAX_LINES }, () => "A" as const),
    names: Array.from({ length: MAX_LINES }, (_, i) => `SEL.${String(i + 1).padStart(3, "0")}`),
    conversion: { mode: "off", numbers: lines(0) },
    limits: { enabled: false, levels: [levelLimits(), levelLimits(), levelLimits(), levelLimits()] },
    bonus1: {
      usage: "disabled",
      type: "credit",
      period: "daily",
      levels: Array.from({ length: 4 }, () => ({ enabled: false, credit: 0, tokens: 0, discount: 0 })),
    },
    bonus2: {
      usage: "disabled",
      period: "daily",
      levels: Array.from({ length: 4 }, () => ({ enabled: false, tokens: 0 })),
      lineDiscount: lines(0),
      bonus3: { enabled: false, levels: [levelLimits(), levelLimits(), levelLimits(), levelLimits()] },
    },
    loyalty: {
      mode: "off",
      type: "credit",
      period: "daily",
      creditPerLine: lines(0),
      pointsPerLine: lines(0),
      pricePoints: lines(0),
    },
    promotions: { enabled: false, machine: "A", maxMinutes: 30, lineDiscount: lines(0) },
    happyHours: {
      enabled: false,
      bands: Array.from({ length: 3 }, () => ({
        mode: "disabled" as const,
        discount: 0,
        lineDiscount: lines(0),
        start: 0,
        end: 0,
      })),
    },
    outOfService: {
      enabled: false,
      stopsCash: false,
      bands: Array.from({ length: 3 }, () => ({ enabled: false, start: 0, end: 0 })),
    },
  };
}

/** One thing wrong with a configuration. */
export interface ConfigFinding {
  readonly code:
    | "OUT_OF_RANGE"
    | "NOT_BASE_COIN_MULTIPLE"
    | "WRONG_LENGTH"
    | "BANDS_OVERLAP"
    | "KEY0_NOT_ON"
    | "KEY0_LIMITS_DIFFER"
    | "BAD_NAME"
    | "DUPLICATE_SELECTION";
  /** The manual's parameter number (table 5.2), where it has one. */
  readonly parameter: number | undefined;
  /** Where in the configuration, e.g. `keys[1].prices[4]`. */
  readonly path: string;
  readonly message: string;
}

/** Whether two bands share a minute. */
export function bandsOverlap(a: TimeBand, b: TimeBand): boolean {
  const minutes = (t: TimeBand): [number, number][] =>
    t.start <= t.end
      ? [[t.start, t.end]]
      : [
          [t.start, 1440],
          [0, t.end],
        ];
  return minutes(a).some(([s1, e1]) => minutes(b).some(([s2, e2]) => s1 < e2 && s2 < e1));
}

/** Whether a minute of the day is inside a band. */
export function inBand(band: TimeBand, minute: number): boolean {
  return band.start <= band.end
    ? minute >= band.start && minute < band.end
    : minute >= band.start || minute < band.end;
}

const SELECTION_NAME = /^[\x20-\x29\x2b-\x7e]{0,8}$/;

export function validateConfig(c: PricingConfig): ConfigFinding[] {
  const out: ConfigFinding[] = [];
  const add = (code: ConfigFinding["code"], parameter: number | undefined, path: string, message: string) =>
    out.push({ code, parameter, path, message });
  const range = (v: number, min: number, max: number, parameter: number | undefined, path: string) => {
    if (!Number.isInteger(v) || v < min || v > max)
      add("OUT_OF_RANGE", parameter, path, `${inWords(path)} is ${v}, not ${min}..${max}`);
  };
  const table = (
    values: readonly number[],
    min: number,
    max: number,
    firstParameter: number | undefined,
    path: string,
    coins = false,
  ) => {
    if (values.length !== MAX_LINES) {
      add(
        "WRONG_LENGTH",
        firstParameter,
        path,
        `${inWords(path)}: ${values.length} entries, not ${MAX_LINES}`,
      );
      return;
    }
    values.forEach((v, i) => {
      const p = firstParameter === undefined ? undefined : firstParameter + i;
      range(v, min, max, p, `${path}[${i}]`);
      if (coins && Number.isInteger(v) && c.baseCoin > 0 && v % c.baseCoin !== 0) {
        add(
          "NOT_BASE_COIN_MULTIPLE",
          p,
          `${path}[${i}]`,
          `${inWords(`${path}[${i}]`)} is ${v}, not a multiple of the base coin ${c.baseCoin}`,
        );
      }
    });
  };
  const limits = (l: LevelLimits, firstParameter: number | undefined, path: string) => {
    if (l.perCategory.length !== 8)
      add("WRONG_LENGTH", firstParameter, path, `${inWords(path)} need 8 categories, A to H`);
    l.perCategory.forEach((v, i) => {
      range(
        v,
        0,
        15,
        firstParameter === undefined ? undefined : firstParameter + i,
        `${path}.perCategory[${i}]`,
      );
    });
  };
  const bands = (
    list: readonly TimeBand[],
    parameter: number,
    path: string,
    active: (i: number) => boolean,
  ) => {
    list.forEach((b, i) => {
      range(b.start, 0, 1439, parameter, `${path}[${i}].start`);
      range(b.end, 0, 1439, parameter, `${path}[${i}].end`);
      for (let j = 0; j < i; j++) {
        if (active(i) && active(j) && bandsOverlap(b, list[j] as TimeBand)) {
          add(
            "BANDS_OVERLAP",
            parameter,
            `${path}[${i}]`,
            `${inWords(`${path}[${j}]`)} and ${inWords(`${path}[${i}]`)} overlap`,
          );
        }
      }
    });
  };

  range(c.baseCoin, 1, 65535, 30003, "baseCoin");
  range(c.lines, 1, MAX_LINES, 40109, "lines");
  table(c.cash, 0, 65535, 10001, "cash", true);
  c.keys.forEach((k, level) => {
    table(k.prices, 0, 65535, 11001 + 1000 * level, `keys[${level}].prices`, true);
  });
  if (c.keys[0].mode !== "on") add("KEY0_NOT_ON", 11001, "keys[0].mode", "key 0 is always ON");
  if (c.categories.length !== MAX_LINES) add("WRONG_LENGTH", 17001, "categories", "one category per line");
  c.categories.forEach((cat, i) => {
    if (!CATEGORY_NAMES.includes(cat))
      add("OUT_OF_RANGE", 17001 + i, `categories[${i}]`, `category ${String(cat)}`);
  });
  if (!Array.isArray(c.names) || c.names.length !== MAX_LINES)
    add("WRONG_LENGTH", 15001, "names", `one name per line, ${MAX_LINES}`);
  else
    c.names.forEach((name, i) => {
      if (typeof name !== "string" || !SELECTION_NAME.test(name))
        add(
          "BAD_NAME",
          15001 + i,
          `names[${i}]`,
          `${inWords(`names[${i}]`)}, ${JSON.stringify(name)}: up to 8 printable ASCII characters, no "*"`,
        );
    });
  const conv = c.conversion;
  if (!["off", "dec", "hex"].includes(conv.mode))
    add("OUT_OF_RANGE", 16000, "conversion.mode", `conversion table ${String(conv.mode)}: off, dec or hex`);
  table(conv.numbers, 0, 65535, 16001, "conversion.numbers");
  if (conv.numbers.length === MAX_LINES) {
    // each machine number names one line: two lines answering to it could not be told apart
    const seen = new Map<number, number>();
    conv.numbers.forEach((n, i) => {
      const first = seen.get(n);
      if (n > 0 && first !== undefined)
        add(
          "DUPLICATE_SELECTION",
          16001 + i,
          `conversion.numbers[${i}]`,
          `${inWords(`conversion.numbers[${i}]`)}: selection ${n} is already line ${first + 1}'s`,
        );
      else seen.set(n, i);
    });
  }
  c.limits.levels.forEach((l, level) => {
    limits(l, 17102 + 10 * level, `limits.levels[${level}]`);
    // manual 4.5 note: a level cannot follow key 0 if its limits differ
    const k0 = c.limits.levels[0];
    if (
      c.keys[level]?.mode === "key0" &&
      k0 &&
      (l.enabled !== k0.enabled || l.perCategory.some((v, i) => v !== k0.perCategory[i]))
    ) {
      add(
        "KEY0_LIMITS_DIFFER",
        12000 + 1000 * (level - 1),
        `keys[${level}].mode`,
        `key ${level} follows key 0 but its limits differ`,
      );
    }
  });
  c.bonus1.levels.forEach((l, level) => {
    range(l.credit, 0, 65535, undefined, `bonus1.levels[${level}].credit`);
    range(l.tokens, 0, 7, undefined, `bonus1.levels[${level}].tokens`);
    range(l.discount, 0, 100, undefined, `bonus1.levels[${level}].discount`);
  });
  c.bonus2.levels.forEach((l, level) => {
    range(l.tokens, 0, 127, undefined, `bonus2.levels[${level}].tokens`);
  });
  table(c.bonus2.lineDiscount, 0, 100, 51101, "bonus2.lineDiscount");
  c.bonus2.bonus3.levels.forEach((l, level) => {
    limits(l, undefined, `bonus2.bonus3.levels[${level}]`);
  });
  table(c.loyalty.pricePoints, 0, 65535, 52101, "loyalty.pricePoints");
  table(c.loyalty.pointsPerLine, 0, 65535, 52201, "loyalty.pointsPerLine");
  table(c.loyalty.creditPerLine, 0, 65535, undefined, "loyalty.creditPerLine", true);
  range(c.promotions.maxMinutes, 1, 999, 53102, "promotions.maxMinutes"); // TEMPO MAX (table 5.2)
  table(c.promotions.lineDiscount, 0, 100, 53001, "promotions.lineDiscount");
  c.happyHours.bands.forEach((b, i) => {
    range(b.discount, 0, 100, undefined, `happyHours.bands[${i}].discount`);
    table(b.lineDiscount, 0, 100, undefined, `happyHours.bands[${i}].lineDiscount`);
  });
  bands(c.happyHours.bands, 54000, "happyHours.bands", (i) => c.happyHours.bands[i]?.mode !== "disabled");
  bands(c.outOfService.bands, 55000, "outOfService.bands", (i) => c.outOfService.bands[i]?.enabled === true);
  return out;
}
