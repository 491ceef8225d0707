import type { Period } from "./config.js";

/**
 * Local time as the payment system's clock gives it. No clock is read anywhere in this package:
 * the time is always an argument.
 */
export interface LocalTime {
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  /** 1..31 */
  readonly day: number;
  /** Minutes after midnight, 0..1439. */
  readonly minute: number;
}

/** Days since 2000-01-01 (a Saturday), by the proleptic Gregorian calendar, in integers. */
export function dayNumber(t: LocalTime): number {
  // days-from-civil: count from 0000-03-01 so that the leap day ends the year
  const y = t.month <= 2 ? t.year - 1 : t.year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (t.month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + t.day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 730_425;
}

/** Minutes since 2000-01-01 00:00, for the promotion window. */
export function absoluteMinute(t: LocalTime): number {
  return dayNumber(t) * 1440 + t.minute;
}

/**
 * The period a time falls in, as a number that changes exactly when the period does (manual 8.2.2):
 * daily 00-24; weekly Monday to Sunday, so a bonus granted on a Wednesday lapses on Sunday night;
 * monthly the calendar month.
 */
export function periodIndex(period: Period, t: LocalTime, day = dayNumber(t)): number {
  if (period === "daily") return day;
  // 2000-01-03 was a Monday: day number 2 starts week 1.
  if (period === "weekly") return Math.floor((day + 5) / 7);
  return (t.year - 2000) * 12 + (t.month - 1);
}
