import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ADDRESSES,
  CommandSet,
  commandByte,
  creditBlock,
  creditFromNibbles,
  creditNibbles,
  dataByte,
  decodeBlock,
  EXECUTIVE,
  ExecutiveError,
  encodeBlock,
  executiveConstants,
  isDataByte,
  priceCode,
  readByte,
  VMC_COMMANDS,
  type VmcCommand,
} from "./wire.js";

describe("Executive wire codec", () => {
  it("frames nibbles as data bytes between 0x38 and 0x39, and back (fast-check)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 15 }), { maxLength: 40 }), (nibbles) => {
        const bytes = encodeBlock(nibbles);
        expect(bytes[0]).toBe(0x38);
        expect(bytes.at(-1)).toBe(0x39);
        for (const b of bytes.subarray(1, -1)) expect(b & 0xf0).toBe(0x20);
        expect(decodeBlock(bytes)).toEqual(nibbles);
      }),
    );
  });

  it("round-trips every credit block, 8 nibbles least significant first with a decimal-point mask (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.record({
          count: fc.integer({ min: 0, max: 0xffff }),
          baseUnit: fc.integer({ min: 0, max: 0xff }),
          decimals: fc.integer({ min: 0, max: 3 }),
          exactOnly: fc.boolean(),
        }),
        (b) => {
          const n = creditNibbles(b);
          expect(n).toHaveLength(8);
          expect(creditFromNibbles(n)).toEqual(b);
        },
      ),
    );
    // count lsn first, scaling factor lsn first, mask 0100 for two places, flags (F24)
    expect(creditNibbles({ count: 0x1234, baseUnit: 0x5a, decimals: 2, exactOnly: true })).toEqual([
      4, 3, 2, 1, 0xa, 5, 4, 1,
    ]);
    expect(() => creditNibbles({ count: 1, baseUnit: 1, decimals: 4, exactOnly: false })).toThrow(
      expect.objectContaining({ code: "OUT_OF_RANGE" }),
    );
  });

  it("refuses what it cannot encode or decode with typed errors and offsets", () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof ExecutiveError ? [e.code, e.offset] : "untyped";
      }
      return "ok";
    };
    expect(code(() => decodeBlock(Uint8Array.of(0x38, 0x21, 0x45, 0x39)))).toEqual(["NOT_A_DATA_BYTE", 2]);
    expect(code(() => creditFromNibbles([0, 0, 0, 0, 1, 0, 3, 0]))).toEqual(["BAD_BLOCK", 6]);
    expect(code(() => decodeBlock(Uint8Array.of(0x21, 0x39)))).toEqual(["BAD_BLOCK", 0]);
    expect(code(() => encodeBlock([16]))).toEqual(["OUT_OF_RANGE", 0]);
    expect(code(() => creditNibbles({ count: 70_000, baseUnit: 1, decimals: 2, exactOnly: false }))).toEqual([
      "OUT_OF_RANGE",
      undefined,
    ]);
    expect(code(() => creditBlock(125, 10, 2))).toEqual(["OUT_OF_RANGE", undefined]);
    expect(creditBlock(150, 5, 2)).toEqual({ count: 30, baseUnit: 5, decimals: 2, exactOnly: false });
  });

  it("never crashes on arbitrary bytes: a block decodes or throws ExecutiveError (fast-check)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20 }), (bytes) => {
        try {
          decodeBlock(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(ExecutiveError);
        }
      }),
    );
  });

  it("builds every byte from the grammar: address in bits 7-5, bit 4 command, low nibble code or data (F18)", () => {
    expect(Object.values(VMC_COMMANDS)).toEqual([0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3f]);
    expect(commandByte(ADDRESSES.cardReader, 1)).toBe(0x71);
    expect(commandByte(ADDRESSES.audit, 2)).toBe(0x52);
    expect(dataByte(9, ADDRESSES.audit)).toBe(0x49);
    expect(readByte(0x7d)).toEqual({ address: 0b011, command: true, low: 0xd });
    expect(readByte(0x2a)).toEqual({ address: 0b001, command: false, low: 0xa });
    expect(isDataByte(0x6a, ADDRESSES.cardReader)).toBe(true);
    expect(isDataByte(0x2a, ADDRESSES.cardReader)).toBe(false);
  });

  it("turns a price into a CREDIT byte in base steps, refusing one above the highest price code", () => {
    expect(priceCode(240, 1)).toBe(240);
    expect(priceCode(250, 5)).toBe(50);
    expect(() => priceCode(250, 1)).toThrow(
      expect.objectContaining({
        code: "PRICE_TOO_HIGH",
        message: expect.stringContaining("base step of at least 2"),
      }),
    );
    expect(() => priceCode(255, 5)).not.toThrow();
    expect(() => priceCode(253, 5)).toThrow(expect.objectContaining({ code: "OUT_OF_RANGE" }));
    expect(priceCode(250, 1, executiveConstants({ maxPriceCode: 0xfd }))).toBe(250);
  });

  it("lets a caller override any unverified constant without restating the rest", () => {
    const c = executiveConstants({ commands: { audit: 0x3a }, baudRate: 4800 });
    expect(c.commands).toEqual({ ...EXECUTIVE.commands, audit: 0x3a });
    expect(c.baudRate).toBe(4800);
    expect(c.replies).toEqual(EXECUTIVE.replies);
  });
});

describe("the command sets, each command declared once", () => {
  it("gives the byte of each VMC command and the command of each byte, both ways", () => {
    const set = new CommandSet("VMC", VMC_COMMANDS);
    for (const [name, byte] of Object.entries(VMC_COMMANDS)) {
      expect(set.byteOf(name as VmcCommand)).toBe(byte);
      expect(set.nameOf(byte)).toBe(name);
    }
    expect(set.byteOf("status")).toBe(0x31);
    expect(set.nameOf(0x2a)).toBeUndefined(); // a data nibble, no command
    expect(set.table.decode([0x2a], undefined)).toMatchObject({
      ok: false,
      code: "UNKNOWN_MESSAGE",
      offset: 0,
    });
  });

  it("refuses constants that give two commands one byte", () => {
    expect(() => new CommandSet("VMC", { ...VMC_COMMANDS, audit: VMC_COMMANDS.status })).toThrowError(
      /both 31/,
    );
  });
});
