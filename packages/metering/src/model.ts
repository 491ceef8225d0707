/** A kind of device and what it counts (copies mono/colour, scans; or vends per selection). */
export interface Device {
  readonly id: string;
  readonly model: string;
  readonly serial: string;
  /** Counter names, e.g. ["mono", "colour", "scans"]. */
  readonly counters: readonly string[];
  /** Consumables and the counter that wears them, with their rated yield in that counter's units. */
  readonly consumables: readonly {
    readonly name: string;
    readonly counter: string;
    readonly ratedYield: number;
  }[];
}

/** A device placed at a customer's site. */
export interface Installation {
  readonly id: string;
  readonly deviceId: string;
  readonly customerId: string;
  readonly site: string;
}

/** Price of units beyond the included volume: `price` (smallest currency unit) per `per` units. */
export interface Rate {
  readonly price: number;
  readonly per: number;
}

/** Tiered overage: each tier's rate applies to excess units up to `upTo` (the last has none). */
export interface Tier extends Rate {
  readonly upTo?: number;
}

export interface CounterTerms {
  /** Units included in each period's fee. */
  readonly included: number;
  /** Overage tiers, in order; a single tier without `upTo` is a flat rate. */
  readonly tiers: readonly Tier[];
}

export type PeriodLength = "monthly" | "bimonthly" | "quarterly" | "semiannual" | "annual";

export interface Contract {
  readonly installationId: string;
  readonly period: PeriodLength;
  /** Day of the month readings fall due, 1..28. */
  readonly readingDay: number;
  /** First day of the first period, YYYY-MM-DD. */
  readonly start: string;
  /** Fee per period (smallest currency unit). */
  readonly fee: number;
  /** A period never bills less than this (fee + overage), when set. */
  readonly minimumCharge?: number;
  readonly terms: Readonly<Record<string, CounterTerms>>;
}

export type ReadingSource = "customer" | "operator" | "evadts";

export interface Reading {
  readonly installationId: string;
  /** YYYY-MM-DD. */
  readonly date: string;
  readonly counters: Readonly<Record<string, number>>;
  readonly source: ReadingSource;
  /** Consumable levels in percent, 0..100. */
  readonly consumables?: Readonly<Record<string, number>>;
  /**
   * A meter replaced since the previous reading: the old meter's final value and the new one's
   * starting value, per counter. Usage is old final − previous + current − new start.
   */
  readonly replacements?: Readonly<Record<string, { readonly oldFinal: number; readonly newStart: number }>>;
}

export const MONTHS: Record<PeriodLength, number> = {
  monthly: 1,
  bimonthly: 2,
  quarterly: 3,
  semiannual: 6,
  annual: 12,
};
