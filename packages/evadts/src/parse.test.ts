import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EvadtsError, type FindingCode } from "./findings.js";
import { parse } from "./parse.js";
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
      { line: 2, stated: expect.any(String), computed: expect.any(String), match: true },
    ]);
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
    expect(codes(`${inner}ZZ9*1\r\n`)).toEqual(["OUTSIDE_ENVELOPE"]);
    const between = inner.replace("DXE*", "ID1*Y\r\nDXE*");
    expect(codes(between)).toEqual(["OUTSIDE_TRANSACTION_SET"]);
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
