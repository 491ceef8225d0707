import { buildAudit, parse, write } from "@vendkit/evadts";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { billFromReadings, billPeriod, overageCharge, periodOf } from "./billing.js";
import { checkConsumables } from "./consumables.js";
import { readingFromAudit } from "./evadts-import.js";
import type { Device, Reading } from "./model.js";
import { SAMPLE_CONTRACT } from "./test-support.js";
import { isCalendarDate, usageBetween, usageOver } from "./usage.js";
import { validateReading } from "./validate.js";

const COPIER: Device = {
  id: "d1",
  model: "MFP 4000",
  serial: "X1",
  counters: ["mono", "colour"],
  consumables: [
    { name: "black toner", counter: "mono", ratedYield: 20_000 },
    { name: "colour toner", counter: "colour", ratedYield: 8_000 },
  ],
};

const reading = (date: string, mono: number, colour: number, extra: Partial<Reading> = {}): Reading => ({
  installationId: "i1",
  date,
  counters: { mono, colour },
  source: "customer",
  ...extra,
});

describe("overage", () => {
  it("charges flat and tiered rates exactly, rounding once, half up", () => {
    expect(overageCharge(0, [{ price: 12, per: 10 }])).toBe(0);
    expect(overageCharge(5, [{ price: 12, per: 10 }])).toBe(6);
    expect(overageCharge(4, [{ price: 12, per: 10 }])).toBe(5); // 4.8
    expect(overageCharge(3, [{ price: 5, per: 10 }])).toBe(2); // 1.5 -> 2
    expect(
      overageCharge(2_500, [
        { upTo: 2_000, price: 8, per: 1 },
        { price: 6, per: 1 },
      ]),
    ).toBe(2_000 * 8 + 500 * 6);
    expect(
      overageCharge(1, [
        { price: 1, per: 3 },
        { price: 1, per: 7 },
      ]),
    ).toBe(0);
  });

  it("is never negative and never falls when usage rises", () => {
    const tiersArb = fc
      .array(
        fc.record({
          upTo: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined }),
          price: fc.integer({ min: 0, max: 1_000 }),
          per: fc.integer({ min: 1, max: 1_000 }),
        }),
        { minLength: 1, maxLength: 4 },
      )
      .map((ts) => {
        let bound = 0;
        return ts.map((t, i) => {
          if (i === ts.length - 1 || t.upTo === undefined) return { price: t.price, per: t.per };
          bound += t.upTo;
          return { ...t, upTo: bound };
        });
      });
    fc.assert(
      fc.property(tiersArb, fc.nat(100_000), fc.nat(100_000), (tiers, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(overageCharge(lo, tiers)).toBeGreaterThanOrEqual(0);
        expect(overageCharge(hi, tiers)).toBeGreaterThanOrEqual(overageCharge(lo, tiers));
      }),
    );
  });
});

describe("period bills", () => {
  it("bills fee plus overage per counter, raised to the minimum", () => {
    const bill = billPeriod(SAMPLE_CONTRACT, { mono: 7_005, colour: 2_500 });
    expect(bill.lines).toEqual([
      { counter: "mono", usage: 7_005, included: 6_000, excess: 1_005, charge: 1_206 },
      { counter: "colour", usage: 2_500, included: 1_000, excess: 1_500, charge: 12_000 },
    ]);
    expect(bill.total).toBe(15_000 + 13_206);
    expect(billPeriod(SAMPLE_CONTRACT, { mono: 10, colour: 10 }).total).toBe(16_000);
  });

  it("finds the period and its readings", () => {
    expect(periodOf(SAMPLE_CONTRACT, 1)).toEqual({ from: "2026-04-01", to: "2026-07-01" });
    const readings = [
      reading("2026-03-30", 1_000, 100),
      reading("2026-05-15", 4_000, 600),
      reading("2026-06-30", 8_000, 1_500),
    ];
    expect(billFromReadings(SAMPLE_CONTRACT, readings, 1)?.lines.map((l) => l.usage)).toEqual([7_000, 1_400]);
    expect(billFromReadings(SAMPLE_CONTRACT, readings, 2)).toBeUndefined();
  });

  it("counts across a meter replacement", () => {
    const a = reading("2026-01-01", 90_000, 0);
    const b = reading("2026-02-01", 500, 0, { replacements: { mono: { oldFinal: 91_000, newStart: 0 } } });
    expect(usageBetween(a, b, "mono")).toBe(1_500);
  });

  it("never changes the total usage when a period is split at a reading", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(5_000), { minLength: 2, maxLength: 12 }), fc.nat(), (steps, at) => {
        let mono = 0;
        const chain = steps.map((s, i) => {
          mono += s;
          return reading(`2026-01-${String(i + 1).padStart(2, "0")}`, mono, 0);
        });
        const k = 1 + (at % (chain.length - 1));
        const whole = usageOver(chain, "mono") as number;
        const split =
          (usageOver(chain.slice(0, k + 1), "mono") as number) +
          (usageOver(chain.slice(k), "mono") as number);
        expect(split).toBe(whole);
      }),
    );
  });
});

describe("reading validation", () => {
  const history = [
    reading("2026-01-01", 1_000, 100),
    reading("2026-02-01", 2_000, 200),
    reading("2026-03-01", 3_000, 300),
  ];

  it("accepts a plausible reading", () => {
    expect(validateReading(COPIER, history, reading("2026-04-01", 4_100, 390))).toEqual([]);
  });

  it("refuses counters that go backwards without a replacement, unknown or missing counters, bad dates", () => {
    const codes = (r: Reading) => validateReading(COPIER, history, r).map((f) => [f.code, f.counter]);
    expect(codes(reading("2026-04-01", 2_500, 390))).toEqual([["BACKWARDS", "mono"]]);
    expect(
      codes(reading("2026-04-01", 500, 390, { replacements: { mono: { oldFinal: 3_100, newStart: 0 } } })),
    ).toEqual([]);
    expect(codes({ ...reading("2026-04-01", 4_000, 400), counters: { mono: 4_000, scans: 3 } })).toEqual([
      ["UNKNOWN_COUNTER", "scans"],
      ["MISSING_COUNTER", "colour"],
    ]);
    expect(codes(reading("2026-02-30", 4_000, 400))[0]).toEqual(["BAD_DATE", undefined]);
    expect(codes(reading("2026-03-01", 4_000, 400))[0]).toEqual(["NOT_AFTER_PREVIOUS", undefined]);
    expect(codes(reading("2026-04-01", 4_000.5, 400))).toEqual([["NOT_A_COUNT", "mono"]]);
    expect(codes(reading("2026-04-01", 4_000, 400, { consumables: { "black toner": 120 } }))).toEqual([
      ["BAD_LEVEL", "black toner"],
    ]);
  });

  it("refuses a reading dated after the latest date given, and none when no latest date is given", () => {
    const r = reading("2026-04-02", 4_000, 400);
    expect(validateReading(COPIER, history, r, { latestDate: "2026-04-01" })).toMatchObject([
      { code: "FUTURE_DATE", severity: "error" },
    ]);
    expect(validateReading(COPIER, history, r, { latestDate: "2026-04-02" })).toEqual([]);
    expect(validateReading(COPIER, history, r)).toEqual([]);
  });

  it("knows the calendar: a date that Date.parse rolls over is not a date", () => {
    for (const good of ["2026-02-28", "2024-02-29", "2026-12-31"]) expect(isCalendarDate(good)).toBe(true);
    for (const bad of ["2026-02-29", "2026-02-30", "2026-04-31", "2026-13-01", "2026-1-1", "26-01-01", ""])
      expect(isCalendarDate(bad)).toBe(false);
  });

  it("flags an implausible jump against the installation's history", () => {
    const f = validateReading(COPIER, history, reading("2026-04-01", 90_000, 390));
    expect(f).toMatchObject([{ code: "IMPLAUSIBLE_JUMP", severity: "warning", counter: "mono" }]);
  });
});

describe("consumables", () => {
  it("compares the reported level drop with the counters' prediction", () => {
    const before = reading("2026-01-01", 0, 0, { consumables: { "black toner": 80, "colour toner": 90 } });
    const fine = reading("2026-02-01", 4_000, 800, {
      consumables: { "black toner": 60, "colour toner": 80 },
    });
    expect(checkConsumables(COPIER, before, fine).map((c) => c.finding)).toEqual(["ok", "ok"]);
    const leaky = reading("2026-02-01", 1_000, 800, {
      consumables: { "black toner": 40, "colour toner": 80 },
    });
    expect(checkConsumables(COPIER, before, leaky)[0]).toMatchObject({
      finding: "over-consumption",
      expectedDrop: 5,
      reportedDrop: 40,
    });
    const refilled = reading("2026-02-01", 16_000, 800, {
      consumables: { "black toner": 100, "colour toner": 80 },
    });
    expect(checkConsumables(COPIER, before, refilled)[0]).toMatchObject({
      replaced: true,
      reportedDrop: 80,
      finding: "ok",
    });
    const odd = reading("2026-02-01", 16_000, 800, {
      consumables: { "black toner": 78, "colour toner": 80 },
    });
    expect(checkConsumables(COPIER, before, odd)[0]).toMatchObject({ finding: "under-consumption" });
  });
});

describe("EVA-DTS import", () => {
  it("reads vend counters and the date from an audit", () => {
    const audit = parse(
      write(
        buildAudit(
          [
            { tag: "ID5", elements: ["20261122", "1830"] },
            { tag: "VA1", elements: ["5000", "100", "1000", "20"] },
            { tag: "VA2", elements: ["0", "3", "0", "1"] },
            { tag: "PA1", elements: ["1", "50"] },
            { tag: "PA2", elements: ["60", "3000", "12", "600"] },
          ],
          { communicationId: "VKT0000001" },
        ),
      ),
    );
    expect(readingFromAudit(audit, "vm-7")).toEqual({
      installationId: "vm-7",
      date: "2026-11-22",
      counters: { vends: 100, test: 3, "product:1": 60 },
      source: "evadts",
    });
  });
});
