import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { crc16Update } from "./crc16.js";
import { KIND_MASK, Kind, scanFile, TRAILING_BLANK, tagKey } from "./scan-kernel.js";

/** The rules of scan-kernel.wat written plainly: lines, line ends and identifier kinds. */
function reference(text: string) {
  const starts: number[] = [];
  const eols: number[] = [];
  const kinds: number[] = [];
  const keys: number[] = [];
  const re = /\r\n|\n|\r/g;
  let from = 0;
  const add = (end: number, eol: number) => {
    const line = text.slice(from, end);
    const tag = /^([A-Z][A-Z0-9]{1,3})(\*|$)/.exec(line)?.[1];
    const kind =
      tag === undefined
        ? Kind.Bad
        : ((
            { DXS: Kind.DXS, DXE: Kind.DXE, ST: Kind.ST, SE: Kind.SE, G85: Kind.G85 } as Record<string, Kind>
          )[tag] ?? Kind.Other);
    starts.push(from);
    eols.push(eol);
    kinds.push(kind | (line.endsWith(" ") ? TRAILING_BLANK : 0));
    keys.push(tag === undefined ? 0 : [...tag].reduce((key, c) => key * 256 + c.charCodeAt(0), 0));
  };
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    add(m.index, m[0].length);
    from = m.index + m[0].length;
  }
  if (from < text.length) add(text.length, 0);
  return { starts, eols, kinds, keys };
}

const piece = fc.constantFrom(
  "\r\n",
  "\n",
  "\r",
  "\r\r\n",
  "*",
  " ",
  "ST",
  "SE",
  "G85",
  "DXS",
  "DXE",
  "PA1",
  "ID1",
  "A",
  "9",
  "ABCDE",
  "a",
  "\u00e9",
  "\u0000",
  "0123456789012345",
);

describe("scan kernel (WebAssembly)", () => {
  it("finds the same lines, line ends and identifier kinds as the plain rules, at any block alignment", () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 120 }), (pieces) => {
        const text = pieces.join("");
        const got = scanFile(text);
        const want = reference(text);
        expect(Array.from(got.starts)).toEqual(want.starts);
        expect(Array.from(got.eols)).toEqual(want.eols);
        expect(Array.from(got.kinds)).toEqual(want.kinds);
        expect(Array.from(got.keys)).toEqual(want.keys);
        expect(got.count).toBe(want.starts.length);
      }),
      { numRuns: 2000 },
    );
  });

  it("hands its lines back in batches: a file of 50,000 lines comes out whole", () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => (i % 7 === 0 ? `ST*001*${i}` : `PA1*${i}*150`));
    const text = `${lines.join("\r\n")}\n`;
    const got = scanFile(Buffer.from(text, "latin1"));
    const want = reference(text);
    expect(got.count).toBe(50_000);
    expect(Array.from(got.starts)).toEqual(want.starts);
    expect(Array.from(got.kinds)).toEqual(want.kinds);
    expect(Array.from(got.keys)).toEqual(want.keys);
    expect(got.eols[49_999]).toBe(1);
  });

  it("computes the CRC of any stretch of the file it loaded as the JavaScript CRC does", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400, size: "large" }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const file = scanFile(bytes);
        const start = bytes.length === 0 ? 0 : a % bytes.length;
        const end = start + (b % (bytes.length - start + 1));
        expect(file.crc(0x1234, start, end)).toBe(crc16Update(0x1234, bytes, start, end));
      }),
    );
  });

  it("reads each file on its own: a short file after a long one sees none of the long one's bytes", () => {
    scanFile("PA1*1\r\n".repeat(1000));
    const got = scanFile("ID1*X");
    expect(got.count).toBe(1);
    expect(got.eols[0]).toBe(0);
    expect((got.kinds[0] as number) & KIND_MASK).toBe(Kind.Other);
    expect(got.keys[0]).toBe(tagKey("ID1"));
  });

  it("says what the platform lacks when it cannot run the module", async () => {
    vi.resetModules();
    const real = (globalThis as unknown as { WebAssembly: object }).WebAssembly;
    vi.stubGlobal("WebAssembly", { ...real, Module: undefined });
    try {
      const fresh = await import("./scan-kernel.js");
      expect(() => fresh.scanFile("ID1*X")).toThrow(/WebAssembly and its SIMD instructions/);
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });

  it("is built from scan-kernel.wat as committed", () => {
    const script = fileURLToPath(new URL("../scripts/build-wasm.mjs", import.meta.url));
    expect(() => execFileSync(process.execPath, [script, "--check"], { stdio: "pipe" })).not.toThrow();
  });
});
