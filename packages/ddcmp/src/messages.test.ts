import { crc16Update } from "@vendkit/evadts";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type DdcmpMessage, encodeMessage, MessageParser, QSYNC, SELECT } from "./messages.js";

const byte = fc.nat(255);
const flags = fc.constantFrom(0, QSYNC, SELECT, QSYNC | SELECT);
const messageArb: fc.Arbitrary<DdcmpMessage> = fc.oneof(
  fc.record({
    kind: fc.constant("data" as const),
    resp: byte,
    num: byte,
    addr: byte,
    flags,
    data: fc.uint8Array({ maxLength: 300 }),
  }),
  fc.record({
    kind: fc.constant("maintenance" as const),
    addr: byte,
    flags,
    data: fc.uint8Array({ maxLength: 50 }),
  }),
  fc.record({ kind: fc.constant("ack" as const), resp: byte, addr: byte, flags }),
  fc.record({
    kind: fc.constant("nak" as const),
    resp: byte,
    reason: fc.integer({ min: 0, max: 63 }),
    addr: byte,
    flags,
  }),
  fc.record({ kind: fc.constant("rep" as const), num: byte, addr: byte, flags }),
  fc.record({ kind: fc.constant("start" as const), addr: byte, flags, mbd: byte }),
  fc.record({ kind: fc.constant("stack" as const), addr: byte, flags, sbd: byte, mbd: byte }),
);

describe("DDCMP messages", () => {
  it("uses CRC-16 x^16+x^15+x^2+1, reflected, initial 0 (check value BB3D)", () => {
    expect(crc16Update(0, new TextEncoder().encode("123456789"))).toBe(0xbb3d);
  });

  it("lays out a STRT and a data message as the spec does", () => {
    const strt = encodeMessage({ kind: "start", addr: 1, flags: QSYNC | SELECT, mbd: 0 });
    expect(Array.from(strt.subarray(0, 6))).toEqual([0x05, 0x06, 0xc0, 0x00, 0x00, 0x01]);
    const crc = crc16Update(0, strt.subarray(0, 6));
    expect([strt[6], strt[7]]).toEqual([crc & 0xff, crc >> 8]);
    const data = encodeMessage({
      kind: "data",
      resp: 3,
      num: 4,
      addr: 1,
      flags: 0,
      data: Uint8Array.of(0x77, 0xe0),
    });
    expect(Array.from(data.subarray(0, 6))).toEqual([0x81, 0x02, 0x00, 0x03, 0x04, 0x01]);
    expect(data).toHaveLength(8 + 2 + 2);
  });

  it("decode(encode(m)) = m for every message, also when several arrive in one chunk", () => {
    fc.assert(
      fc.property(fc.array(messageArb, { maxLength: 5 }), (list) => {
        const bytes = list.flatMap((m) => Array.from(encodeMessage(m)));
        expect(new MessageParser().push(bytes)).toEqual(list);
      }),
    );
  });

  it("reports a damaged header or data by code and never throws on arbitrary bytes", () => {
    const m = encodeMessage({
      kind: "data",
      resp: 0,
      num: 1,
      addr: 1,
      flags: 0,
      data: Uint8Array.of(1, 2, 3),
    });
    const badData = Uint8Array.from(m);
    badData[9] = (badData[9] as number) ^ 4;
    expect(new MessageParser().push(badData)).toEqual([
      { kind: "error", code: "DATA_CRC", resp: 0, num: 1, detail: "data CRC does not match" },
    ]);
    const badHeader = Uint8Array.from(m);
    badHeader[4] = (badHeader[4] as number) ^ 1;
    expect(new MessageParser().push(badHeader)[0]).toMatchObject({ kind: "error", code: "HEADER_CRC" });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        for (const x of new MessageParser().push(bytes)) expect(typeof x.kind).toBe("string");
      }),
    );
  });
});
