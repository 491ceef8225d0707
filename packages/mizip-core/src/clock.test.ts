import { describe, expect, it } from "vitest";
import {
  clockProblems,
  DEFAULT_CLOCK,
  formatClock,
  instantOf,
  isTimeZone,
  localTime,
  wallClock,
} from "./clock.js";

const ROME = "Europe/Rome";
const utc = (s: string) => Date.parse(`${s}Z`);

describe("the reader's clock (manual 8.1)", () => {
  it("reads local time in its time zone, across both daylight-saving changes of Europe/Rome", () => {
    // 2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00 UTC
    expect(localTime(utc("2026-03-29T00:59:00"), ROME)).toEqual({
      year: 2026,
      month: 3,
      day: 29,
      minute: 1 * 60 + 59,
    });
    expect(localTime(utc("2026-03-29T01:00:00"), ROME)).toEqual({
      year: 2026,
      month: 3,
      day: 29,
      minute: 3 * 60,
    });
    // 2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00 UTC; 02:30 happens twice
    expect(localTime(utc("2026-10-25T00:30:00"), ROME).minute).toBe(2 * 60 + 30);
    expect(localTime(utc("2026-10-25T01:30:00"), ROME).minute).toBe(2 * 60 + 30);
    // a day across midnight in Rome while UTC is still on the day before
    expect(localTime(utc("2026-12-31T23:30:00"), ROME)).toEqual({ year: 2027, month: 1, day: 1, minute: 30 });
    expect(localTime(utc("2026-12-31T23:30:00"), "UTC")).toEqual({
      year: 2026,
      month: 12,
      day: 31,
      minute: 23 * 60 + 30,
    });
  });

  it("turns a wall-clock time set on the programmer into the instant, DST gaps and repeats included", () => {
    expect(instantOf({ year: 2026, month: 7, day: 1, hour: 12, minute: 0 }, ROME)).toBe(
      utc("2026-07-01T10:00:00"),
    );
    expect(instantOf({ year: 2026, month: 1, day: 1, hour: 12, minute: 0 }, ROME)).toBe(
      utc("2026-01-01T11:00:00"),
    );
    // 02:30 on 29 March does not exist in Rome: an hour on, 03:30 CEST
    expect(instantOf({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, ROME)).toBe(
      utc("2026-03-29T01:30:00"),
    );
    // 02:30 on 25 October happens twice: the first
    expect(instantOf({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, ROME)).toBe(
      utc("2026-10-25T00:30:00"),
    );
    for (const at of [utc("2026-03-29T03:15:00"), utc("2026-10-25T05:45:00"), utc("2026-06-30T22:00:00")]) {
      const w = wallClock(at, ROME);
      expect(instantOf({ ...w, minute: w.minute % 60 }, ROME)).toBe(at);
    }
  });

  it("shows the date and hour in the formats of 8.1.1 and 8.1.2", () => {
    const at = utc("2026-11-30T13:05:00");
    expect(formatClock(at, { ...DEFAULT_CLOCK, timeZone: ROME })).toBe("30/11/26 14:05");
    expect(
      formatClock(at, { ...DEFAULT_CLOCK, timeZone: ROME, dateFormat: "mm/dd/yy", hourFormat: "12h" }),
    ).toBe("11/30/26 02:05 PM");
    expect(formatClock(utc("2026-11-30T00:05:00"), { ...DEFAULT_CLOCK, hourFormat: "12h" })).toBe(
      "30/11/26 12:05 AM",
    );
  });

  it("knows the platform's time zones and names each bad field", () => {
    expect([isTimeZone(ROME), isTimeZone("Mars/Olympus"), isTimeZone(""), isTimeZone(3)]).toEqual([
      true,
      false,
      false,
      false,
    ]);
    expect(clockProblems(DEFAULT_CLOCK)).toEqual([]);
    expect(
      clockProblems({ timeZone: "Nowhere", dateFormat: "yy", hourFormat: "25h", offset: 0.5 }),
    ).toHaveLength(4);
    expect(clockProblems(undefined)).toEqual(["clock: the clock settings are missing"]);
  });
});
