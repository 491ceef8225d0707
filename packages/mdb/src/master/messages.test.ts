import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ChangerPollItem, readChangerPoll, writeChangerPoll } from "./changer-messages.js";
import { readValidatorPoll, type ValidatorPollItem, writeValidatorPoll } from "./validator-messages.js";

const nibble = fc.nat(15);

describe("POLL reply items, declared once for the master's reading and the simulators' writing", () => {
  it("a changer's items read back as written, and an item cut short is a problem at its offset", () => {
    const item: fc.Arbitrary<ChangerPollItem> = fc.oneof(
      fc.record({
        kind: fc.constant("dispensed" as const),
        coinType: nibble,
        count: fc.nat(7),
        inTube: fc.nat(255),
      }),
      fc.record({
        kind: fc.constant("deposited" as const),
        coinType: nibble,
        route: fc.nat(3),
        inTube: fc.nat(255),
      }),
      fc.record({ kind: fc.constant("slugs" as const), count: fc.nat(31) }),
      fc.record({ kind: fc.constant("status" as const), code: fc.integer({ min: 1, max: 13 }) }),
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 8 }), (items) => {
        expect(readChangerPoll(writeChangerPoll(items))).toEqual({ items });
      }),
    );
    expect(readChangerPoll([0x0b, 0x51])).toEqual({
      items: [{ kind: "status", code: 11 }],
      problem: { offset: 1, detail: "deposit without tube count" },
    });
  });

  it("a validator's items read back as written", () => {
    const item: fc.Arbitrary<ValidatorPollItem> = fc.oneof(
      fc.record({ kind: fc.constant("bill" as const), billType: nibble, route: fc.nat(7) }),
      fc.record({ kind: fc.constant("attempts" as const), count: fc.nat(31) }),
      fc.record({ kind: fc.constant("status" as const), code: fc.integer({ min: 1, max: 12 }) }),
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 16 }), (items) => {
        expect(readValidatorPoll(writeValidatorPoll(items))).toEqual(items);
      }),
    );
  });
});
