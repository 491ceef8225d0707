import { describe, expect, it } from "vitest";
import { segmentDef } from "./dictionary.js";
import { goldenFile } from "./test-support.js";
import { isEvadtsDate, isEvadtsTime, validate } from "./validate.js";
import { buildAudit, write } from "./write.js";

const audit = (...body: string[]) =>
  write(
    buildAudit(
      body.map((s) => {
        const [tag, ...elements] = s.split("*");
        return { tag: tag as string, elements };
      }),
      { communicationId: "TST0000001" },
    ),
  );

describe("validate", () => {
  it("finds nothing in the golden files", () => {
    expect(validate(goldenFile("mizip-ddcmp60-plus.eva_dts"))).toEqual([]);
    expect(validate(goldenFile("mizip-dex60.eva_dts"))).toEqual([]);
  });

  it("reports a non-numeric numeric element with its id and position", () => {
    const [f] = validate(audit("VA1*12x*1*100*1"));
    expect(f).toMatchObject({
      code: "NOT_NUMERIC",
      severity: "error",
      segment: "VA1",
      element: 1,
      line: 3,
      column: 5,
    });
    expect(f?.message).toContain("VA101");
  });

  it("reports empty mandatory elements", () => {
    expect(validate(audit("CA11**1*1*0*1*1*0")).map((f) => [f.code, f.element])).toEqual([
      ["MISSING_ELEMENT", 1],
    ]);
  });

  it("reports mandatory elements missing past the segment's end, placed after it", () => {
    // found by fuzzing (packages/fuzz, evadts-file): a bare LA1 threw a TypeError
    const findings = validate(audit("LA1"));
    expect(findings.map((f) => [f.code, f.element])).toEqual([
      ["MISSING_ELEMENT", 1],
      ["MISSING_ELEMENT", 2],
    ]);
    expect(findings.every((f) => f.line === 3 && f.column === 5)).toBe(true);
  });

  it("reports bad dates and times", () => {
    expect(validate(audit("ID5*20261331*1830")).map((f) => f.code)).toEqual(["BAD_DATE"]);
    expect(validate(audit("ID5*20261122*2460")).map((f) => f.code)).toEqual(["BAD_TIME"]);
  });

  it("warns about the placeholders real machines send, with codes of their own; errors with strict", () => {
    const sent = audit(
      "PA1*1*50",
      "PA5*0*0*3",
      "EA1**260101*1200",
      "PA1**70",
      "ID4*2*FFFF",
      "PA5*000000*1200",
    );
    const tolerant = validate(sent).map((f) => [f.code, f.severity, f.segment, f.element, f.line]);
    expect(tolerant).toEqual([
      ["PLACEHOLDER_DATE", "warning", "PA5", 1, 4],
      ["PLACEHOLDER_TIME", "warning", "PA5", 2, 4],
      ["EMPTY_IDENTIFIER", "warning", "EA1", 1, 5],
      ["EMPTY_IDENTIFIER", "warning", "PA1", 1, 6],
      ["UNSET_VALUE", "warning", "ID4", 2, 7],
      ["PLACEHOLDER_DATE", "warning", "PA5", 1, 8],
    ]);
    expect(
      validate(sent, { mode: "strict" }).map((f) => [f.code, f.severity, f.segment, f.element, f.line]),
    ).toEqual(tolerant.map(([code, , ...where]) => [code, "error", ...where]));
    // what is not a placeholder stays an error: a wrong date, a non-number, another empty identifier
    expect(validate(audit("PA5*1*0", "ID4*2*FFFE", "PA7**CA*0*50")).map((f) => [f.code, f.severity])).toEqual(
      [
        ["BAD_DATE", "error"],
        ["PLACEHOLDER_TIME", "warning"],
        ["NOT_NUMERIC", "error"],
        ["MISSING_ELEMENT", "error"],
      ],
    );
  });

  it("warns about extra elements and over-long ones, but keeps them", () => {
    const findings = validate(audit("CA2*1*2*3*4*5", "G85X*1", "ST0*1"));
    expect(findings.map((f) => [f.code, f.severity, f.element])).toEqual([["EXTRA_ELEMENTS", "warning", 5]]);
    expect(validate(audit("ID4*22*978*EUR")).map((f) => f.code)).toEqual(["TOO_LONG"]);
  });

  it("leaves unknown segments alone", () => {
    expect(validate(audit("ZZ1*anything*at*all", "MA5*VENDOR*1.5*x"))).toEqual([]);
  });
});

describe("dates and times", () => {
  it("accepts YYMMDD and CCYYMMDD dates that exist", () => {
    for (const d of ["261122", "20261122", "20240229", "000229"]) expect(isEvadtsDate(d)).toBe(true);
    for (const d of ["20230229", "19000229", "261322", "261100", "2611", "2026112", "20261131"]) {
      expect(isEvadtsDate(d)).toBe(false);
    }
  });

  it("accepts HHMM and HHMMSS times", () => {
    for (const t of ["0000", "2359", "235959"]) expect(isEvadtsTime(t)).toBe(true);
    for (const t of ["2400", "1260", "123460", "123", "12345"]) expect(isEvadtsTime(t)).toBe(false);
  });
});

describe("dictionary", () => {
  it("names every element by segment and position", () => {
    expect(segmentDef("CA15")?.elements[0]?.id).toBe("CA1501");
    expect(segmentDef("DXS")?.elements[3]).toMatchObject({ id: "DXS04", type: "N", required: true });
    expect(segmentDef("XYZ")).toBeUndefined();
  });

  it("covers the segments the MiZip audit uses", () => {
    const tags = [
      "DXS",
      "ST",
      "ID1",
      "ID4",
      "ID5",
      "ID7",
      "CB1",
      "BA1",
      "TA2",
      "LA1",
      "MA5",
      "G85",
      "SE",
      "DXE",
    ];
    for (let i = 1; i <= 3; i++) tags.push(`VA${i}`);
    for (let i = 1; i <= 17; i++) tags.push(`CA${i}`);
    for (let i = 1; i <= 10; i++) tags.push(`DA${i}`);
    for (let i = 1; i <= 8; i++) tags.push(`PA${i}`);
    for (let i = 1; i <= 7; i++) tags.push(`EA${i}`);
    for (const t of tags) expect(segmentDef(t), t).toBeDefined();
  });
});
