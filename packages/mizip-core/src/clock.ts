import type { LocalTime } from "@vendkit/pricing";

/**
 * The reader's clock (manual 8.1: "the date and the hour, produced by the clock inside the
 * MiZip Plus' CPU", first in the EXTRA menu): its time zone, with daylight saving from the
 * platform's time-zone data (Intl), never from rules of our own; the date and hour formats the
 * programmer shows (8.1.1, 8.1.2); and how far it is set from the host's clock (8.1.3). Happy
 * hours, out-of-service bands, daily limits, bonus periods, promotion windows, the Maxi Box and
 * the audit all read local time through it.
 */
export interface ClockSettings {
  /** An IANA time zone, e.g. "Europe/Rome"; "UTC" by default. */
  readonly timeZone: string;
  /** 8.1.1 FORMATO DATA: day, month, year or month, day, year. */
  readonly dateFormat: "dd/mm/yy" | "mm/dd/yy";
  /** 8.1.2 FORMATO ORA: 0-24 or 0-12 hours. */
  readonly hourFormat: "24h" | "12h";
  /** 8.1.3 IMPOSTAZIONE: the set time less the host's, in ms (0: the host's clock as it is). */
  readonly offset: number;
}

export const DEFAULT_CLOCK: ClockSettings = {
  timeZone: "UTC",
  dateFormat: "dd/mm/yy",
  hourFormat: "24h",
  offset: 0,
};

/** Local wall-clock fields of an instant, seconds included. */
export interface WallClock extends LocalTime {
  readonly hour: number;
  readonly second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether the platform knows `timeZone` (an IANA name). */
export function isTimeZone(timeZone: unknown): timeZone is string {
  if (typeof timeZone !== "string" || timeZone === "") return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock in `timeZone` at `now` (ms since the epoch). */
export function wallClock(now: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(now))
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  const hour = parts.hour ?? 0;
  const minute = parts.minute ?? 0;
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour,
    second: parts.second ?? 0,
    minute: hour * 60 + minute,
  };
}

/** The sale's local time in the reader's time zone (what the pricing rules read). */
export function localTime(now: number, timeZone: string): LocalTime {
  const { year, month, day, minute } = wallClock(now, timeZone);
  return { year, month, day, minute };
}

/**
 * The instant a wall-clock time names in `timeZone`: in the hour daylight saving skips, the time
 * an hour on; in the hour it repeats, the first of the two.
 */
export function instantOf(t: WallTime & { readonly second?: number }, timeZone: string): number {
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second ?? 0);
  const offsetAt = (at: number) => {
    const w = wallClock(at, timeZone);
    return (
      Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute % 60, w.second) - Math.floor(at / 1000) * 1000
    );
  };
  const same = (at: number) => {
    const w = wallClock(at, timeZone);
    return (
      w.year === t.year &&
      w.month === t.month &&
      w.day === t.day &&
      w.hour === t.hour &&
      w.minute % 60 === t.minute
    );
  };
  // the offsets in force half a day either side: a change of offset lies between them
  const before = asUtc - offsetAt(asUtc - 43_200_000);
  const after = asUtc - offsetAt(asUtc + 43_200_000);
  const fitting = [before, after].filter(same);
  // none fits: the hour daylight saving skips, read with the offset before it (an hour on)
  return fitting.length === 0 ? before : Math.min(...fitting);
}

/** A date and time as the programmer's clock menu takes it (8.1.3), wall-clock in the time zone. */
export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

/** Why `t` names no date and time (undefined when it does). */
export function wallTimeProblem(t: WallTime): string | undefined {
  const whole = [t.year, t.month, t.day, t.hour, t.minute].every(Number.isInteger);
  const days = whole ? new Date(Date.UTC(t.year, t.month, 0)).getUTCDate() : 0;
  const ok =
    whole &&
    t.year >= 2000 &&
    t.year <= 2099 &&
    t.month >= 1 &&
    t.month <= 12 &&
    t.day >= 1 &&
    t.day <= days &&
    t.hour >= 0 &&
    t.hour <= 23 &&
    t.minute >= 0 &&
    t.minute <= 59;
  return ok ? undefined : `${JSON.stringify(t)} is no date and time of 2000-2099`;
}

/** The clock's time as the programmer shows it (8.1.1, 8.1.2): `30/11/26 14:05` or `11/30/26 02:05 PM`. */
export function formatClock(now: number, clock: ClockSettings): string {
  const w = wallClock(now, clock.timeZone);
  const two = (n: number) => String(n).padStart(2, "0");
  const yy = two(w.year % 100);
  const date =
    clock.dateFormat === "dd/mm/yy"
      ? `${two(w.day)}/${two(w.month)}/${yy}`
      : `${two(w.month)}/${two(w.day)}/${yy}`;
  const minutes = two(w.minute % 60);
  if (clock.hourFormat === "24h") return `${date} ${two(w.hour)}:${minutes}`;
  const h12 = w.hour % 12 === 0 ? 12 : w.hour % 12;
  return `${date} ${two(h12)}:${minutes} ${w.hour < 12 ? "AM" : "PM"}`;
}

/** Problems of a clock setting, as messages naming the field (empty when it is valid). */
export function clockProblems(clock: unknown): string[] {
  if (typeof clock !== "object" || clock === null) return ["clock: the clock settings are missing"];
  const c = clock as Partial<ClockSettings>;
  const out: string[] = [];
  if (!isTimeZone(c.timeZone))
    out.push(`clock.timeZone: ${String(c.timeZone)} is no time zone this platform knows`);
  if (c.dateFormat !== "dd/mm/yy" && c.dateFormat !== "mm/dd/yy")
    out.push(`clock.dateFormat: ${String(c.dateFormat)} is not dd/mm/yy or mm/dd/yy`);
  if (c.hourFormat !== "24h" && c.hourFormat !== "12h")
    out.push(`clock.hourFormat: ${String(c.hourFormat)} is not 24h or 12h`);
  if (!Number.isSafeInteger(c.offset))
    out.push(`clock.offset: ${String(c.offset)} is not a whole number of ms`);
  return out;
}
