import { crc32 } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PurseError } from "./errors.js";
import {
  areaMac,
  decodeIdentity,
  encodeIdentity,
  type Identity,
  identityGeneration,
  KEY_FUNCTIONS,
} from "./identity.js";
import { decodeRecord, EMPTY_STATE, encodeRecord, isNewer, type PurseState, RECORD_BYTES } from "./record.js";

const UID = Uint8Array.of(1, 2, 3, 4);
const MAC_KEY = new Uint8Array(16).fill(7);

const nibbles = fc.array(fc.integer({ min: 0, max: 15 }), { minLength: 8, maxLength: 8 });
export const stateArb: fc.Arbitrary<PurseState> = fc
  .record({
    credit: fc.integer({ min: -0x80000000, max: 0x7fffffff }),
    tokens: fc.boolean(),
    b1: fc.integer({ min: 0, max: 65535 }),
    b1p: fc.integer({ min: 0, max: 65535 }),
    b2: fc.integer({ min: 0, max: 127 }),
    b2p: fc.integer({ min: 0, max: 65535 }),
    use: nibbles,
    points: fc.boolean(),
    loyalty: fc.integer({ min: 0, max: 0xffffffff }),
    lp: fc.integer({ min: 0, max: 65535 }),
    discount: fc.integer({ min: 0, max: 65535 }),
    minute: fc.integer({ min: 0, max: 0xffffffff }),
    machine: fc.constantFrom("none" as const, "A" as const, "B" as const),
    day: fc.integer({ min: 0, max: 65535 }),
    counts: nibbles,
    left: fc.integer({ min: 0, max: 65535 }),
  })
  .map((r) => ({
    credit: r.credit,
    bonus1: { mode: r.tokens ? "tokens" : "credit", amount: r.tokens ? r.b1 % 8 : r.b1, period: r.b1p },
    bonus2: { tokens: r.b2, period: r.b2p, categoryUse: r.use },
    loyalty: { mode: r.points ? "points" : "credit", amount: r.loyalty, period: r.lp },
    promotion: { discount: r.discount, minute: r.minute, machine: r.machine },
    daily: { day: r.day, counts: r.counts },
    rechargesLeft: r.left,
  }));

const counterArb = fc.integer({ min: 0, max: 0xffffffff });

describe("record codec", () => {
  it("round-trips every field at every value, limits included", () => {
    fc.assert(
      fc.property(stateArb, counterArb, fc.nat(2), fc.nat(15), (state, counter, purse, generation) => {
        const bytes = encodeRecord(state, counter, purse, UID, MAC_KEY, generation);
        expect(bytes).toHaveLength(RECORD_BYTES);
        expect(decodeRecord(bytes, purse, UID, MAC_KEY)).toEqual({ ok: true, state, counter, generation });
      }),
    );
  });

  it("catches every single-bit corruption with its CRC", () => {
    fc.assert(
      fc.property(stateArb, counterArb, (state, counter) => {
        const bytes = encodeRecord(state, counter, 0, UID, MAC_KEY);
        for (let bit = 0; bit < RECORD_BYTES * 8; bit++) {
          const copy = Uint8Array.from(bytes);
          copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7));
          expect(decodeRecord(copy, 0, UID, MAC_KEY)).toEqual({ ok: false, reason: "CRC" });
        }
      }),
      { numRuns: 50 },
    );
  });

  it("refuses a record with a valid CRC but a MAC made without the card's key (forged)", () => {
    const forged = encodeRecord({ ...EMPTY_STATE, credit: 99999 }, 9, 0, UID, new Uint8Array(16));
    expect(decodeRecord(forged, 0, UID, MAC_KEY)).toEqual({ ok: false, reason: "MAC" });
    const otherCard = encodeRecord(EMPTY_STATE, 9, 0, Uint8Array.of(1, 2, 3, 5), MAC_KEY);
    expect(decodeRecord(otherCard, 0, UID, MAC_KEY)).toEqual({ ok: false, reason: "MAC" });
    const otherPurse = encodeRecord(EMPTY_STATE, 9, 1, UID, MAC_KEY);
    expect(decodeRecord(otherPurse, 0, UID, MAC_KEY)).toEqual({ ok: false, reason: "MAC" });
  });

  it("refuses fields outside their ranges with INVALID_FIELD", () => {
    const bad: PurseState[] = [
      { ...EMPTY_STATE, credit: 2 ** 31 },
      { ...EMPTY_STATE, bonus1: { mode: "tokens", amount: 8, period: 0 } },
      { ...EMPTY_STATE, bonus2: { tokens: 128, period: 0, categoryUse: EMPTY_STATE.bonus2.categoryUse } },
      { ...EMPTY_STATE, daily: { day: 0, counts: [16, 0, 0, 0, 0, 0, 0, 0] } },
      { ...EMPTY_STATE, daily: { day: 0, counts: [0, 0] } },
      { ...EMPTY_STATE, rechargesLeft: -1 },
      { ...EMPTY_STATE, loyalty: { mode: "points", amount: 1.5, period: 0 } },
    ];
    for (const state of bad) {
      expect(() => encodeRecord(state, 1, 0, UID, MAC_KEY)).toThrow(PurseError);
    }
  });

  it("orders transaction counters across the 32-bit wrap", () => {
    expect(isNewer(1, 0)).toBe(true);
    expect(isNewer(0, 0xffffffff)).toBe(true);
    expect(isNewer(0xffffffff, 0)).toBe(false);
    expect(isNewer(5, 5)).toBe(false);
  });
});

describe("identity codec", () => {
  const identityArb: fc.Arbitrary<Identity> = fc.record({
    keyNumber: fc.integer({ min: 0, max: 0xffffffff }),
    operatorCode: fc.integer({ min: 0, max: 99_999_999 }),
    customerCode: fc.integer({ min: 0, max: 65535 }),
    departmentCode: fc.integer({ min: 0, max: 255 }),
    priceLevel: fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const),
    keyFunction: fc.constantFrom(...KEY_FUNCTIONS),
    format: fc.constantFrom(1 as const, 3 as const),
    rechargeValue: fc.integer({ min: 0, max: 0xffffffff }),
  });

  it("round-trips every field at every value", () => {
    fc.assert(
      fc.property(identityArb, fc.nat(15), (id, generation) => {
        const bytes = encodeIdentity(id, UID, MAC_KEY, generation);
        expect(decodeIdentity(bytes, UID, MAC_KEY)).toEqual(id);
        expect(identityGeneration(bytes)).toBe(generation);
      }),
    );
  });

  it("reports corruption, forgery, an unknown function and a foreign layout by code", () => {
    const id: Identity = {
      keyNumber: 1,
      operatorCode: 1,
      customerCode: 1,
      departmentCode: 1,
      priceLevel: 0,
      keyFunction: "sale",
      format: 1,
      rechargeValue: 0,
    };
    const bytes = encodeIdentity(id, UID, MAC_KEY);
    const codeOf = (b: Uint8Array) => {
      try {
        decodeIdentity(b, UID, MAC_KEY);
        return "ok";
      } catch (e) {
        return (e as PurseError).code;
      }
    };
    const flipped = Uint8Array.from(bytes);
    flipped[10] = (flipped[10] as number) ^ 1;
    expect(codeOf(flipped)).toBe("CORRUPT_IDENTITY");
    expect(codeOf(encodeIdentity({ ...id, operatorCode: 2 }, UID, new Uint8Array(16)))).toBe(
      "FORGED_IDENTITY",
    );
    expect(codeOf(new Uint8Array(32))).toBe("FOREIGN_CARD");
    const beyond = Uint8Array.from(bytes);
    beyond[21] = 16; // a generation past 15, properly signed
    beyond.set(areaMac(MAC_KEY, UID, 0x49, beyond.subarray(0, 24)), 24);
    new DataView(beyond.buffer).setUint32(28, crc32(beyond.subarray(0, 28)), true);
    expect(codeOf(beyond)).toBe("CORRUPT_IDENTITY");
    expect(() => encodeIdentity({ ...id, operatorCode: 100_000_000 }, UID, MAC_KEY)).toThrow(PurseError);
    expect(() => encodeIdentity({ ...id, priceLevel: 4 as 0 }, UID, MAC_KEY)).toThrow(PurseError);
    expect(() => encodeIdentity(id, UID, MAC_KEY, 16)).toThrow(PurseError);
    expect(() => encodeRecord(EMPTY_STATE, 1, 0, UID, MAC_KEY, 16)).toThrow(PurseError);
  });
});
