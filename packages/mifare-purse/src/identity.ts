import { aesCmac } from "./cmac.js";
import { crc32 } from "./crc32.js";
import { PurseError } from "./errors.js";

/** What a key is for (manual 4.14, ch. 8; special keys). The byte on the card is the index. */
export const KEY_FUNCTIONS = [
  "sale",
  "recharge",
  "free",
  "setup",
  "black-list",
  "data",
  "maxi",
  "programming",
  "statistics-reset",
] as const;
export type KeyFunction = (typeof KEY_FUNCTIONS)[number];

/** Who holds the key; written when the key is formatted. */
export interface Identity {
  /** 0..4294967295. */
  readonly keyNumber: number;
  /** 8 digits, 0..99999999 (default 00000001). */
  readonly operatorCode: number;
  /** 0..65535; 0 = not checked. */
  readonly customerCode: number;
  /** 0..255; 0 = not checked. */
  readonly departmentCode: number;
  /** Key price level 0..3. */
  readonly priceLevel: 0 | 1 | 2 | 3;
  readonly keyFunction: KeyFunction;
  /** 1-purse or 3-purse card. */
  readonly format: 1 | 3;
  /** For a recharge key: the credit each use loads (smallest unit, 0..4294967295). */
  readonly rechargeValue: number;
}

/** What a system writes of an identity on top of its own operator code and format. */
export type Holder = Omit<Identity, "format" | "operatorCode">;

/** The holder's part of an identity, e.g. to rewrite it with `PurseSystem.rekey`. */
export function holderOf(identity: Identity): Holder {
  const { format: _format, operatorCode: _operator, ...holder } = identity;
  return holder;
}

const MAGIC = [0x56, 0x4b] as const; // "VK"
export const LAYOUT_VERSION = 1;
/** Identity and record generations count modulo 16: only "the same" or "not" matters. */
export const MAX_GENERATION = 15;

export function checkRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new PurseError("INVALID_FIELD", `${name} ${value} is outside ${min}..${max}`);
  }
}

/** The 4-byte MAC of a card area: AES-CMAC with the card's MAC key over UID, area tag and bytes. */
export function areaMac(macKey: Uint8Array, uid: Uint8Array, area: number, bytes: Uint8Array): Uint8Array {
  const m = new Uint8Array(uid.length + 1 + bytes.length);
  m.set(uid, 0);
  m[uid.length] = area;
  m.set(bytes, uid.length + 1);
  return aesCmac(macKey, m).subarray(0, 4);
}

const AREA_IDENTITY = 0x49;

/**
 * Identity area: two blocks (32 bytes).
 *  0-1 "VK", 2 layout version, 3 format (1|3), 4 key function, 5 price level,
 *  6-9 key number, 10-13 operator code, 14-15 customer code,
 *  16 department code, 17-20 recharge value, 21 generation (0..15, see PurseSystem.rekey),
 *  22-23 zero, 24-27 MAC, 28-31 CRC-32. Integers are little endian.
 */
export function encodeIdentity(
  id: Identity,
  uid: Uint8Array,
  macKey: Uint8Array,
  generation = 0,
): Uint8Array {
  checkRange("key number", id.keyNumber, 0, 0xffffffff);
  checkRange("operator code", id.operatorCode, 0, 99_999_999);
  checkRange("customer code", id.customerCode, 0, 65535);
  checkRange("department code", id.departmentCode, 0, 255);
  checkRange("price level", id.priceLevel, 0, 3);
  checkRange("recharge value", id.rechargeValue, 0, 0xffffffff);
  checkRange("generation", generation, 0, MAX_GENERATION);
  const fn = KEY_FUNCTIONS.indexOf(id.keyFunction);
  if (fn < 0) throw new PurseError("INVALID_FIELD", `key function ${String(id.keyFunction)}`);
  if (id.format !== 1 && id.format !== 3)
    throw new PurseError("INVALID_FIELD", `format ${String(id.format)}`);
  const out = new Uint8Array(32);
  const v = new DataView(out.buffer);
  out.set(MAGIC, 0);
  out[2] = LAYOUT_VERSION;
  out[3] = id.format;
  out[4] = fn;
  out[5] = id.priceLevel;
  v.setUint32(6, id.keyNumber, true);
  v.setUint32(10, id.operatorCode, true);
  v.setUint16(14, id.customerCode, true);
  out[16] = id.departmentCode;
  v.setUint32(17, id.rechargeValue, true);
  out[21] = generation;
  out.set(areaMac(macKey, uid, AREA_IDENTITY, out.subarray(0, 24)), 24);
  v.setUint32(28, crc32(out.subarray(0, 28)), true);
  return out;
}

/** Reads the identity area; throws PurseError for a foreign, corrupt, forged or unknown one. */
export function decodeIdentity(bytes: Uint8Array, uid: Uint8Array, macKey: Uint8Array): Identity {
  if (bytes.length !== 32) throw new PurseError("CORRUPT_IDENTITY", "the identity area is 32 bytes");
  if (bytes[0] !== MAGIC[0] || bytes[1] !== MAGIC[1])
    throw new PurseError("FOREIGN_CARD", "no vendkit identity");
  const v = new DataView(bytes.buffer, bytes.byteOffset, 32);
  if (v.getUint32(28, true) !== crc32(bytes.subarray(0, 28))) throw new PurseError("CORRUPT_IDENTITY");
  const mac = areaMac(macKey, uid, AREA_IDENTITY, bytes.subarray(0, 24));
  if (!mac.every((b, i) => b === bytes[24 + i])) throw new PurseError("FORGED_IDENTITY");
  if (bytes[2] !== LAYOUT_VERSION) throw new PurseError("FOREIGN_CARD", `layout version ${bytes[2]}`);
  const keyFunction = KEY_FUNCTIONS[bytes[4] as number];
  if (keyFunction === undefined) throw new PurseError("BAD_FUNCTION", `function code ${bytes[4]}`);
  const format = bytes[3];
  if (format !== 1 && format !== 3) throw new PurseError("CORRUPT_IDENTITY", `format ${format}`);
  const priceLevel = bytes[5] as number;
  if (priceLevel > 3) throw new PurseError("CORRUPT_IDENTITY", `price level ${priceLevel}`);
  if ((bytes[21] as number) > MAX_GENERATION)
    throw new PurseError("CORRUPT_IDENTITY", `generation ${bytes[21]}`);
  return {
    keyNumber: v.getUint32(6, true),
    operatorCode: v.getUint32(10, true),
    customerCode: v.getUint16(14, true),
    departmentCode: bytes[16] as number,
    priceLevel: priceLevel as 0 | 1 | 2 | 3,
    keyFunction,
    format,
    rechargeValue: v.getUint32(17, true),
  };
}

/** The generation of an identity area `decodeIdentity` accepted. */
export const identityGeneration = (bytes: Uint8Array): number => bytes[21] as number;
