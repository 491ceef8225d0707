import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError, type AppMessage, CODE, COMMAND, decodeApp, encodeApp, RESPONSE } from "./application.js";

const refusal = (bytes: number[]) => {
  try {
    decodeApp(Uint8Array.from(bytes));
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, offset: e.offset, message: e.message };
    throw e;
  }
  return "read";
};

describe("EVA-DTS application messages, declared once (3.6.1-3.6.4)", () => {
  it("round-trips every message of the table", () => {
    const u8 = fc.nat(255);
    const u16 = fc.nat(0xffff);
    const data = fc.uint8Array({ maxLength: 30 });
    const at = fc.record({
      day: fc.integer({ min: 1, max: 28 }),
      month: fc.integer({ min: 1, max: 12 }),
      year: fc.integer({ min: 2000, max: 2099 }),
      hour: fc.nat(23),
      minute: fc.nat(59),
      second: fc.nat(59),
    });
    const arb: fc.Arbitrary<AppMessage> = fc.oneof(
      fc.record({
        kind: fc.constant("who-are-you" as const),
        securityCode: u16,
        passCode: u16,
        at,
        userId: u16,
        access: u8,
      }),
      fc.record({ kind: fc.constant("read-data" as const), list: u8, record: u8, offset: u16, length: u16 }),
      fc.record({ kind: fc.constant("delete-data" as const), list: u8, record: u8 }),
      fc.constant({ kind: "finish" } as const),
      fc.record({ kind: fc.constant("who-are-you-rejected" as const), denial: u8 }),
      fc.record({
        kind: fc.constant("who-are-you-accepted" as const),
        securityCode: u16,
        passCode: u16,
        serial: fc.uint8Array({ minLength: 8, maxLength: 8 }),
        version: u8,
        manufacturer: u8,
        extraReads: u8,
        bufferSize: u16,
      }),
      fc.record({
        kind: fc.constant("read-data-accepted" as const),
        list: u8,
        record: u8,
        offset: u16,
        length: u16,
      }),
      fc.record({ kind: fc.constant("block" as const), number: u8, data }),
    );
    fc.assert(
      fc.property(arb, (m) => {
        expect(decodeApp(encodeApp(m))).toEqual(m);
      }),
    );
  });

  it("keeps commands and responses it has no layout for whole", () => {
    expect(decodeApp(Uint8Array.of(COMMAND, CODE.writeData, 1, 2, 3))).toEqual({
      kind: "command",
      code: CODE.writeData,
      body: Uint8Array.of(1, 2, 3),
    });
    expect(decodeApp(Uint8Array.of(RESPONSE, CODE.readData, 0))).toEqual({
      kind: "response",
      code: CODE.readData,
      accepted: false,
      body: new Uint8Array(0),
    });
  });

  it("names what it cannot read, with the offset: empty, unknown type, short, not BCD", () => {
    expect(refusal([])).toMatchObject({ code: "EMPTY" });
    expect(refusal([0x42, 1])).toMatchObject({ code: "UNKNOWN_TYPE", offset: 0 });
    // READ DATA cut after the list: the record is missing at byte 4
    expect(refusal([COMMAND, CODE.readData, 0, 1])).toMatchObject({ code: "SHORT_MESSAGE", offset: 4 });
    expect(refusal([COMMAND, CODE.readData, 0, 1]).valueOf()).toMatchObject({
      message: expect.stringMatching(/read-data/),
    });
    // WHO ARE YOU whose year is 0x9A: not BCD, at byte 9
    const who = Array.from(
      encodeApp({
        kind: "who-are-you",
        securityCode: 1,
        passCode: 2,
        at: { day: 30, month: 11, year: 2026, hour: 9, minute: 0, second: 0 },
        userId: 0,
        access: 0x0c,
      }),
    );
    who[9] = 0x9a;
    expect(refusal(who)).toMatchObject({ code: "BAD_BCD", offset: 9 });
  });
});
