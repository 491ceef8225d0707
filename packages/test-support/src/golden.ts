import { readFileSync } from "node:fs";
import { expect, it } from "vitest";

/** One golden vector: a message as plain data and its units on the wire (bytes, or 9-bit words). */
export interface Vector<M> {
  readonly name: string;
  readonly message: M;
  readonly bytes: ArrayLike<number>;
}

/** The lines of a `.jsonl` golden file, each parsed as JSON. */
export function readJsonl<T>(path: string): T[] {
  return readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as T);
}

/** Hexadecimal (any case, spaces allowed) as bytes. */
export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/\s/g, "");
  return Uint8Array.from({ length: clean.length / 2 }, (_, i) =>
    Number.parseInt(clean.slice(2 * i, 2 * i + 2), 16),
  );
}

const toHex = (units: ArrayLike<number>) =>
  Array.from(units, (u) => u.toString(16).padStart(2, "0")).join(" ");

/**
 * One test per golden vector, both ways: the message encodes to the vector's units, and the
 * units decode to the message. The one helper every package's golden messages go through; the
 * codec also gets the vector (for what it carries beside the message, such as a context).
 */
export function bothWays<V extends Vector<unknown>>(
  vectors: readonly V[],
  codec: {
    encode(message: V["message"], vector: V): ArrayLike<number>;
    decode(units: ArrayLike<number>, vector: V): V["message"];
  },
): void {
  for (const v of vectors)
    it(`${v.name}: encodes to the vector's bytes and decodes back`, () => {
      expect(toHex(codec.encode(v.message, v))).toBe(toHex(v.bytes));
      expect(codec.decode(v.bytes, v)).toEqual(v.message);
    });
}
