import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { absoluteMinute, dayNumber, periodIndex } from "./calendar.js";

describe("calendar", () => {
  it("counts days like the Gregorian calendar (checked against Date.UTC)", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date(Date.UTC(1990, 0, 1)),
          max: new Date(Date.UTC(2179, 0, 1)),
          noInvalidDate: true,
        }),
        (d) => {
          const t = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), minute: 0 };
          expect(dayNumber(t)).toBe(
            Math.round((Date.UTC(t.year, t.month - 1, t.day) - Date.UTC(2000, 0, 1)) / 86_400_000),
          );
        },
      ),
    );
    expect(dayNumber({ year: 2000, month: 1, day: 1, minute: 0 })).toBe(0);
    expect(dayNumber({ year: 2000, month: 3, day: 1, minute: 0 })).toBe(60);
  });

  it("starts weeks on Monday and months on the 1st", () => {
    const day = (d: number) => ({ year: 2026, month: 11, day: d, minute: 600 });
    // 2026-11-16 is a Monday, 2026-11-22 a Sunday
    expect(periodIndex("weekly", day(16))).toBe(periodIndex("weekly", day(22)));
    expect(periodIndex("weekly", day(23))).toBe(periodIndex("weekly", day(22)) + 1);
    expect(periodIndex("weekly", day(15))).toBe(periodIndex("weekly", day(16)) - 1);
    expect(periodIndex("monthly", day(30))).toBe(
      periodIndex("monthly", { year: 2026, month: 12, day: 1, minute: 0 }) - 1,
    );
    expect(periodIndex("daily", day(2))).toBe(dayNumber(day(2)));
    expect(absoluteMinute(day(1)) - absoluteMinute({ year: 2026, month: 10, day: 31, minute: 600 })).toBe(
      1440,
    );
  });
});
