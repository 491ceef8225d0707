import { type Contract, daysBetween, periodOf } from "@vendkit/metering";

export interface ScheduleRules {
  /** Requests go out this many days before the reading day. */
  readonly leadDays: number;
  /** A reminder follows this many days after the last mail while no reading has come. */
  readonly reminderDays: number;
  /** At most this many reminders per request. */
  readonly maxReminders: number;
  /** A reading link works until this many days after the reading day. */
  readonly linkDays: number;
}

export const DEFAULT_RULES: ScheduleRules = { leadDays: 3, reminderDays: 3, maxReminders: 3, linkDays: 30 };

export const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The reading day whose request is open on `today`: the latest period end (reading day) at most
 * `leadDays` ahead of today. Undefined before the first one comes within reach.
 */
export function openDue(contract: Contract, today: string, rules: ScheduleRules): string | undefined {
  let due: string | undefined;
  for (let k = 0; ; k++) {
    const { to } = periodOf(contract, k);
    if (daysBetween(today, to) > rules.leadDays) return due;
    due = to;
  }
}

/** Where an installation stands for the reading day `due`. */
export type ReadingStatus = "not-due" | "missing" | "received" | "late" | "anomalous";

/**
 * missing: nothing dated from `leadDays` before the reading day on; received: a reading in that
 * window, on or before the day (it closes the period); late: only a reading after the day (its
 * usage counts in the next period); anomalous: the reading that answers it carries findings.
 */
export function statusFor(
  due: string | undefined,
  readings: readonly { date: string; findings: readonly string[] }[],
  rules: ScheduleRules,
): ReadingStatus {
  if (due === undefined) return "not-due";
  const from = addDays(due, -rules.leadDays);
  const answer = readings.filter((r) => r.date >= from);
  const onTime = answer.filter((r) => r.date <= due);
  const chosen = onTime[onTime.length - 1] ?? answer[0];
  if (chosen === undefined) return "missing";
  if (chosen.findings.length > 0) return "anomalous";
  return chosen.date <= due ? "received" : "late";
}
