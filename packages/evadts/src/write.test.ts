import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EvadtsError } from "./findings.js";
import { parse } from "./parse.js";
import type { SegmentInput } from "./segment.js";
import { goldenFile } from "./test-support.js";
import { type AuditModel, buildAudit, toAuditFile, write } from "./write.js";

const text = (b: Uint8Array) => Buffer.from(b).toString("latin1");

/** The body of a golden file: what lies between ST and G85. */
function goldenBody(name: string): SegmentInput[] {
  const segs = parse(goldenFile(name)).toSegmentInputs();
  return segs.slice(2, -3);
}

const tagArb = fc.stringMatching(/^[A-Z][A-Z0-9]{1,3}$/);
const elementArb = fc.string({
  unit: fc
    .integer({ min: 0, max: 255 })
    .filter((c) => c !== 42 && c !== 10 && c !== 13)
    .map((c) => String.fromCharCode(c)),
  maxLength: 12,
});
const segmentArb: fc.Arbitrary<SegmentInput> = fc.record({
  tag: tagArb,
  elements: fc.array(elementArb, { maxLength: 8 }),
});
const modelArb: fc.Arbitrary<AuditModel> = fc.record({
  segments: fc.array(segmentArb, { maxLength: 30 }),
  lineEnd: fc.constantFrom("\r\n" as const, "\n" as const, "\r" as const),
  finalLineEnd: fc.boolean(),
});

describe("write", () => {
  it("writes a model segment by segment with CR LF by default", () => {
    const bytes = write({
      segments: [
        { tag: "ID1", elements: ["A", "", "B"] },
        { tag: "SD1", elements: [] },
      ],
    });
    expect(text(bytes)).toBe("ID1*A**B\r\nSD1\r\n");
  });

  it("parse(write(model)) gives the model back", () => {
    fc.assert(
      fc.property(modelArb, (model) => {
        const file = parse(write(model));
        expect(file.toSegmentInputs()).toEqual(model.segments);
        for (let i = 0; i < file.length; i++) {
          const last = i === file.length - 1;
          expect(file.lineEnd(i)).toBe(last && !model.finalLineEnd ? "" : model.lineEnd);
        }
      }),
    );
  });

  it("write(parse(bytes)) gives the bytes back", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 500 }), (bytes) => {
        expect(Buffer.from(write(parse(bytes))).equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });

  it("refuses models it could not read back", () => {
    const bad: SegmentInput[][] = [
      [{ tag: "id1", elements: [] }],
      [{ tag: "TOOLONG", elements: [] }],
      [{ tag: "ID1", elements: ["a*b"] }],
      [{ tag: "ID1", elements: ["a\r\nb"] }],
      [{ tag: "ID1", elements: ["€"] }],
    ];
    for (const segments of bad) {
      expect(() => write({ segments })).toThrow(EvadtsError);
      try {
        write({ segments });
      } catch (e) {
        expect((e as EvadtsError).code).toBe("INVALID_MODEL");
      }
    }
  });
});

describe("buildAudit", () => {
  it("rebuilds each golden file byte for byte from its body", () => {
    for (const name of ["mizip-ddcmp60-plus.eva_dts", "mizip-dex60.eva_dts"]) {
      const model = buildAudit(goldenBody(name), { communicationId: "NIS0012345" });
      expect(text(write(model))).toBe(goldenFile(name).toString("latin1"));
    }
  });

  it("seals any body so that the parser finds nothing wrong", () => {
    fc.assert(
      fc.property(
        fc.array(
          segmentArb.filter((s) => !["DXS", "DXE", "ST", "SE", "G85"].includes(s.tag)),
          { maxLength: 25 },
        ),
        (body) => {
          const file = toAuditFile(buildAudit(body, { communicationId: "X", setControl: "0042" }));
          expect(file.findings.filter((f) => f.code !== "TRAILING_BLANKS")).toEqual([]);
          expect(file.transactionSets).toHaveLength(1);
          expect(file.transactionSets[0]?.match).toBe(true);
          expect(file.first("SE")?.elements).toEqual([String(body.length + 3), "0042"]);
        },
      ),
    );
  });

  it("refuses envelope segments in the body", () => {
    expect(() => buildAudit([{ tag: "SE", elements: ["1"] }], { communicationId: "X" })).toThrow(/envelope/);
  });

  it("makes G85 catch every single-bit error and every swap of two different bytes in the set", () => {
    const bytes = write(buildAudit(goldenBody("mizip-dex60.eva_dts"), { communicationId: "NIS0012345" }));
    const s = text(bytes);
    const from = s.indexOf("ST*");
    const to = s.indexOf("G85*");
    fc.assert(
      fc.property(fc.integer({ min: from, max: to - 1 }), fc.nat(7), (at, bit) => {
        const copy = Uint8Array.from(bytes);
        copy[at] = (copy[at] as number) ^ (1 << bit);
        expect(parse(copy).findings.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.integer({ min: from, max: to - 1 }), fc.integer({ min: from, max: to - 1 }), (i, j) => {
        fc.pre(bytes[i] !== bytes[j]);
        const copy = Uint8Array.from(bytes);
        copy[i] = bytes[j] as number;
        copy[j] = bytes[i] as number;
        expect(parse(copy).findings.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});
