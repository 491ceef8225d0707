import { CardError } from "./errors.js";

/**
 * MIFARE Classic access conditions (NXP MF1S50yyX data sheet §8.7). Each block of a sector has
 * three bits C1 C2 C3; they are stored three times in bytes 6-8 of the sector trailer, once
 * inverted, so that a torn or corrupted trailer is recognisable.
 */
export type AccessBits = readonly [c1: 0 | 1, c2: 0 | 1, c3: 0 | 1];

/** Access bits for the four block groups of a sector: data groups 0..2 and the trailer. */
export type SectorAccess = readonly [AccessBits, AccessBits, AccessBits, AccessBits];

export type KeyType = "A" | "B";
type Who = "never" | "A" | "B" | "AB";

const bits = (n: number): AccessBits => [((n >> 2) & 1) as 0 | 1, ((n >> 1) & 1) as 0 | 1, (n & 1) as 0 | 1];
const num = (b: AccessBits): number => (b[0] << 2) | (b[1] << 1) | b[2];

/** Encodes access bits into trailer bytes 6, 7 and 8. */
export function encodeAccessBytes(access: SectorAccess): Uint8Array {
  let c1 = 0;
  let c2 = 0;
  let c3 = 0;
  access.forEach((b, i) => {
    c1 |= b[0] << i;
    c2 |= b[1] << i;
    c3 |= b[2] << i;
  });
  return Uint8Array.of(((~c2 & 0xf) << 4) | (~c1 & 0xf), (c1 << 4) | (~c3 & 0xf), (c3 << 4) | c2);
}

/** Decodes trailer bytes 6, 7, 8; undefined when the inverted copies disagree (a locked sector). */
export function decodeAccessBytes(b6: number, b7: number, b8: number): SectorAccess | undefined {
  const c1 = b7 >> 4;
  const c2 = b8 & 0xf;
  const c3 = b8 >> 4;
  if ((~c1 & 0xf) !== (b6 & 0xf) || (~c2 & 0xf) !== b6 >> 4 || (~c3 & 0xf) !== (b7 & 0xf)) return undefined;
  const group = (i: number): AccessBits => [
    ((c1 >> i) & 1) as 0 | 1,
    ((c2 >> i) & 1) as 0 | 1,
    ((c3 >> i) & 1) as 0 | 1,
  ];
  return [group(0), group(1), group(2), group(3)];
}

/** Data sheet Table 8, rows C1C2C3 = 000..111: read, write, increment, decrement/transfer/restore. */
const DATA: Record<number, readonly [Who, Who, Who, Who]> = {
  0: ["AB", "AB", "AB", "AB"],
  2: ["AB", "never", "never", "never"],
  4: ["AB", "B", "never", "never"],
  6: ["AB", "B", "B", "AB"],
  1: ["AB", "never", "never", "AB"],
  3: ["B", "B", "never", "never"],
  5: ["B", "never", "never", "never"],
  7: ["never", "never", "never", "never"],
};

/**
 * Data sheet Table 7: key A write; access bits read, write; key B read, write.
 * (Key A is never readable.)
 */
const TRAILER: Record<number, readonly [Who, Who, Who, Who, Who]> = {
  0: ["A", "A", "never", "A", "A"],
  2: ["never", "A", "never", "A", "never"],
  4: ["B", "AB", "never", "never", "B"],
  6: ["never", "AB", "never", "never", "never"],
  1: ["A", "A", "A", "A", "A"],
  3: ["B", "AB", "B", "never", "B"],
  5: ["never", "AB", "B", "never", "never"],
  7: ["never", "AB", "never", "never", "never"],
};

const allows = (who: Who, key: KeyType): boolean => who === "AB" || who === key;

export type DataOp = "read" | "write" | "increment" | "decrement";

/** Whether `key` may do `op` on a data block whose access bits are `b`. */
export function dataAllows(b: AccessBits, op: DataOp, key: KeyType): boolean {
  const row = DATA[num(b)] as readonly [Who, Who, Who, Who];
  const col = { read: 0, write: 1, increment: 2, decrement: 3 }[op];
  return allows(row[col] as Who, key);
}

export type TrailerPart = "keyA" | "access" | "keyB";

/** What `key` may read and write in a sector trailer whose trailer bits are `b`. */
export function trailerAllows(b: AccessBits, part: TrailerPart, op: "read" | "write", key: KeyType): boolean {
  const row = TRAILER[num(b)] as readonly [Who, Who, Who, Who, Who];
  if (part === "keyA") return op === "write" && allows(row[0], key);
  if (part === "access") return allows(row[op === "read" ? 1 : 2], key);
  return allows(row[op === "read" ? 3 : 4], key);
}

/** When key B is readable it is data, not a key: it cannot be used to authenticate. */
export function keyBIsReadable(trailerBits: AccessBits): boolean {
  const row = TRAILER[num(trailerBits)] as readonly [Who, Who, Who, Who, Who];
  return row[3] !== "never";
}

/** The factory configuration: FF 07 80 (data 000, trailer 001). */
export const TRANSPORT_ACCESS: SectorAccess = [bits(0), bits(0), bits(0), bits(0b001)];

/** Access bits from the conventional three-digit notation, e.g. `access("100")`. */
export function access(c1c2c3: string): AccessBits {
  if (!/^[01]{3}$/.test(c1c2c3)) throw new CardError("LOCKED");
  return bits(Number.parseInt(c1c2c3, 2));
}
