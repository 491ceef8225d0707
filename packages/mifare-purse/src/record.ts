import { crc32 } from "./crc32.js";
import { PurseError } from "./errors.js";
import { areaMac, checkRange, MAX_GENERATION } from "./identity.js";

/** Number of sale categories (A..H) with a 4-bit counter each. */
export const CATEGORIES = 8;

/** Everything about a key that changes as it is used. Money is in the smallest unit. */
export interface PurseState {
  /** Signed: negative credit is allowed where the system allows it. */
  readonly credit: number;
  /** Bonus 1: a credit amount (0..65535) or tokens (0..7), valid for the period stamped. */
  readonly bonus1: { readonly mode: "credit" | "tokens"; readonly amount: number; readonly period: number };
  /** Bonus 2/3: tokens 0..127 for the period stamped, and tokens used per category A..H (0..15). */
  readonly bonus2: {
    readonly tokens: number;
    readonly period: number;
    readonly categoryUse: readonly number[];
  };
  /** Loyalty credit or points (0..4294967295) with the period stamp for expiring loyalty. */
  readonly loyalty: { readonly mode: "credit" | "points"; readonly amount: number; readonly period: number };
  /** The last promotion sale: discount earned (0..65535), minute it happened, machine A or B. */
  readonly promotion: {
    readonly discount: number;
    readonly minute: number;
    readonly machine: "none" | "A" | "B";
  };
  /** Today's sales per category A..H (0..15) for the category limits, and the day they count. */
  readonly daily: { readonly day: number; readonly counts: readonly number[] };
  /** Uses left on a recharge key (0..65535). */
  readonly rechargesLeft: number;
}

/** Period and day stamps are day numbers (0..65535, e.g. days since 2000-01-01); minutes are 0..2^32-1. */
export const EMPTY_STATE: PurseState = {
  credit: 0,
  bonus1: { mode: "credit", amount: 0, period: 0 },
  bonus2: { tokens: 0, period: 0, categoryUse: [0, 0, 0, 0, 0, 0, 0, 0] },
  loyalty: { mode: "credit", amount: 0, period: 0 },
  promotion: { discount: 0, minute: 0, machine: "none" },
  daily: { day: 0, counts: [0, 0, 0, 0, 0, 0, 0, 0] },
  rechargesLeft: 0,
};

/** Bytes in one record copy: three data blocks of one sector. */
export const RECORD_BYTES = 48;
const AREA_RECORD = 0x52;
const MACHINES = ["none", "A", "B"] as const;

function packNibbles(name: string, values: readonly number[]): number {
  if (values.length !== CATEGORIES)
    throw new PurseError("INVALID_FIELD", `${name} has ${CATEGORIES} entries`);
  let out = 0;
  values.forEach((n, i) => {
    checkRange(`${name}[${i}]`, n, 0, 15);
    out |= n << (4 * i);
  });
  return out >>> 0;
}
const unpackNibbles = (v: number): number[] =>
  Array.from({ length: CATEGORIES }, (_, i) => (v >>> (4 * i)) & 0xf);

/**
 * One record copy (48 bytes):
 *   0-3 transaction counter, 4-7 credit (int32), 8 flags (bit 0 bonus-1 tokens, bits 1-2 promotion
 *   machine, bit 3 loyalty points, bits 4-7 the identity generation it belongs to), 9-10 bonus-1 amount, 11-12 bonus-1 period, 13 bonus-2 tokens,
 *   14-15 bonus-2 period, 16-19 category use (8 nibbles), 20-23 loyalty, 24-25 loyalty period,
 *   26-27 promotion discount, 28-31 promotion minute, 32-35 daily counts (8 nibbles), 36-37 day,
 *   38-39 recharges left, 40-43 MAC, 44-47 CRC-32 of bytes 0-43. Little endian.
 */
export function encodeRecord(
  state: PurseState,
  counter: number,
  purse: number,
  uid: Uint8Array,
  macKey: Uint8Array,
  generation = 0,
): Uint8Array {
  checkRange("counter", counter, 0, 0xffffffff);
  checkRange("generation", generation, 0, MAX_GENERATION);
  checkRange("credit", state.credit, -0x80000000, 0x7fffffff);
  checkRange("bonus 1", state.bonus1.amount, 0, state.bonus1.mode === "tokens" ? 7 : 65535);
  checkRange("bonus 1 period", state.bonus1.period, 0, 65535);
  checkRange("bonus 2 tokens", state.bonus2.tokens, 0, 127);
  checkRange("bonus 2 period", state.bonus2.period, 0, 65535);
  checkRange("loyalty", state.loyalty.amount, 0, 0xffffffff);
  checkRange("loyalty period", state.loyalty.period, 0, 65535);
  checkRange("promotion discount", state.promotion.discount, 0, 65535);
  checkRange("promotion minute", state.promotion.minute, 0, 0xffffffff);
  checkRange("day", state.daily.day, 0, 65535);
  checkRange("recharges left", state.rechargesLeft, 0, 65535);
  const machine = MACHINES.indexOf(state.promotion.machine);
  if (machine < 0)
    throw new PurseError("INVALID_FIELD", `promotion machine ${String(state.promotion.machine)}`);
  const out = new Uint8Array(RECORD_BYTES);
  const v = new DataView(out.buffer);
  v.setUint32(0, counter, true);
  v.setInt32(4, state.credit, true);
  out[8] =
    (state.bonus1.mode === "tokens" ? 1 : 0) |
    (machine << 1) |
    (state.loyalty.mode === "points" ? 8 : 0) |
    (generation << 4);
  v.setUint16(9, state.bonus1.amount, true);
  v.setUint16(11, state.bonus1.period, true);
  out[13] = state.bonus2.tokens;
  v.setUint16(14, state.bonus2.period, true);
  v.setUint32(16, packNibbles("category use", state.bonus2.categoryUse), true);
  v.setUint32(20, state.loyalty.amount, true);
  v.setUint16(24, state.loyalty.period, true);
  v.setUint16(26, state.promotion.discount, true);
  v.setUint32(28, state.promotion.minute, true);
  v.setUint32(32, packNibbles("daily counts", state.daily.counts), true);
  v.setUint16(36, state.daily.day, true);
  v.setUint16(38, state.rechargesLeft, true);
  out.set(areaMac(macKey, uid, AREA_RECORD + purse, out.subarray(0, 40)), 40);
  v.setUint32(44, crc32(out.subarray(0, 44)), true);
  return out;
}

export type RecordCheck =
  | {
      readonly ok: true;
      readonly state: PurseState;
      readonly counter: number;
      /** The identity generation this record belongs to. */
      readonly generation: number;
    }
  | { readonly ok: false; readonly reason: "CRC" | "MAC" | "FIELDS" };

/** Checks one record copy: CRC (torn or corrupted), then MAC (forged), then field ranges. */
export function decodeRecord(
  bytes: Uint8Array,
  purse: number,
  uid: Uint8Array,
  macKey: Uint8Array,
): RecordCheck {
  if (bytes.length !== RECORD_BYTES) return { ok: false, reason: "CRC" };
  const v = new DataView(bytes.buffer, bytes.byteOffset, RECORD_BYTES);
  if (v.getUint32(44, true) !== crc32(bytes.subarray(0, 44))) return { ok: false, reason: "CRC" };
  const mac = areaMac(macKey, uid, AREA_RECORD + purse, bytes.subarray(0, 40));
  if (!mac.every((b, i) => b === bytes[40 + i])) return { ok: false, reason: "MAC" };
  const flags = bytes[8] as number;
  const machine = MACHINES[(flags >> 1) & 3];
  const tokens = (flags & 1) === 1;
  const bonus1 = v.getUint16(9, true);
  const bonus2 = bytes[13] as number;
  if (machine === undefined || (tokens && bonus1 > 7) || bonus2 > 127) return { ok: false, reason: "FIELDS" };
  return {
    ok: true,
    counter: v.getUint32(0, true),
    generation: flags >> 4,
    state: {
      credit: v.getInt32(4, true),
      bonus1: { mode: tokens ? "tokens" : "credit", amount: bonus1, period: v.getUint16(11, true) },
      bonus2: {
        tokens: bonus2,
        period: v.getUint16(14, true),
        categoryUse: unpackNibbles(v.getUint32(16, true)),
      },
      loyalty: {
        mode: flags & 8 ? "points" : "credit",
        amount: v.getUint32(20, true),
        period: v.getUint16(24, true),
      },
      promotion: { discount: v.getUint16(26, true), minute: v.getUint32(28, true), machine },
      daily: { day: v.getUint16(36, true), counts: unpackNibbles(v.getUint32(32, true)) },
      rechargesLeft: v.getUint16(38, true),
    },
  };
}

/** Whether transaction counter `a` is newer than `b` (serial-number arithmetic mod 2^32). */
export function isNewer(a: number, b: number): boolean {
  const d = (a - b) >>> 0;
  return d !== 0 && d < 0x80000000;
}
