import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CashlessCommand, commandLength, decodeCommand, encodeCommand } from "./commands.js";
import type { CashlessContext } from "./context.js";
import { type CashlessResponse, decodeResponses, encodeResponse } from "./responses.js";

const ctxArb: fc.Arbitrary<CashlessContext> = fc.oneof(
  fc.constant<CashlessContext>({ level: 1, expanded: false }),
  fc.constant<CashlessContext>({ level: 2, expanded: false }),
  fc.constant<CashlessContext>({ level: 3, expanded: false }),
  fc.constant<CashlessContext>({ level: 3, expanded: true }),
);
const u16 = fc.integer({ min: 0, max: 0xffff });
const text = (n: number) =>
  fc.string({ unit: fc.constantFrom(..."ABCXYZ0123456789 "), minLength: n, maxLength: n });

const commandArb = (ctx: CashlessContext): fc.Arbitrary<CashlessCommand> => {
  const money = ctx.expanded ? fc.integer({ min: 0, max: 0xffffffff }) : u16;
  return fc.oneof(
    fc.constant<CashlessCommand>({ type: "reset" }),
    fc.constant<CashlessCommand>({ type: "poll" }),
    fc.record({
      type: fc.constant("setup-config" as const),
      vmcLevel: fc.integer({ min: 1, max: 3 }),
      columns: fc.nat(255),
      rows: fc.nat(255),
      displayInfo: fc.nat(255),
    }),
    ctx.expanded
      ? fc.record({ type: fc.constant("setup-prices" as const), max: money, min: money, currency: u16 })
      : fc.record({ type: fc.constant("setup-prices" as const), max: money, min: money }),
    fc.record({
      type: fc.constantFrom("vend-request" as const, "cash-sale" as const, "negative-vend" as const),
      price: money,
      item: u16,
    }),
    fc.constantFrom<CashlessCommand>(
      { type: "vend-cancel" },
      { type: "vend-failure" },
      { type: "session-complete" },
      { type: "reader-disable" },
      { type: "reader-enable" },
      { type: "reader-cancel" },
      { type: "revalue-limit-request" },
    ),
    fc.record({ type: fc.constant("vend-success" as const), item: u16 }),
    fc.record({
      type: fc.constant("data-entry-response" as const),
      data: fc.array(fc.nat(255), { minLength: 8, maxLength: 8 }),
    }),
    fc.record({ type: fc.constant("revalue-request" as const), amount: money }),
    fc.record({
      type: fc.constant("request-id" as const),
      manufacturer: text(3),
      serial: text(12),
      model: text(12),
      version: u16,
    }),
    fc.record({
      type: fc.constant("write-time-date" as const),
      bcd: fc.array(fc.nat(255), { minLength: 10, maxLength: 10 }),
    }),
    fc.record({
      type: fc.constant("enable-options" as const),
      options: fc.integer({ min: 0, max: 0xffffffff }),
    }),
    fc.record({ type: fc.constant("diagnostics" as const), data: fc.array(fc.nat(255), { maxLength: 20 }) }),
  );
};

const responseArb = (ctx: CashlessContext): fc.Arbitrary<CashlessResponse> => {
  const money = ctx.expanded ? fc.integer({ min: 0, max: 0xffffffff }) : u16;
  const session =
    ctx.level === 1
      ? fc.record({ type: fc.constant("begin-session" as const), funds: money })
      : ctx.expanded
        ? fc.record({
            type: fc.constant("begin-session" as const),
            funds: money,
            mediaId: fc.integer({ min: 0, max: 0xffffffff }),
            paymentType: fc.nat(255),
            paymentData: u16,
            language: u16,
            currency: u16,
            cardOptions: fc.nat(255),
          })
        : fc.record({
            type: fc.constant("begin-session" as const),
            funds: money,
            mediaId: fc.integer({ min: 0, max: 0xffffffff }),
            paymentType: fc.nat(255),
            paymentData: u16,
          });
  const id =
    ctx.level >= 3
      ? fc.record({
          type: fc.constant("peripheral-id" as const),
          manufacturer: text(3),
          serial: text(12),
          model: text(12),
          version: u16,
          options: fc.integer({ min: 0, max: 0xffffffff }),
        })
      : fc.record({
          type: fc.constant("peripheral-id" as const),
          manufacturer: text(3),
          serial: text(12),
          model: text(12),
          version: u16,
        });
  return fc.oneof(
    fc.constantFrom<CashlessResponse>(
      { type: "just-reset" },
      { type: "session-cancel-request" },
      { type: "vend-denied" },
      { type: "end-session" },
      { type: "cancelled" },
      { type: "revalue-approved" },
      { type: "revalue-denied" },
      { type: "time-date-request" },
    ),
    fc.record({
      type: fc.constant("reader-config" as const),
      level: fc.integer({ min: 1, max: 3 }),
      currency: u16,
      scale: fc.nat(255),
      decimals: fc.nat(255),
      maxResponseTime: fc.nat(255),
      options: fc.nat(255),
    }),
    session,
    fc.record({ type: fc.constantFrom("vend-approved" as const, "revalue-limit" as const), amount: money }),
    id,
    fc.record({ type: fc.constant("malfunction" as const), code: fc.nat(255) }),
    fc.record({ type: fc.constant("data-entry-request" as const), spec: fc.nat(255) }),
    fc.constant<CashlessResponse>({ type: "data-entry-cancel" }),
    ctx.level >= 2
      ? fc.record({ type: fc.constant("out-of-sequence" as const), status: fc.integer({ min: 1, max: 7 }) })
      : fc.constant<CashlessResponse>({ type: "out-of-sequence" }),
  );
};

describe("cashless command codec", () => {
  it("decode(encode(x)) = x for every command, at every level and currency mode", () => {
    fc.assert(
      fc.property(
        ctxArb.chain((ctx) => fc.tuple(fc.constant(ctx), commandArb(ctx), fc.constantFrom(0x10, 0x60))),
        ([ctx, cmd, address]) => {
          const bytes = encodeCommand(cmd, address, ctx);
          if (cmd.type !== "diagnostics") expect(commandLength(Array.from(bytes), ctx)).toBe(bytes.length);
          expect(decodeCommand(bytes, ctx)).toEqual({ ok: true, command: cmd });
        },
      ),
    );
  });

  it("knows the wire form of the spec's commands", () => {
    const l1 = { level: 1, expanded: false } as const;
    expect(Array.from(encodeCommand({ type: "vend-request", price: 0x0123, item: 7 }, 0x10, l1))).toEqual([
      0x13, 0x00, 0x01, 0x23, 0x00, 0x07,
    ]);
    expect(Array.from(encodeCommand({ type: "reader-enable" }, 0x60, l1))).toEqual([0x64, 0x01]);
    expect(Array.from(encodeCommand({ type: "poll" }, 0x10, l1))).toEqual([0x12]);
  });

  it("refuses unknown sub-commands and wrong lengths, naming the command and the byte", () => {
    const l1 = { level: 1, expanded: false } as const;
    expect(decodeCommand([0x13, 0x09], l1)).toMatchObject({ ok: false, code: "UNKNOWN_MESSAGE", offset: 0 });
    expect(decodeCommand([0x16, 0x00], l1)).toMatchObject({ ok: false, code: "UNKNOWN_MESSAGE" });
    // VEND REQUEST with one byte of its 2-byte price: the price is where it fails
    expect(decodeCommand([0x13, 0x00, 0x01], l1)).toMatchObject({
      ok: false,
      code: "WRONG_LENGTH",
      message: "vend-request",
      offset: 2,
    });
    // a byte too many after a whole VEND SUCCESS
    expect(decodeCommand([0x13, 0x02, 0x00, 0x07, 0x55], l1)).toMatchObject({
      code: "WRONG_LENGTH",
      message: "vend-success",
      offset: 4,
    });
    // with 32-bit money the price takes four bytes: the 2-byte form leaves the item short
    const wide = { level: 3, expanded: true } as const;
    expect(decodeCommand([0x13, 0x00, 0x01, 0x23, 0x00, 0x07], wide)).toMatchObject({
      message: "vend-request",
      offset: 6,
    });
    expect(decodeCommand([0x13, 0x00, 0x00, 0x00, 0x01, 0x23, 0x00, 0x07], wide)).toEqual({
      ok: true,
      command: { type: "vend-request", price: 0x123, item: 7 },
    });
  });
});

describe("cashless response codec", () => {
  it("splits any concatenation of responses back into the same responses", () => {
    fc.assert(
      fc.property(
        ctxArb.chain((ctx) => fc.tuple(fc.constant(ctx), fc.array(responseArb(ctx), { maxLength: 4 }))),
        ([ctx, list]) => {
          const bytes: number[] = [];
          for (const r of list) encodeResponse(r, ctx, bytes);
          expect(decodeResponses(bytes, ctx)).toEqual({ ok: true, responses: list });
        },
      ),
    );
  });

  it("has the spec's lengths: begin session 3 / 10 / 17 bytes, peripheral ID 30 / 34", () => {
    const s = { type: "begin-session", funds: 100 } as const;
    expect(encodeResponse(s, { level: 1, expanded: false })).toHaveLength(3);
    expect(encodeResponse(s, { level: 2, expanded: false })).toHaveLength(10);
    expect(encodeResponse(s, { level: 3, expanded: true })).toHaveLength(17);
    const id = { type: "peripheral-id", manufacturer: "VKT", serial: "1", model: "M", version: 1 } as const;
    expect(encodeResponse(id, { level: 2, expanded: false })).toHaveLength(30);
    expect(encodeResponse(id, { level: 3, expanded: false })).toHaveLength(34);
    expect(encodeResponse({ type: "just-reset" }, { level: 1, expanded: false })).toEqual([0x00]);
  });

  it("reports truncated and unknown responses with their offset", () => {
    expect(decodeResponses([0x05, 0x01], { level: 1, expanded: false })).toEqual({
      ok: false,
      code: "TRUNCATED",
      at: 0,
      message: "vend-approved",
    });
    // a BEGIN SESSION at level 2 that stops after its funds: the response named, where it starts
    expect(decodeResponses([0x07, 0x03, 0x00, 0x64], { level: 2, expanded: false })).toEqual({
      ok: false,
      code: "TRUNCATED",
      at: 1,
      message: "begin-session",
    });
    expect(decodeResponses([0x07, 0x42], { level: 1, expanded: false })).toEqual({
      ok: false,
      code: "UNKNOWN_RESPONSE",
      at: 1,
    });
  });
});
