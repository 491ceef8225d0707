import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AccessBits,
  access,
  dataAllows,
  decodeAccessBytes,
  encodeAccessBytes,
  type KeyType,
  keyBIsReadable,
  type SectorAccess,
  TRANSPORT_ACCESS,
  trailerAllows,
} from "./access-bits.js";

const bitsArb = fc.tuple(
  fc.constantFrom(0, 1),
  fc.constantFrom(0, 1),
  fc.constantFrom(0, 1),
) as fc.Arbitrary<AccessBits>;
const sectorArb = fc.tuple(bitsArb, bitsArb, bitsArb, bitsArb) as fc.Arbitrary<SectorAccess>;

/**
 * NXP MF1S50yyX data sheet Table 8, transcribed as the data sheet prints it (read, write,
 * increment, decrement/transfer/restore), to check the implementation against.
 */
const TABLE_8 = `
000 A|B A|B A|B A|B
010 A|B never never never
100 A|B B never never
110 A|B B B A|B
001 A|B never never A|B
011 B B never never
101 B never never never
111 never never never never`;

const permits = (cell: string, key: KeyType) => cell === "A|B" || cell === key;

describe("access bits", () => {
  it("decodes the factory bytes FF 07 80 as transport configuration", () => {
    expect(decodeAccessBytes(0xff, 0x07, 0x80)).toEqual(TRANSPORT_ACCESS);
    expect(Array.from(encodeAccessBytes(TRANSPORT_ACCESS))).toEqual([0xff, 0x07, 0x80]);
  });

  it("round-trips every combination and rejects bytes whose inverted copies disagree", () => {
    fc.assert(
      fc.property(sectorArb, fc.nat(23), (s, bit) => {
        const bytes = encodeAccessBytes(s);
        expect(decodeAccessBytes(bytes[0] as number, bytes[1] as number, bytes[2] as number)).toEqual(s);
        const flipped = Uint8Array.from(bytes);
        flipped[bit >> 3] = (flipped[bit >> 3] as number) ^ (1 << (bit & 7));
        expect(
          decodeAccessBytes(flipped[0] as number, flipped[1] as number, flipped[2] as number),
        ).toBeUndefined();
      }),
    );
  });

  it("grants data-block operations exactly as data sheet Table 8", () => {
    for (const line of TABLE_8.trim().split("\n")) {
      const [bits, read, write, inc, dec] = line.split(" ") as [string, string, string, string, string];
      for (const key of ["A", "B"] as const) {
        expect(dataAllows(access(bits), "read", key), `${bits} read ${key}`).toBe(permits(read, key));
        expect(dataAllows(access(bits), "write", key), `${bits} write ${key}`).toBe(permits(write, key));
        expect(dataAllows(access(bits), "increment", key), `${bits} inc ${key}`).toBe(permits(inc, key));
        expect(dataAllows(access(bits), "decrement", key), `${bits} dec ${key}`).toBe(permits(dec, key));
      }
    }
  });

  it("grants trailer operations as data sheet Table 7", () => {
    // transport 001: everything with key A, key B readable
    expect(trailerAllows(access("001"), "keyA", "write", "A")).toBe(true);
    expect(trailerAllows(access("001"), "access", "write", "A")).toBe(true);
    expect(trailerAllows(access("001"), "keyB", "read", "A")).toBe(true);
    expect(keyBIsReadable(access("001"))).toBe(true);
    // 011: key A, access bits and key B written with key B; key B not readable
    expect(trailerAllows(access("011"), "keyA", "write", "B")).toBe(true);
    expect(trailerAllows(access("011"), "keyA", "write", "A")).toBe(false);
    expect(trailerAllows(access("011"), "access", "read", "A")).toBe(true);
    expect(trailerAllows(access("011"), "access", "write", "B")).toBe(true);
    expect(trailerAllows(access("011"), "keyB", "read", "B")).toBe(false);
    expect(keyBIsReadable(access("011"))).toBe(false);
    // 111: only the access bits can be read
    for (const key of ["A", "B"] as const) {
      expect(trailerAllows(access("111"), "keyA", "write", key)).toBe(false);
      expect(trailerAllows(access("111"), "access", "write", key)).toBe(false);
      expect(trailerAllows(access("111"), "access", "read", key)).toBe(true);
    }
    // key A can never be read
    fc.assert(
      fc.property(bitsArb, fc.constantFrom("A" as const, "B" as const), (b, key) => {
        expect(trailerAllows(b, "keyA", "read", key)).toBe(false);
      }),
    );
  });

  it("refuses malformed notation", () => {
    expect(() => access("12")).toThrow();
  });
});
