import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc16, crcHex } from "./crc16.js";
import { EvadtsError, type FindingCode } from "./findings.js";
import { MAX_FILE_BYTES, parse } from "./parse.js";
import { goldenFile } from "./test-support.js";
import { buildAudit, write } from "./write.js";

const codes = (text: string): FindingCode[] => parse(text).findings.map((f) => f.code);
const sealed = (body: string[], eol = "\r\n") => {
  const model = buildAudit(
    body.map((s) => {
      const [tag, ...elements] = s.split("*");
      return { tag: tag as string, elements };
    }),
    { communicationId: "TST0000001" },
  );
  return Buffer.from(write({ ...model, lineEnd: eol as "\r\n" })).toString("latin1");
};

describe("parse: segments and positions", () => {
  it("splits segments and elements, keeping empty elements", () => {
    const file = parse("DXS*A*VA*V0/6*1\r\nST*001*0001\r\nPA1*1*50**\r\nSD1\r\n");
    expect(file.length).toBe(4);
    expect(file.segment(2)).toEqual({
      tag: "PA1",
      elements: ["1", "50", "", ""],
      index: 2,
      offset: 30,
      line: 3,
      lineEnd: "\r\n",
    });
    expect(file.segment(3).elements).toEqual([]);
    expect(file.tag(1)).toBe("ST");
    expect(file.hasTag(1, "ST")).toBe(true);
    expect(file.hasTag(0, "DX")).toBe(false);
    expect(file.position(32)).toEqual({ line: 3, column: 3 });
    // a line that begins with something no identifier is can still be found by it
    const odd = parse("pa1*x\r\nPA1*1\r\npa1\r\n");
    expect(odd.all("pa1").map((s) => s.line)).toEqual([1, 3]);
    expect(odd.first("PA1")?.line).toBe(2);
    expect(odd.hasTag(0, "pa")).toBe(false);
  });

  it("accepts CR LF, LF and lone CR line ends and records each", () => {
    const file = parse("AA*1\r\nBB*2\nCC*3\rDD*4");
    expect(file.segments().map((s) => [s.tag, s.lineEnd])).toEqual([
      ["AA", "\r\n"],
      ["BB", "\n"],
      ["CC", "\r"],
      ["DD", ""],
    ]);
    const lineEnd = file.findings.find((f) => f.code === "LINE_END");
    expect(lineEnd?.message).toContain("1 end with LF only, 1 with CR only, the last has no line end");
    expect(lineEnd?.line).toBe(2);
  });

  it("reads an empty input as no segments, missing its envelope", () => {
    const file = parse(new Uint8Array());
    expect(file.length).toBe(0);
    expect(file.findings.map((f) => f.code)).toEqual(["MISSING_DXS", "MISSING_ST", "MISSING_DXE"]);
  });

  it("rejects strings that are not one byte per character", () => {
    expect(() => parse("DXS*€")).toThrow(EvadtsError);
    try {
      parse("DXS*€");
    } catch (e) {
      expect((e as EvadtsError).code).toBe("INVALID_INPUT");
      expect((e as EvadtsError).offset).toBe(4);
    }
  });

  it("refuses a file longer than the longest text the engine makes, with a typed error", () => {
    // a view that says it is that long, without a gigabyte behind it
    class Huge extends Uint8Array {
      override get length(): number {
        return MAX_FILE_BYTES + 1;
      }
    }
    expect(() => parse(new Huge(4))).toThrow(expect.objectContaining({ code: "INVALID_INPUT" }));
    expect(() => parse(new Huge(4))).toThrow(/more than the 536870888 a parse can hold/);
  });

  it("throws out-of-range segment indexes as RangeError", () => {
    expect(() => parse("AA").segment(1)).toThrow(RangeError);
  });
});

describe("parse: envelope findings", () => {
  it("finds nothing wrong in a sealed CR LF file", () => {
    const text = sealed(["ID1*X", "VA1*100*1*100*1"]);
    const file = parse(text);
    expect(file.findings).toEqual([]);
    expect(file.valid).toBe(true);
    expect(file.transactionSets).toEqual([
      { line: 2, stated: expect.any(String), computed: expect.any(String), match: true, variant: "standard" },
    ]);
  });

  it("accepts the G85 variant without the CR LF after the last segment (N&W telemetry reads), and says so", () => {
    for (const eol of ["\r\n", "\n"]) {
      const text = sealed(["ID1*X", "VA1*100*1*100*1"], eol);
      // the rule, computed here independently: ST .. the segment before G85, joined by CR LF,
      // with no CR LF after the last one
      const segments = text.split(eol);
      const st = segments.findIndex((x) => x.startsWith("ST*"));
      const g85 = segments.findIndex((x) => x.startsWith("G85*"));
      const variant = crcHex(crc16(segments.slice(st, g85).join("\r\n")));
      const standard = crcHex(crc16(`${segments.slice(st, g85).join("\r\n")}\r\n`));
      expect(variant).not.toBe(standard);
      const file = parse(text.replace(`G85*${standard}`, `G85*${variant}`));
      expect(file.findings.map((f) => f.code)).toEqual(
        eol === "\n" ? ["LINE_END", "G85_VARIANT"] : ["G85_VARIANT"],
      );
      expect(file.findings.find((f) => f.code === "G85_VARIANT")).toMatchObject({
        severity: "warning",
        segment: "G85",
        element: 1,
      });
      expect(file.transactionSets).toEqual([
        {
          line: 2,
          stated: variant,
          computed: standard,
          computedNoFinalLineEnd: variant,
          match: true,
          variant: "no-final-line-end",
        },
      ]);
    }
  });

  it("checks G85 over CR LF even when the file has LF only", () => {
    const file = parse(sealed(["ID1*X", "VA1*100*1*100*1"], "\n"));
    expect(file.findings.map((f) => f.code)).toEqual(["LINE_END"]);
    expect(file.transactionSets[0]?.match).toBe(true);
  });

  it("reports a wrong SE count and control number at the element", () => {
    const text = sealed(["ID1*X"]).replace("SE*4*0001", "SE*9*0002");
    const file = parse(text);
    const se = file.findings.find((f) => f.code === "SE_COUNT");
    expect(se).toMatchObject({ severity: "warning", segment: "SE", element: 1, line: 5, column: 4 });
    expect(se?.message).toContain("states 9, counted 4");
    expect(file.findings.map((f) => f.code)).toContain("SE_CONTROL");
    // the count as written: only "4" is 4
    const codesFor = (se: string) => codes(sealed(["ID1*X"]).replace("SE*4*0001", `SE*${se}*0001`));
    expect(codesFor("4")).not.toContain("SE_COUNT");
    for (const se of ["04", "4 ", "", "-4", "40", "4.0", "99999999999999999999"])
      expect(codesFor(se)).toContain("SE_COUNT");
  });

  it("reports a G85 that does not match, and one that is malformed", () => {
    const text = sealed(["ID1*X"]);
    const g85 = /G85\*([0-9A-F]{4})/.exec(text)?.[1] as string;
    const other = g85 === "0000" ? "0001" : "0000";
    expect(codes(text.replace(`G85*${g85}`, `G85*${other}`))).toEqual(["G85_MISMATCH"]);
    expect(codes(text.replace(`G85*${g85}`, `G85*${g85.toLowerCase()}`))).toEqual(
      /[A-F]/.test(g85) ? ["G85_FORMAT"] : [],
    );
    expect(codes(text.replace(`G85*${g85}`, "G85*12"))).toEqual(["G85_FORMAT", "G85_MISMATCH"]);
  });

  it("reports a set without G85, without SE, and a nested ST", () => {
    expect(codes("DXS*A*VA*V0/6*1\r\nST*001*0001\r\nSE*2*0001\r\nDXE*1*1\r\n")).toEqual(["MISSING_G85"]);
    expect(codes("DXS*A*VA*V0/6*1\r\nST*001*0001\r\nID1*X\r\n")).toEqual(["MISSING_SE", "MISSING_DXE"]);
    expect(codes("DXS*A*VA*V0/6*1\r\nST*001*0001\r\nST*001*0002\r\nSE*2*0002\r\nDXE*1*1\r\n")).toEqual([
      "NESTED_ST",
      "MISSING_G85",
    ]);
  });

  it("reports segments outside the envelope and outside a set", () => {
    const inner = sealed(["ID1*X"]);
    expect(codes(`MC5*X\r\n${inner}`)).toEqual(["OUTSIDE_ENVELOPE"]);
    expect(codes(`MC5*X\n\nmc6 x \r\n${inner}`)).toEqual(["OUTSIDE_ENVELOPE"]);
    expect(codes(`${inner}ZZ9*1\r\n`)).toEqual(["OUTSIDE_ENVELOPE"]);
    const between = inner.replace("DXE*", "ID1*Y\r\nDXE*");
    expect(codes(between)).toEqual(["OUTSIDE_TRANSACTION_SET"]);
  });

  it("finds each audit in a file wrapped in transport framing, and in several audits one after another", () => {
    const one = sealed(["ID1*MACHINE1", "VA1*100*1*100*1"]);
    const two = sealed(["ID1*MACHINE2", "VA1*250*2*250*2"], "\n");
    // a telemetry header and trailer around two audits, with a blank line and a marker between
    const text = `+TELEMETRY v2 seq=17 len=${one.length + two.length}\r\n\x02\r\n${one}\r\n--next--\r\n${two}#END 0x3F21\r\n`;
    const file = parse(text);
    const outside = file.findings.filter((f) => f.code === "OUTSIDE_ENVELOPE");
    expect(outside.map((f) => [f.line, f.message.split(": ")[1]])).toEqual([
      [1, "2 lines before DXS"],
      [10, "2 lines between two transmissions"],
      [19, "1 line after DXE"],
    ]);
    // the framing is not judged as segments: no BAD_TAG or EMPTY_LINE for it
    expect(file.findings.map((f) => f.code).sort()).toEqual([
      "LINE_END",
      "OUTSIDE_ENVELOPE",
      "OUTSIDE_ENVELOPE",
      "OUTSIDE_ENVELOPE",
    ]);
    expect(file.valid).toBe(true);
    expect(file.transmissions).toEqual([
      { line: 3, firstSegment: 2, lastSegment: 8, closed: true },
      { line: 12, firstSegment: 11, lastSegment: 17, closed: true },
    ]);
    expect(file.transactionSets.map((t) => t.match)).toEqual([true, true]);
    const audits = file.audits();
    expect(audits.map((a) => [a.line, a.file.first("ID1")?.elements[0], a.file.findings.length])).toEqual([
      [3, "MACHINE1", 0],
      [12, "MACHINE2", 1], // LF only
    ]);
    expect(audits[0]?.file.text).toBe(one);
    expect(audits[1]?.file.text).toBe(two);
    // a file holding one audit and nothing else is its own only audit
    const single = parse(one);
    expect(single.audits()).toEqual([{ line: 1, file: single }]);
  });

  it("gives each audit of a file exactly as parsing that audit's text alone would", () => {
    const body = fc.array(
      fc.constantFrom("ID1*M1*X", "VA1*100*1*100*1", "PA1*1*150", "PA2*3*450", "CA2*1 "),
      { maxLength: 6 },
    );
    const audit = fc.record({
      body,
      eol: fc.constantFrom("\r\n", "\n"),
      tamper: fc.constantFrom("none", "g85", "no-dxe", "no-se", "junk", "nested"),
    });
    const piece = fc.oneof(audit, fc.constantFrom("+HDR seq=1", "--next--", "", "\x02"));
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 6 }), (pieces) => {
        const text = pieces
          .map((p) => {
            if (typeof p === "string") return `${p}\r\n`;
            const lines = sealed(p.body, p.eol).split(p.eol);
            // lines no writer would write, after the ST
            if (p.tamper === "junk") lines.splice(2, 0, "pa1*x", "");
            if (p.tamper === "nested") lines.splice(2, 0, "ST*001*9");
            const drop = p.tamper === "no-dxe" ? "DXE*" : p.tamper === "no-se" ? "SE*" : undefined;
            return lines
              .filter((l) => drop === undefined || !l.startsWith(drop))
              .map((l) => (p.tamper === "g85" && l.startsWith("G85*") ? "G85*0000" : l))
              .join(p.eol);
          })
          .join("");
        for (const { file } of parse(text).audits()) {
          const alone = parse(file.text);
          expect(file.findings).toEqual(alone.findings);
          expect(file.transactionSets).toEqual(alone.transactionSets);
          expect(file.transmissions).toEqual(alone.transmissions);
          expect(file.toJSON().segments).toEqual(alone.toJSON().segments);
          expect(file.position(file.text.length - 1)).toEqual(alone.position(file.text.length - 1));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("tolerates a missing DXS and DXE around a sealed set", () => {
    const inner = sealed(["ID1*X"]).split("\r\n").slice(1, -2).join("\r\n");
    expect(codes(`${inner}\r\n`)).toEqual(["MISSING_DXS", "MISSING_DXE"]);
  });

  it("checks DXE against DXS and the number of sets", () => {
    const text = sealed(["ID1*X"]).replace("DXE*1*1", "DXE*2*3");
    expect(codes(text)).toEqual(["DXE_CONTROL", "DXE_COUNT"]);
  });

  it("reports empty lines, bad identifiers and trailing blanks", () => {
    const text = sealed(["ID1*X", "PA1*1", "PA1*1*50*NAME  "])
      .replace("ID1*X\r\n", "ID1*X\r\n\r\n")
      .replace("PA1*1\r\n", "pa1*1\r\n");
    expect(codes(text)).toEqual(
      expect.arrayContaining(["EMPTY_LINE", "BAD_TAG", "TRAILING_BLANKS", "G85_MISMATCH"]),
    );
  });

  it("keeps at most 100 findings of one code and counts the rest", () => {
    const body = Array.from({ length: 150 }, () => "PA1*1*50*NAME ");
    const file = parse(sealed(body));
    expect(file.findings.filter((f) => f.code === "TRAILING_BLANKS")).toHaveLength(100);
    expect(file.findings.find((f) => f.code === "FINDINGS_ELIDED")?.message).toContain(
      "50 more TRAILING_BLANKS",
    );
  });
});

describe("parse: strict mode", () => {
  it("returns a clean file", () => {
    expect(parse(goldenFile("mizip-dex60.eva_dts"), { mode: "strict" }).length).toBe(18);
  });

  it("throws the first finding as an error carrying all of them", () => {
    const text = sealed(["ID1*X"], "\n");
    try {
      parse(text, { mode: "strict" });
      expect.unreachable("strict parse accepted LF line ends");
    } catch (e) {
      expect(e).toBeInstanceOf(EvadtsError);
      const err = e as EvadtsError;
      expect(err.code).toBe("LINE_END");
      expect(err.findings.every((f) => f.severity === "error")).toBe(true);
    }
  });
});

describe("parse: arbitrary input", () => {
  it("never throws on arbitrary bytes in tolerant mode, and keeps every byte", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const file = parse(bytes);
        expect(Buffer.from(write(file)).equals(Buffer.from(bytes))).toBe(true);
        for (const f of file.findings) expect(f.offset).toBeLessThanOrEqual(bytes.length);
      }),
    );
  });

  it("throws only EvadtsError on arbitrary bytes in strict mode", () => {
    const alphabet = fc.constantFrom(..."DXSEG85T*01\r\n AZ".split("").map((c) => c.charCodeAt(0)));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 200 }), (codesIn) => {
        try {
          parse(Uint8Array.from(codesIn), { mode: "strict" });
        } catch (e) {
          expect(e).toBeInstanceOf(EvadtsError);
        }
      }),
    );
  });
});
