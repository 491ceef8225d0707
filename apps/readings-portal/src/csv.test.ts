import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCsv, toCsv } from "./csv.js";
import { readingsFromCsv, readingsToCsv } from "./readings-csv.js";

describe("CSV", () => {
  it("reads quoted fields with commas, quotes and newlines, CRLF or LF, and a BOM", () => {
    expect(parseCsv('\ufeffa,"b,c","say ""hi""\nthere"\r\n1,,3\n')).toEqual([
      ["a", "b,c", 'say "hi"\nthere'],
      ["1", "", "3"],
    ]);
    expect(() => parseCsv('a,"open\n')).toThrow(/never closes/);
  });

  it("round-trips any table of strings", () => {
    const cellArb = fc.string({ unit: fc.constantFrom("a", "1", ",", '"', "\n", "\r\n", " ", "é") });
    fc.assert(
      fc.property(
        fc.array(fc.array(cellArb, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
        (rows) => {
          expect(parseCsv(toCsv(rows))).toEqual(rows);
        },
      ),
    );
  });

  it("readings survive the exchange format: what the mail attaches imports as the same readings", () => {
    const readingArb = fc.record({
      installationId: fc.stringMatching(/^[A-Z][A-Z0-9-]{0,8}$/),
      date: fc.constantFrom("2026-01-28", "2026-02-28"),
      counters: fc.dictionary(fc.constantFrom("mono", "colour", "vends"), fc.nat({ max: 1e12 }), {
        minKeys: 1,
      }),
      consumables: fc.dictionary(fc.constantFrom("toner", "drum"), fc.integer({ min: 0, max: 100 }), {
        minKeys: 1,
      }),
      source: fc.constant("customer" as const),
    });
    fc.assert(
      fc.property(fc.array(readingArb, { minLength: 1, maxLength: 6 }), (readings) => {
        const back = readingsFromCsv(readingsToCsv(readings), "customer");
        expect(back.map((r) => r.reading)).toEqual(readings);
      }),
    );
  });

  it("takes counters named like an object's own properties as counters, both ways", () => {
    // found by fuzzing (packages/fuzz, portal-csv): a row without a "constructor" cell was written
    // back with Object's constructor in it, and a "__proto__" column was lost
    const csv = "installation,date,constructor,__proto__,toString\nI-1,2026-11-20,5,6,\nI-2,2026-11-21,,,7\n";
    const readings = readingsFromCsv(csv, "operator").map((r) => r.reading);
    const expected: Record<string, number>[] = [{ constructor: 5, ["__proto__"]: 6 }, { toString: 7 }];
    expect(readings.map((r) => ({ ...r?.counters }))).toEqual(expected);
    expect(Object.keys(readings[0]?.counters ?? {})).toEqual(["constructor", "__proto__"]);
    const again = readingsFromCsv(readingsToCsv(readings.flatMap((r) => (r ? [r] : []))), "operator");
    expect(again.map((r) => r.error)).toEqual([undefined, undefined]);
    expect(again.map((r) => r.reading)).toEqual(readings);
  });

  it("names a row's problem and keeps its line number", () => {
    const rows = readingsFromCsv(
      "installation,date,mono,level:toner\nA,2026-01-01,-1,\nA,2026-01-02,5,101\n,2026-01-03,5,\n",
      "operator",
    );
    expect(rows).toEqual([
      { line: 2, error: 'mono is "-1", not a whole count' },
      { line: 3, error: 'level:toner is "101", not a level from 0 to 100' },
      { line: 4, error: "no installation" },
    ]);
    expect(() => readingsFromCsv("installation,date,,mono\n", "operator")).toThrow(
      /column 3 of the header has no name/,
    );
  });
});
