import { EMPTY_STATE, type PurseState } from "@vendkit/mifare-purse";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toKeyState, toPurseState } from "./key-bridge.js";

const nibbles = fc.array(fc.integer({ min: 0, max: 15 }), { minLength: 8, maxLength: 8 });
const purseArb: fc.Arbitrary<PurseState> = fc.record({
  credit: fc.integer({ min: -32_768, max: 65_535 }),
  bonus1: fc.record({
    mode: fc.constantFrom("credit" as const, "tokens" as const),
    amount: fc.nat(65_535),
    period: fc.nat(65_535),
  }),
  bonus2: fc.record({ tokens: fc.nat(127), period: fc.nat(65_535), categoryUse: nibbles }),
  loyalty: fc.record({
    mode: fc.constant("points" as const),
    amount: fc.nat(1_000_000),
    period: fc.nat(65_535),
  }),
  promotion: fc.record({
    discount: fc.nat(65_535),
    minute: fc.nat(2 ** 31),
    machine: fc.constantFrom("none" as const, "A" as const, "B" as const),
  }),
  daily: fc.record({ day: fc.nat(65_535), counts: nibbles }),
  rechargesLeft: fc.nat(65_535),
});

describe("key bridge: the card's record and pricing's key state", () => {
  it("round-trips every field pricing reads, keeping what it does not (fast-check)", () => {
    fc.assert(
      fc.property(purseArb, (p) => {
        expect(toPurseState(toKeyState(p), p)).toEqual(p);
      }),
    );
  });

  it("carries loyalty credit in the credit, and stamps pricing's 'never' (-1) as 0", () => {
    const k = toKeyState({ ...EMPTY_STATE, loyalty: { mode: "credit", amount: 999, period: 3 } });
    expect(k.loyalty.points).toBe(0);
    const back = toPurseState({ ...k, bonus1: { amount: 0, period: -1 } }, EMPTY_STATE, {
      bonus1: "tokens",
      loyalty: "credit",
    });
    expect(back.bonus1).toEqual({ mode: "tokens", amount: 0, period: 0 });
    expect(back.loyalty.amount).toBe(0);
  });
});
