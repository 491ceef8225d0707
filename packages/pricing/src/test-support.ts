import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { LocalTime } from "./calendar.js";
import { type Category, defaultConfig, type PricingConfig } from "./config.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };

/** A default configuration to edit in place, for building test cases. */
export function editableConfig(): Mutable<PricingConfig> {
  return structuredClone(defaultConfig()) as Mutable<PricingConfig>;
}

/** Local time from "YYYY-MM-DD HH:MM". */
export function at(s: string): LocalTime {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(s);
  if (m === null) throw new Error(`bad time ${s}`);
  return {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    minute: Number(m[4]) * 60 + Number(m[5]),
  };
}

/** The school of manual 4.5.1, Tab. 4.5.2: milk A, coffee B, tea C, water D, snacks E. */
/** The manual's school example (test-vectors/school-tab-4.5.2.json), with prices of our own. */
export function schoolConfig(): Mutable<PricingConfig> {
  const school = JSON.parse(
    readFileSync(
      join(dirname(fileURLToPath(import.meta.url)), "..", "test-vectors", "school-tab-4.5.2.json"),
      "utf8",
    ),
  ) as { selections: { category: Category }[]; limits: { key0: number[]; key1: number[] } };
  const c = editableConfig();
  c.priceSystem = "price-holding";
  c.lines = school.selections.length;
  c.cash.splice(0, 5, 50, 60, 50, 40, 80);
  c.keys[0].prices.splice(0, 5, 45, 55, 45, 35, 75);
  c.keys[1] = { mode: "on", prices: [...c.keys[0].prices] };
  c.categories.splice(0, school.selections.length, ...school.selections.map((s) => s.category));
  c.limits.enabled = true;
  c.limits.levels[0] = { enabled: true, perCategory: school.limits.key0 };
  c.limits.levels[1] = { enabled: true, perCategory: school.limits.key1 };
  return c;
}
