import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ACK,
  CommandDecoder,
  checksum,
  encodeMasterBlock,
  encodePeripheralResponse,
  type MasterFrame,
  MODE,
  NAK,
  RET,
  ReplyDecoder,
} from "./link.js";

const hex = (s: string) => s.split(" ").map((x) => Number.parseInt(x, 16));

describe("checksum (MDB/ICP 4.3 §2.2 vectors)", () => {
  it("sums the changer SETUP response to 2C and the multi-message example to 1B", () => {
    expect(checksum(hex("02 00 01 05 02 00 07 01 02 05 14 FF"))).toBe(0x2c);
    expect(checksum(hex("06 0A 07 04"))).toBe(0x1b);
  });
});

describe("framing", () => {
  it("puts the mode bit on the master's address byte and on the peripheral's last byte", () => {
    expect(Array.from(encodeMasterBlock([0x12]))).toEqual([0x112, 0x12]);
    expect(Array.from(encodePeripheralResponse([0x00]))).toEqual([0x00, 0x100]);
    expect(Array.from(encodePeripheralResponse([]))).toEqual([ACK | MODE]);
  });

  it("every peripheral response carries a correct CHK and exactly one mode bit, last", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 35 }), (data) => {
        const words = encodePeripheralResponse(data);
        const modes = Array.from(words, (w) => (w & MODE) !== 0);
        expect(modes.lastIndexOf(true)).toBe(words.length - 1);
        expect(modes.filter(Boolean)).toHaveLength(1);
        expect((words[words.length - 1] as number) & 0xff).toBe(checksum(data));
        const d = new ReplyDecoder();
        const replies = Array.from(words).flatMap((w, i) => d.feed(w, i * 0.5));
        expect(replies).toEqual([{ kind: "data", bytes: data }]);
      }),
    );
  });
});

describe("ReplyDecoder", () => {
  it("reads ACK, NAK and data, and names what is wrong", () => {
    const d = new ReplyDecoder();
    expect(d.feed(ACK | MODE, 0)).toEqual([{ kind: "ack" }]);
    expect(d.feed(NAK | MODE, 1)).toEqual([{ kind: "nak" }]);
    expect(d.feed(0x55 | MODE, 2)).toMatchObject([{ kind: "error", code: "TRUNCATED" }]);
    d.feed(0x01, 3);
    expect(d.feed(0x05 | MODE, 3.5)).toMatchObject([{ kind: "error", code: "BAD_CHECKSUM" }]);
    d.feed(0x01, 10);
    expect(d.feed(0x01 | MODE, 20)).toMatchObject([
      { kind: "error", code: "TIMEOUT" },
      { kind: "error", code: "TRUNCATED" },
    ]);
    d.feed(0x01, 30);
    expect(d.expire(40)).toMatchObject([{ kind: "error", code: "TRUNCATED" }]);
    expect(d.feed(1000, 41)).toMatchObject([{ kind: "error", code: "NOT_A_WORD" }]);
    for (let i = 0; i < 35; i++) d.feed(0x01, 50 + i * 0.1);
    expect(d.feed(0x01, 54)).toMatchObject([{ kind: "error", code: "TOO_LONG" }]);
  });

  it("never throws on arbitrary words", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -5, max: 600 }), fc.integer({ min: 0, max: 3 }))),
        (input) => {
          const d = new ReplyDecoder();
          let now = 0;
          for (const [w, dt] of input) {
            now += dt;
            for (const r of [...d.feed(w, now), ...d.expire(now)])
              expect(["ack", "nak", "data", "error"]).toContain(r.kind);
          }
        },
      ),
    );
  });
});

describe("CommandDecoder", () => {
  const lengthOf = (bytes: readonly number[]) =>
    ((bytes[0] as number) & 7) === 2 ? 1 : bytes.length >= 2 ? 2 : undefined;
  const make = () => new CommandDecoder((b) => (b & 0xf8) === 0x10, lengthOf);
  const run = (d: CommandDecoder, words: number[], dt = 0.5): MasterFrame[] =>
    words.flatMap((w, i) => d.feed(w, i * dt));

  it("cuts blocks by their known length and checks the CHK", () => {
    expect(run(make(), [0x112, 0x12])).toEqual([{ kind: "block", bytes: Uint8Array.of(0x12) }]);
    expect(run(make(), [0x114, 0x01, 0x15])).toEqual([{ kind: "block", bytes: Uint8Array.of(0x14, 0x01) }]);
    expect(run(make(), [0x112, 0x13])).toMatchObject([{ kind: "error", code: "BAD_CHECKSUM" }]);
  });

  it("ignores blocks for other addresses and reads the VMC's ACK/RET/NAK after a reply", () => {
    const d = make();
    expect(run(d, [0x10b, 0x0b])).toEqual([]);
    d.replied();
    expect(d.feed(RET, 10)).toEqual([{ kind: "ret" }]);
    d.replied();
    expect(d.feed(ACK, 11)).toEqual([{ kind: "ack" }]);
    expect(d.feed(0x42, 12)).toEqual([]);
  });

  it("ends a block of unknown length after the inter-byte time", () => {
    const d = new CommandDecoder(
      () => true,
      () => undefined,
    );
    d.feed(0x117, 0);
    d.feed(0xff, 0.5);
    d.feed(0x16, 1.0);
    expect(d.expire(3)).toEqual([{ kind: "block", bytes: Uint8Array.of(0x17, 0xff) }]);
  });

  it("reports a block cut short by a new address byte", () => {
    const d = make();
    d.feed(0x114, 0);
    expect(d.feed(0x112, 0.5)).toMatchObject([{ kind: "error", code: "TRUNCATED" }]);
  });

  it("never throws on arbitrary words", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -5, max: 600 }), fc.integer({ min: 0, max: 3 }))),
        (input) => {
          const d = make();
          let now = 0;
          for (const [w, dt] of input) {
            now += dt;
            if (now % 2 === 0) d.replied();
            for (const f of d.feed(w, now)) expect(["block", "ack", "ret", "nak", "error"]).toContain(f.kind);
          }
        },
      ),
    );
  });
});
