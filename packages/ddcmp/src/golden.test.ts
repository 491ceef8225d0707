import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type DdcmpMessage, encodeMessage, MessageParser } from "./messages.js";

/** test-vectors/messages.jsonl, written by make-golden.py: a second implementation of the layout. */
const here = dirname(fileURLToPath(import.meta.url));
const vectors = readFileSync(join(here, "..", "test-vectors", "messages.jsonl"), "utf8")
  .trim()
  .split("\n")
  .map((line) => {
    const v = JSON.parse(line) as { name: string; message: Record<string, unknown>; hex: string };
    const m = v.message;
    const message = (
      typeof m.data === "string" ? { ...m, data: Uint8Array.from(Buffer.from(m.data, "hex")) } : m
    ) as DdcmpMessage;
    return { name: v.name, message, wire: Uint8Array.from(Buffer.from(v.hex, "hex")) };
  });

describe("DDCMP messages against test-vectors/ (computed by an independent script)", () => {
  it("has the vectors", () => {
    expect(vectors.map((v) => v.name)).toContain("data-who-are-you");
    expect(vectors.length).toBe(12);
  });

  for (const { name, message, wire } of vectors) {
    it(`${name}: encodes to the vector's bytes and parses back`, () => {
      expect(Buffer.from(encodeMessage(message)).toString("hex")).toBe(Buffer.from(wire).toString("hex"));
      expect(new MessageParser().push(wire)).toEqual([message]);
    });
  }

  it("all of them in one stream, split at every byte, parse to the same messages", () => {
    const stream = Buffer.concat(vectors.map((v) => v.wire));
    const parser = new MessageParser();
    const got = Array.from(stream).flatMap((b) => parser.push([b]));
    expect(got).toEqual(vectors.map((v) => v.message));
  });
});
