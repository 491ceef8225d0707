import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AccessBits, access, encodeAccessBytes, type SectorAccess } from "./access-bits.js";
import { firstBlock, SimulatedCard, sectorOf, TRANSPORT_KEY, trailerBlock } from "./card.js";
import { CardError } from "./errors.js";
import { decodeValueBlock, encodeValueBlock } from "./value-block.js";

const UID = Uint8Array.of(0xde, 0xad, 0xbe, 0xef);
const KEY_A = Uint8Array.of(1, 2, 3, 4, 5, 6);
const KEY_B = Uint8Array.of(9, 8, 7, 6, 5, 4);
const block16 = (n: number) => new Uint8Array(16).fill(n);

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (e) {
    if (e instanceof CardError) return e.code;
    throw e;
  }
}

/** Puts a sector under keys A/B and the given access bits, bypassing the card's own checks. */
function configure(card: SimulatedCard, sector: number, bits: SectorAccess): void {
  const t = new Uint8Array(16);
  t.set(KEY_A, 0);
  t.set(encodeAccessBytes(bits), 6);
  t[9] = 0x69;
  t.set(KEY_B, 10);
  card.poke(trailerBlock(sector), t);
}

describe("SimulatedCard geometry", () => {
  it("lays out 1K and 4K sectors", () => {
    expect(trailerBlock(0)).toBe(3);
    expect(trailerBlock(15)).toBe(63);
    expect(firstBlock(32)).toBe(128);
    expect(trailerBlock(39)).toBe(255);
    expect(sectorOf(130)).toBe(32);
    expect(sectorOf(255)).toBe(39);
    expect(new SimulatedCard(UID, "4K").peek(255).subarray(6, 9)).toEqual(Uint8Array.of(0xff, 0x07, 0x80));
  });

  it("ships with transport keys and the UID in block 0", async () => {
    const card = new SimulatedCard(UID);
    expect(await card.uid()).toEqual(UID);
    await card.authenticate(0, "A", TRANSPORT_KEY);
    const b0 = await card.readBlock(0);
    expect(b0.subarray(0, 5)).toEqual(Uint8Array.of(0xde, 0xad, 0xbe, 0xef, 0xde ^ 0xad ^ 0xbe ^ 0xef));
    expect(await code(card.writeBlock(0, block16(1)))).toBe("ACCESS_DENIED");
  });
});

describe("SimulatedCard keys and access", () => {
  it("authenticates one sector at a time with the right key", async () => {
    const card = new SimulatedCard(UID);
    configure(card, 2, [access("100"), access("100"), access("100"), access("011")]);
    expect(await code(card.authenticate(8, "A", TRANSPORT_KEY))).toBe("AUTH_FAILED");
    expect(await code(card.readBlock(8))).toBe("NOT_AUTHENTICATED");
    await card.authenticate(8, "A", KEY_A);
    expect(await code(card.readBlock(8))).toBe("ok");
    expect(await code(card.readBlock(12))).toBe("NOT_AUTHENTICATED");
    expect(await code(card.writeBlock(8, block16(7)))).toBe("ACCESS_DENIED");
    await card.authenticate(9, "B", KEY_B);
    await card.writeBlock(8, block16(7));
    expect(card.peek(8)).toEqual(block16(7));
  });

  it("hides key A always, and key B unless the trailer makes it readable", async () => {
    const card = new SimulatedCard(UID);
    configure(card, 1, [access("000"), access("000"), access("000"), access("001")]);
    await card.authenticate(4, "A", KEY_A);
    const t = await card.readBlock(7);
    expect(t.subarray(0, 6)).toEqual(new Uint8Array(6));
    expect(t.subarray(10, 16)).toEqual(KEY_B);
    // a readable key B is data, not a key
    expect(await code(card.authenticate(4, "B", KEY_B))).toBe("AUTH_FAILED");
    configure(card, 1, [access("000"), access("000"), access("000"), access("011")]);
    await card.authenticate(4, "B", KEY_B);
    expect((await card.readBlock(7)).subarray(10, 16)).toEqual(new Uint8Array(6));
  });

  it("refuses trailer writes that would lock the sector or change a part the bits protect", async () => {
    const card = new SimulatedCard(UID);
    configure(card, 1, [access("100"), access("100"), access("100"), access("011")]);
    await card.authenticate(4, "A", KEY_A);
    const t = card.peek(7);
    t.set(Uint8Array.of(1, 1, 1, 1, 1, 1), 0);
    expect(await code(card.writeBlock(7, t))).toBe("ACCESS_DENIED");
    await card.authenticate(4, "B", KEY_B);
    const bad = card.peek(7);
    bad[6] = 0x00;
    expect(await code(card.writeBlock(7, bad))).toBe("LOCKED");
    await card.writeBlock(7, t);
    expect(card.peek(7).subarray(0, 6)).toEqual(Uint8Array.of(1, 1, 1, 1, 1, 1));
  });

  it("never lets a data write through that data sheet Table 8 forbids", async () => {
    const writable: Record<string, string> = { "000": "AB", "100": "B", "110": "B", "011": "B" };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("000", "010", "100", "110", "001", "011", "101", "111"),
        fc.constantFrom("001", "011", "100", "101", "111"),
        fc.constantFrom("A" as const, "B" as const),
        fc.nat(2),
        async (dataBits, trailerBits, key, group) => {
          const card = new SimulatedCard(UID);
          const groups: AccessBits[] = [access("000"), access("000"), access("000")];
          groups[group] = access(dataBits);
          configure(card, 3, [...groups, access(trailerBits)] as unknown as SectorAccess);
          const auth = await code(card.authenticate(12, key, key === "A" ? KEY_A : KEY_B));
          const result = auth === "ok" ? await code(card.writeBlock(12 + group, block16(5))) : auth;
          const expected = (writable[dataBits] ?? "").includes(key);
          expect(result === "ok").toBe(expected && auth === "ok");
          expect(card.peek(12 + group).every((b) => b === 5)).toBe(result === "ok");
        },
      ),
    );
  });
});

describe("SimulatedCard value operations", () => {
  it("increments, decrements, restores into the buffer and transfers, as the bits allow", async () => {
    const card = new SimulatedCard(UID);
    configure(card, 4, [access("110"), access("110"), access("000"), access("011")]);
    card.poke(16, encodeValueBlock(100, 16));
    await card.authenticate(16, "A", KEY_A);
    expect(await code(card.increment(16, 5))).toBe("ACCESS_DENIED");
    await card.decrement(16, 30);
    await card.transfer(16);
    expect(decodeValueBlock(card.peek(16))).toEqual({ ok: true, value: 70, address: 16 });
    await card.authenticate(16, "B", KEY_B);
    await card.increment(16, 50);
    await card.transfer(17);
    expect(decodeValueBlock(card.peek(17))).toMatchObject({ value: 120 });
    await card.restore(16);
    await card.transfer(18);
    expect(decodeValueBlock(card.peek(18))).toMatchObject({ value: 70 });
    expect(await code(card.increment(18, 2 ** 31))).toBe("OVERFLOW");
    card.poke(17, block16(3));
    expect(await code(card.decrement(17, 1))).toBe("NOT_VALUE_BLOCK");
  });

  it("loses the transfer buffer when the card leaves the field", async () => {
    const card = new SimulatedCard(UID);
    card.poke(4, encodeValueBlock(10, 4));
    await card.authenticate(4, "A", TRANSPORT_KEY);
    await card.increment(4, 1);
    card.remove();
    card.insert();
    await card.authenticate(4, "A", TRANSPORT_KEY);
    expect(await code(card.transfer(5))).toBe("NOT_VALUE_BLOCK");
  });
});

describe("SimulatedCard tearing", () => {
  it("cuts the write sequence after the chosen write", async () => {
    const card = new SimulatedCard(UID);
    await card.authenticate(4, "A", TRANSPORT_KEY);
    card.armTear({ atWrite: 2, mode: "after" });
    await card.writeBlock(4, block16(1));
    await card.writeBlock(5, block16(2));
    expect(card.isPresent).toBe(false);
    expect(await code(card.writeBlock(6, block16(3)))).toBe("NOT_PRESENT");
    expect(card.peek(5)).toEqual(block16(2));
    expect(card.peek(6)).toEqual(block16(0));
  });

  it("can tear inside a write, leaving the block half written", async () => {
    const card = new SimulatedCard(UID);
    await card.authenticate(4, "A", TRANSPORT_KEY);
    card.armTear({ atWrite: 1, mode: "during", keep: 5 });
    await card.writeBlock(4, block16(9));
    expect(Array.from(card.peek(4))).toEqual([9, 9, 9, 9, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    card.insert();
    expect(await code(card.readBlock(4))).toBe("NOT_AUTHENTICATED");
  });
});
