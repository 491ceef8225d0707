import { absoluteMinute, dayNumber, type LocalTime, periodIndex } from "./calendar.js";
import type { Level, PricingConfig } from "./config.js";

/** What a key carries that pricing reads and changes. Money in the smallest unit. */
export interface KeyState {
  readonly credit: number;
  /** Bonus 1: credit or tokens (by `config.bonus1.type`), stamped with the period it belongs to. */
  readonly bonus1: { readonly amount: number; readonly period: number };
  readonly bonus2: { readonly tokens: number; readonly period: number };
  /** Loyalty points (loyalty credit goes straight into `credit`). */
  readonly loyalty: { readonly points: number; readonly period: number };
  /** The last sale that may earn a promotion discount on another machine. */
  readonly promotion: {
    readonly discount: number;
    readonly minute: number;
    readonly machine: "none" | "A" | "B";
  };
  /** Today's sales per category A..H (limits) and bonus-3 tokens used per category, and the day. */
  readonly daily: {
    readonly day: number;
    readonly counts: readonly number[];
    readonly bonusUse: readonly number[];
  };
}

export const NEW_KEY: KeyState = {
  credit: 0,
  bonus1: { amount: 0, period: -1 },
  bonus2: { tokens: 0, period: -1 },
  loyalty: { points: 0, period: -1 },
  promotion: { discount: 0, minute: 0, machine: "none" },
  daily: { day: -1, counts: [0, 0, 0, 0, 0, 0, 0, 0], bonusUse: [0, 0, 0, 0, 0, 0, 0, 0] },
};

/** 125 kHz "Zip" keys lack some MiZip features (manual 8.9.2). */
export type KeyTechnology = "mizip" | "zip";

/** What a refresh took away, for the statistics of cancelled bonus. */
export interface Expired {
  readonly bonus1: number;
  readonly bonus2: number;
  readonly points: number;
}

/** What a new period gave the key at this insertion: bonus-1 credit or tokens (by its type). */
export interface Granted {
  readonly bonus1: number;
}

/** The key level whose settings apply: a level set to →KEY 0 behaves as key 0. */
export function effectiveLevel(config: PricingConfig, level: Level): Level {
  return config.keys[level].mode === "key0" ? 0 : level;
}

/**
 * Brings a key into the current periods (manual 8.2-8.5): a new day clears the daily counters;
 * a new bonus period lapses what is left (MiZip keys; a Zip key keeps unused bonus-1 credit) and,
 * where this system grants bonus ("recharge and sale") to the key's level, grants the new amount;
 * expiring loyalty zeroes a MiZip key's points in a new period.
 */
export function refreshKey(
  config: PricingConfig,
  key: KeyState,
  level: Level,
  technology: KeyTechnology,
  now: LocalTime,
): { key: KeyState; expired: Expired; granted: Granted } {
  const lvl = effectiveLevel(config, level);
  const today = dayNumber(now);
  let { bonus1, bonus2, loyalty, daily } = key;
  let expired1 = 0;
  let granted1 = 0;
  let expired2 = 0;
  let expiredPoints = 0;

  if (daily.day !== today) {
    daily = { day: today, counts: [0, 0, 0, 0, 0, 0, 0, 0], bonusUse: [0, 0, 0, 0, 0, 0, 0, 0] };
  }

  const b1 = config.bonus1;
  if (b1.usage !== "disabled") {
    const period = periodIndex(b1.period, now);
    if (bonus1.period !== period) {
      const keeps = technology === "zip" && b1.type === "credit";
      const kept = keeps ? bonus1.amount : 0;
      expired1 = bonus1.amount - kept;
      const settings = b1.levels[lvl];
      const grant =
        b1.usage === "recharge-and-sale" && settings?.enabled
          ? b1.type === "credit"
            ? settings.credit
            : settings.tokens
          : 0;
      bonus1 = { amount: Math.min(b1.type === "credit" ? 65535 : 7, kept + grant), period };
      granted1 = bonus1.amount - kept;
    }
  }

  const b2 = config.bonus2;
  if (b2.usage !== "disabled") {
    const period = periodIndex(b2.period, now);
    if (bonus2.period !== period) {
      expired2 = bonus2.tokens;
      const settings = b2.levels[lvl];
      bonus2 = {
        tokens: b2.usage === "recharge-and-sale" && settings?.enabled ? settings.tokens : 0,
        period,
      };
    }
  }

  if (config.loyalty.mode === "expiring" && technology === "mizip") {
    const period = periodIndex(config.loyalty.period, now);
    if (loyalty.period !== period) {
      expiredPoints = loyalty.points;
      loyalty = { points: 0, period };
    }
  }

  return {
    key: { ...key, bonus1, bonus2, loyalty, daily },
    expired: { bonus1: expired1, bonus2: expired2, points: expiredPoints },
    granted: { bonus1: granted1 },
  };
}

/** Whether a promotion record on the key earns a discount here and now (manual 8.6.1). */
/**
 * What a key can spend now, as the machine's display shows it (manual Tab. 8.2.1, MiZip Plus):
 * its credit, plus this period's bonus-1 credit when bonus 1 is credit and in use for the key's
 * level (the bonus a sale would spend first). Tokens, bonus 2 and loyalty points are no money.
 */
export function keyFunds(
  config: PricingConfig,
  key: KeyState,
  level: Level,
  technology: KeyTechnology,
  now: LocalTime,
): number {
  const b1 = config.bonus1;
  if (b1.usage === "disabled" || b1.type !== "credit" || !b1.levels[effectiveLevel(config, level)]?.enabled)
    return key.credit;
  return key.credit + refreshKey(config, key, level, technology, now).key.bonus1.amount;
}

export function promotionApplies(config: PricingConfig, key: KeyState, now: LocalTime): boolean {
  const p = key.promotion;
  if (!config.promotions.enabled || p.machine === "none" || p.machine === config.promotions.machine)
    return false;
  const age = absoluteMinute(now) - p.minute;
  return age >= 0 && age <= config.promotions.maxMinutes;
}
