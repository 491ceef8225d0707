import type { Reading } from "./model.js";

/**
 * Units a counter advanced from reading `a` to reading `b` (b after a), counting a meter
 * replacement recorded on `b`. Undefined when either reading lacks the counter.
 */
export function usageBetween(a: Reading, b: Reading, counter: string): number | undefined {
  const from = a.counters[counter];
  const to = b.counters[counter];
  if (from === undefined || to === undefined) return undefined;
  const r = b.replacements?.[counter];
  return r ? r.oldFinal - from + (to - r.newStart) : to - from;
}

/** Usage over a chain of readings (in date order): the sum of each step. Additive by design. */
export function usageOver(readings: readonly Reading[], counter: string): number | undefined {
  let total = 0;
  for (let i = 1; i < readings.length; i++) {
    const u = usageBetween(readings[i - 1] as Reading, readings[i] as Reading, counter);
    if (u === undefined) return undefined;
    total += u;
  }
  return total;
}

/** Days between two YYYY-MM-DD dates. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/**
 * Whether `text` is a date of the calendar written YYYY-MM-DD: 2026-02-28 is, 2026-02-30 is not
 * (`Date.parse` takes it and rolls it over into March).
 */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const parsed = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed) && new Date(parsed).toISOString().slice(0, 10) === text;
}
