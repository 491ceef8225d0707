import { describe, expect, it } from "vitest";
import { cashTotals, events, products } from "./accessors.js";
import type { FindingCode } from "./findings.js";
import { parse } from "./parse.js";
import { REAL_CORPUS_DIR, realCorpus } from "./test-support.js";
import { validate } from "./validate.js";
import { write } from "./write.js";

/**
 * Conformance against real audit files from several vendors' machines (../shared/data/evadts-real,
 * see SOURCES.md there). Every file of the folder is listed here: a new file fails the first test
 * until its expected findings are written down. Expected findings per file, by code and count:
 *
 * | file                 | findings                                                      | valid |
 * |----------------------|---------------------------------------------------------------|-------|
 * | animo.eva_dts        | LINE_END 1 (LF only, no final line end)                       | yes   |
 * | crane-9259630009.dex | EXTRA_ELEMENTS 2 (DXS with 6 elements, CA1 with 5; CR LF)     |       |
 * |                      | EMPTY_IDENTIFIER 1 (empty EA101), SE_COUNT 1 (54 for 58)      | yes   |
 * | crane-cnv-de32.dex   | LINE_END 1 (LF only), SE_COUNT 1 (SE01 states 1)              | yes   |
 * | nw-kalea.eva_dts     | LINE_END 1, EXTRA_ELEMENTS 33 (EA3 10, PA4 6, EA2 6),         | yes   |
 * |                      | PLACEHOLDER_DATE 21 + PLACEHOLDER_TIME 21 (PA5*0*0),          |       |
 * |                      | SE_COUNT 1 (211 for 193)                                      |       |
 * | rhevendors.eva_dts   | LINE_END 1, TRAILING_BLANKS 15 (padded names), SE_COUNT 1     | yes   |
 * |                      | (SE01 states 349, the set has 369 segments)                   |       |
 * | sielaff.eva_dts      | OUTSIDE_ENVELOPE 1 (MC5 before DXS), LINE_END 1, MISSING_SE 1,| no    |
 * |                      | MISSING_DXE 1 (the stored file ends early)                    |       |
 */
const EXPECTED: Record<
  string,
  { findings: Partial<Record<FindingCode, number>>; valid: boolean; g85?: string }
> = {
  "animo.eva_dts": { findings: { LINE_END: 1 }, valid: true, g85: "B9AE" },
  "crane-9259630009.dex": {
    findings: { EXTRA_ELEMENTS: 2, EMPTY_IDENTIFIER: 1, SE_COUNT: 1 },
    valid: true,
    g85: "E8BC",
  },
  "crane-cnv-de32.dex": { findings: { LINE_END: 1, SE_COUNT: 1 }, valid: true, g85: "91CA" },
  "nw-kalea.eva_dts": {
    findings: { LINE_END: 1, EXTRA_ELEMENTS: 32, PLACEHOLDER_DATE: 21, PLACEHOLDER_TIME: 21, SE_COUNT: 1 }, // EA3 has ten elements, as the MiZip manual says (EA309, EA310)
    valid: true,
    g85: "E09D",
  },
  "rhevendors.eva_dts": {
    findings: { LINE_END: 1, TRAILING_BLANKS: 15, SE_COUNT: 1 },
    valid: true,
    g85: "F4D0",
  },
  "sielaff.eva_dts": {
    findings: { OUTSIDE_ENVELOPE: 1, LINE_END: 1, MISSING_SE: 1, MISSING_DXE: 1 },
    valid: false,
  },
};

const PLACEHOLDERS: FindingCode[] = [
  "PLACEHOLDER_DATE",
  "PLACEHOLDER_TIME",
  "EMPTY_IDENTIFIER",
  "UNSET_VALUE",
];

const corpus = realCorpus();

describe(`real EVA-DTS corpus (${REAL_CORPUS_DIR})`, () => {
  it("is present, or this conformance test says plainly it did not run", (ctx) => {
    if (corpus === undefined) {
      console.warn(`real EVA-DTS corpus not found at ${REAL_CORPUS_DIR}: conformance NOT run`);
      ctx.skip();
      return;
    }
    expect(corpus.map((f) => f.name)).toEqual(Object.keys(EXPECTED));
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name}: parses, round-trips byte for byte and reports exactly its findings`, (ctx) => {
      const entry = corpus?.find((f) => f.name === name);
      if (entry === undefined) {
        console.warn(`${name} not found in ${REAL_CORPUS_DIR}: NOT checked`);
        ctx.skip();
        return;
      }
      const file = parse(entry.bytes);
      expect(Buffer.from(write(file)).equals(entry.bytes)).toBe(true);
      const counted: Partial<Record<FindingCode, number>> = {};
      for (const f of validate(file)) counted[f.code] = (counted[f.code] ?? 0) + 1;
      expect(counted).toEqual(expected.findings);
      expect(validate(file).every((f) => f.severity !== "error")).toBe(expected.valid);
      // strict mode: the placeholders real machines send become errors, at the same places
      const strict = validate(file, { mode: "strict" });
      const placeholders = validate(file).filter((f) => PLACEHOLDERS.includes(f.code));
      expect(strict.filter((f) => PLACEHOLDERS.includes(f.code))).toEqual(
        placeholders.map((f) => ({ ...f, severity: "error" })),
      );
      if (expected.g85) {
        expect(file.transactionSets).toEqual([
          {
            line: expect.any(Number),
            stated: expected.g85,
            computed: expected.g85,
            match: true,
            variant: "standard",
          },
        ]);
      }
    });
  }

  it("yields the sales the files state", (ctx) => {
    if (corpus === undefined) {
      ctx.skip();
      return;
    }
    const rhea = parse(corpus.find((f) => f.name === "rhevendors.eva_dts")?.bytes ?? "");
    const first = products(rhea)[0];
    expect(first).toMatchObject({ id: "1", price: 50, name: "KAFFEE SCHWARZ BOHNE" });
    expect(first?.byMedium.find((m) => m.medium === "DA" && m.priceList === 1)?.sales.countInit).toBe(182);
    expect(cashTotals(rhea).sales).toEqual({
      valueInit: 312330,
      countInit: 5443,
      valueReset: 312330,
      countReset: 5423,
    });
    expect(events(rhea).occurrences.at(-1)).toMatchObject({ id: "EC_ON", date: "20231121", time: "0927" });
    const sielaff = parse(corpus.find((f) => f.name === "sielaff.eva_dts")?.bytes ?? "");
    expect(cashTotals(sielaff).cashIn?.inInit).toBe(272915);
  });
});
