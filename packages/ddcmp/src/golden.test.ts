import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bothWays, fromHex, readJsonl } from "@vendkit/test-support";
import { describe, expect, it } from "vitest";
import { type DdcmpMessage, encodeMessage, MessageParser } from "./messages.js";

/** test-vectors/messages.jsonl, written by make-golden.py: a second implementation of the layout. */
const here = dirname(fileURLToPath(import.meta.url));
const vectors = readJsonl<{ name: string; message: Record<string, unknown>; hex: string }>(
  join(here, "..", "test-vectors", "messages.jsonl"),
).map((v) => {
  const m = v.message;
  const message = (typeof m.data === "string" ? { ...m, data: fromHex(m.data) } : m) as DdcmpMessage;
  return { name: v.name, message, bytes: fromHex(v.hex) };
});

describe("DDCMP messages against test-vectors/ (computed by an independent script)", () => {
  it("has the vectors", () => {
    expect(vectors.map((v) => v.name)).toContain("data-who-are-you");
    expect(vectors.length).toBe(12);
  });

  bothWays(vectors, {
    encode: encodeMessage,
    decode: (bytes) => {
      const got = new MessageParser().push(bytes);
      expect(got).toHaveLength(1);
      return got[0] as DdcmpMessage;
    },
  });

  it("all of them in one stream, split at every byte, parse to the same messages", () => {
    const stream = vectors.flatMap((v) => Array.from(v.bytes));
    const parser = new MessageParser();
    const got = Array.from(stream).flatMap((b) => parser.push([b]));
    expect(got).toEqual(vectors.map((v) => v.message));
  });
});
