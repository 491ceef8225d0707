import type { Device, Reading } from "./model.js";
import { daysBetween, isCalendarDate, usageBetween } from "./usage.js";

export type ReadingFindingCode =
  | "BAD_DATE"
  | "FUTURE_DATE"
  | "NOT_AFTER_PREVIOUS"
  | "UNKNOWN_COUNTER"
  | "MISSING_COUNTER"
  | "NOT_A_COUNT"
  | "BACKWARDS"
  | "IMPLAUSIBLE_JUMP"
  | "BAD_LEVEL";

export interface ReadingFinding {
  readonly code: ReadingFindingCode;
  readonly severity: "error" | "warning";
  readonly counter?: string;
  readonly message: string;
}

export interface ValidationOptions {
  /** A daily rate above this many times the installation's usual daily rate is flagged. */
  readonly jumpFactor?: number;
  /** Readings of history needed before jumps are judged. */
  readonly minHistory?: number;
  /** The latest date a reading may have (YYYY-MM-DD): a reading dated after it is refused. */
  readonly latestDate?: string;
}

function median(values: number[]): number {
  const s = [...values].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/**
 * Checks a new reading against the device and the installation's history (in date order):
 * dates, counters known and whole, counters never going backwards unless a meter replacement is
 * recorded, implausible jumps (daily rate far above the history's median daily rate), and
 * consumable levels within 0..100. Errors mean the reading must not be accepted as it is.
 */
export function validateReading(
  device: Device,
  history: readonly Reading[],
  reading: Reading,
  options: ValidationOptions = {},
): ReadingFinding[] {
  const out: ReadingFinding[] = [];
  const jumpFactor = options.jumpFactor ?? 5;
  const minHistory = options.minHistory ?? 3;
  if (!isCalendarDate(reading.date)) {
    return [{ code: "BAD_DATE", severity: "error", message: `"${reading.date}" is not a YYYY-MM-DD date` }];
  }
  if (options.latestDate !== undefined && reading.date > options.latestDate) {
    out.push({
      code: "FUTURE_DATE",
      severity: "error",
      message: `${reading.date} is in the future: a reading is of a day that has come`,
    });
  }
  const previous = history[history.length - 1];
  if (previous && daysBetween(previous.date, reading.date) <= 0) {
    out.push({
      code: "NOT_AFTER_PREVIOUS",
      severity: "error",
      message: `${reading.date} is not after the last reading, ${previous.date}`,
    });
  }
  for (const name of Object.keys(reading.counters)) {
    if (!device.counters.includes(name))
      out.push({
        code: "UNKNOWN_COUNTER",
        severity: "error",
        counter: name,
        message: `${device.model} has no counter "${name}"`,
      });
  }
  for (const name of device.counters) {
    const value = reading.counters[name];
    if (value === undefined) {
      out.push({
        code: "MISSING_COUNTER",
        severity: "error",
        counter: name,
        message: `counter "${name}" is missing`,
      });
      continue;
    }
    if (!Number.isSafeInteger(value) || value < 0) {
      out.push({
        code: "NOT_A_COUNT",
        severity: "error",
        counter: name,
        message: `counter "${name}" is ${value}, not a whole count`,
      });
      continue;
    }
    if (!previous || out.some((f) => f.code === "NOT_AFTER_PREVIOUS")) continue;
    const used = usageBetween(previous, reading, name);
    if (used === undefined) continue;
    if (used < 0) {
      out.push({
        code: "BACKWARDS",
        severity: "error",
        counter: name,
        message: `counter "${name}" went back by ${-used} with no meter replacement recorded`,
      });
      continue;
    }
    if (history.length >= minHistory) {
      const rates: number[] = [];
      for (let i = 1; i < history.length; i++) {
        const u = usageBetween(history[i - 1] as Reading, history[i] as Reading, name);
        const d = daysBetween((history[i - 1] as Reading).date, (history[i] as Reading).date);
        if (u !== undefined && d > 0) rates.push(u / d);
      }
      const usual = rates.length > 0 ? median(rates) : 0;
      const rate = used / daysBetween(previous.date, reading.date);
      if (usual > 0 && rate > jumpFactor * usual) {
        out.push({
          code: "IMPLAUSIBLE_JUMP",
          severity: "warning",
          counter: name,
          message: `"${name}" ran at ${rate.toFixed(1)}/day, ${(rate / usual).toFixed(1)}x its usual ${usual.toFixed(1)}/day`,
        });
      }
    }
  }
  for (const [name, level] of Object.entries(reading.consumables ?? {})) {
    if (!Number.isFinite(level) || level < 0 || level > 100)
      out.push({
        code: "BAD_LEVEL",
        severity: "error",
        counter: name,
        message: `consumable "${name}" at ${level}%`,
      });
  }
  return out;
}
