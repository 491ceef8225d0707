import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ascii, bytes, optionalUint, uint } from "./fields.js";
import { Layout, type MessageOf, MessageTable, message } from "./message.js";

interface Ctx {
  readonly wide: boolean;
}
const TABLE = new MessageTable("test protocol", [
  message("ping", [0x01]),
  message(
    "set",
    [0x02, 0x00],
    uint("level", 1),
    uint("amount", (c: Ctx) => (c.wide ? 4 : 2)),
  ),
  message(
    "named",
    [0x02, 0x01],
    ascii("name", 4),
    optionalUint("extra", (c: Ctx) => (c.wide ? 2 : 0)),
  ),
  message("blob", [0x02, 0xff], bytes("data", "rest")),
]);
type Msg = MessageOf<(typeof TABLE.defs)[number]>;

const narrow = { wide: false };
const wide = { wide: true };

describe("a message declared once: type, length rule, decoder and encoder from one value", () => {
  it("gives each message's length as soon as its head is in, and none for a length it cannot know", () => {
    expect(TABLE.length([0x01], narrow)).toBe(1);
    expect(TABLE.length([0x02], narrow)).toBeUndefined(); // the head is not whole yet
    expect(TABLE.length([0x02, 0x00], narrow)).toBe(5);
    expect(TABLE.length([0x02, 0x00], wide)).toBe(7);
    expect(TABLE.length([0x02, 0x01], narrow)).toBe(6);
    expect(TABLE.length([0x02, 0x01], wide)).toBe(8);
    expect(TABLE.length([0x02, 0xff, 0x33], narrow)).toBeUndefined();
    expect(TABLE.length([0x09], narrow)).toBeUndefined();
  });

  it("round-trips any message of the table in either context", () => {
    const arb: fc.Arbitrary<Msg> = fc.oneof(
      fc.constant({ type: "ping" } as const),
      fc.record({ type: fc.constant("set" as const), level: fc.nat(255), amount: fc.nat(0xffff) }),
      fc.record({ type: fc.constant("named" as const), name: fc.stringMatching(/^[A-Z]{4}$/) }),
      fc.record({ type: fc.constant("blob" as const), data: fc.array(fc.nat(255), { maxLength: 20 }) }),
    );
    fc.assert(
      fc.property(arb, fc.boolean(), (m, isWide) => {
        const ctx = { wide: isWide };
        const wire = TABLE.encode(m, ctx);
        const back = TABLE.decode(wire, ctx);
        const expected = m.type === "named" && isWide ? { ...m, extra: 0 } : m;
        expect(back).toEqual({ ok: true, message: expected });
        if (m.type !== "blob") expect(TABLE.length(wire, ctx)).toBe(wire.length);
      }),
    );
  });

  it("writes big-endian integers and space-padded text, and an optional field only where it has room", () => {
    expect(Array.from(TABLE.encode({ type: "set", level: 3, amount: 0x1234 }, narrow))).toEqual([
      2, 0, 3, 0x12, 0x34,
    ]);
    expect(Array.from(TABLE.encode({ type: "set", level: 3, amount: 0x1234 }, wide))).toEqual([
      2, 0, 3, 0, 0, 0x12, 0x34,
    ]);
    expect(Array.from(TABLE.encode({ type: "named", name: "AB" }, narrow))).toEqual([
      2, 1, 0x41, 0x42, 0x20, 0x20,
    ]);
    expect(Array.from(TABLE.encode({ type: "named", name: "AB", extra: 9 }, wide))).toEqual([
      2, 1, 0x41, 0x42, 0x20, 0x20, 0, 9,
    ]);
  });

  it("says which message went wrong and at which byte, and never throws on bytes", () => {
    expect(TABLE.decode([0x07, 0x00], narrow)).toMatchObject({
      ok: false,
      code: "UNKNOWN_MESSAGE",
      offset: 0,
    });
    expect(TABLE.decode([0x02, 0x00, 0x05, 0x01], narrow)).toMatchObject({
      ok: false,
      code: "WRONG_LENGTH",
      message: "set",
      offset: 3,
    });
    expect(TABLE.decode([0x02, 0x00, 0x05, 0x01, 0x02, 0x03], narrow)).toMatchObject({
      code: "WRONG_LENGTH",
      message: "set",
      offset: 5,
    });
    fc.assert(
      fc.property(fc.array(fc.nat(255), { maxLength: 12 }), fc.boolean(), (b, isWide) => {
        const r = TABLE.decode(b, { wide: isWide });
        if (!r.ok) expect(r.offset).toBeLessThanOrEqual(b.length);
      }),
    );
  });

  it("refuses a message declared twice", () => {
    expect(() => new MessageTable("bad", [message("a", [1]), message("a", [2])])).toThrowError(
      /declared twice/,
    );
  });

  it("reads and writes a body with no head (a reply) from its layout, refusing or leaving extra bytes", () => {
    const reply = new Layout("a reply", uint("full", 2), bytes("counts", "rest"));
    expect(Array.from(reply.encode({ full: 0x0102, counts: [5, 6] }, undefined))).toEqual([1, 2, 5, 6]);
    expect(reply.decode([1, 2, 5, 6], undefined)).toEqual({
      ok: true,
      value: { full: 0x0102, counts: [5, 6] },
    });
    expect(reply.decode([1], undefined)).toMatchObject({
      ok: false,
      code: "WRONG_LENGTH",
      message: "a reply",
      offset: 0,
    });
    const fixed = new Layout("a fixed reply", uint("n", 1));
    expect(fixed.decode([7, 8], undefined)).toMatchObject({ ok: false, offset: 1 });
    expect(fixed.decode([7, 8], undefined, "ignore")).toEqual({ ok: true, value: { n: 7 } });
  });
});
