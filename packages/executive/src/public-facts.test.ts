import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { dataByte, EXECUTIVE, isDataByte } from "./wire.js";

/** test-vectors/public-facts.json: the wire values public sources support, kept apart from the code. */
const here = dirname(fileURLToPath(import.meta.url));
const vectors = JSON.parse(readFileSync(join(here, "..", "test-vectors", "public-facts.json"), "utf8")) as {
  facts: { path: string; value: number; confidence: string; source: string }[];
  dataBytes: { nibbleToByte: [number, number][]; notData: number[] };
};
const at = (path: string): unknown =>
  path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], EXECUTIVE);

describe("Executive constants against the public facts in test-vectors/", () => {
  it("lists the facts the digest rates medium or better", () => {
    expect(vectors.facts.length).toBeGreaterThanOrEqual(11);
    expect(vectors.facts.every((f) => /high|medium/.test(f.confidence) && f.source.length > 0)).toBe(true);
  });

  for (const fact of vectors.facts)
    it(`${fact.path} is ${fact.value} (${fact.confidence}: ${fact.source})`, () => {
      expect(at(fact.path)).toBe(fact.value);
    });

  it("frames a nibble as a 0x2X data byte and tells data from control bytes", () => {
    for (const [nibble, byte] of vectors.dataBytes.nibbleToByte) {
      expect(dataByte(nibble)).toBe(byte);
      expect(isDataByte(byte)).toBe(true);
    }
    for (const b of vectors.dataBytes.notData) expect(isDataByte(b)).toBe(false);
  });
});
