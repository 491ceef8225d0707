import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CardSize, firstBlock, SimulatedCard, TRANSPORT_KEY } from "./card.js";
import { PurseError } from "./errors.js";
import type { Holder, KeyFunction } from "./identity.js";
import { payloadCapacity, payloadSectors } from "./payload.js";
import { PurseSystem } from "./purse.js";
import { EMPTY_STATE } from "./record.js";

const MASTER = Uint8Array.from(Buffer.from("5b0e7a13c49d22f081a6e3b7d90c4f15", "hex"));
const SYSTEM = new PurseSystem({ masterKey: MASTER, operatorCode: 4242, format: 1 });
const holder = (keyFunction: KeyFunction): Holder => ({
  keyNumber: 9,
  customerCode: 1,
  departmentCode: 1,
  priceLevel: 0,
  keyFunction,
  rechargeValue: 0,
});

async function special(size: CardSize, fn: KeyFunction = "setup", uid = Uint8Array.of(7, 7, 7, 7)) {
  const card = new SimulatedCard(uid, size);
  const view = await SYSTEM.format(card, holder(fn), EMPTY_STATE);
  return { card, view };
}

const code = async (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: unknown) => (e instanceof PurseError ? e.code : Promise.reject(e)),
  );

describe("special keys' data (setup, black-list and data keys)", () => {
  it("hold 320 bytes on a 1K card and 3008 on a 4K card, read back as written", async () => {
    expect([payloadCapacity("1K"), payloadCapacity("4K")]).toEqual([320, 3008]);
    for (const size of ["1K", "4K"] as const) {
      const { card, view } = await special(size, "data");
      for (const length of [0, 1, 17, payloadCapacity(size)]) {
        const data = Uint8Array.from({ length }, (_, i) => (i * 7 + length) & 0xff);
        await SYSTEM.writePayload(card, view, data);
        expect(await SYSTEM.readPayload(card, view)).toEqual(data);
      }
      const writes = card.writes;
      const big = new Uint8Array(payloadCapacity(size) + 1);
      expect(await code(SYSTEM.writePayload(card, view, big))).toBe("PAYLOAD_TOO_LARGE");
      expect(card.writes).toBe(writes);
    }
  });

  it("are keyed at formatting only on special keys; a sale key has no data area", async () => {
    const { card } = await special("1K", "black-list");
    await expect(
      card.authenticate(firstBlock(payloadSectors("1K")[0] as number), "A", TRANSPORT_KEY),
    ).rejects.toThrow();
    const sale = new SimulatedCard(Uint8Array.of(1, 2, 3, 4));
    const view = await SYSTEM.format(sale, holder("sale"), EMPTY_STATE);
    await sale.authenticate(firstBlock(9), "A", TRANSPORT_KEY); // untouched
    expect(await code(SYSTEM.writePayload(sale, view, new Uint8Array(4)))).toBe("NO_PAYLOAD_AREA");
    expect(await code(SYSTEM.readPayload(sale, view))).toBe("NO_PAYLOAD_AREA");
  });

  it("refuse an empty key, data copied from another key, and data changed on the card", async () => {
    const { card, view } = await special("1K");
    expect(await code(SYSTEM.readPayload(card, view))).toBe("CORRUPT_PAYLOAD");
    await SYSTEM.writePayload(card, view, Uint8Array.of(1, 2, 3));
    const other = await special("1K", "setup", Uint8Array.of(8, 8, 8, 8));
    for (const b of [0, 1]) other.card.poke(firstBlock(9) + b, card.peek(firstBlock(9) + b));
    expect(await code(SYSTEM.readPayload(other.card, other.view))).toBe("FORGED_PAYLOAD");
    const changed = card.peek(firstBlock(9) + 1);
    changed[0] = 9;
    card.poke(firstBlock(9) + 1, changed);
    expect(await code(SYSTEM.readPayload(card, view))).toBe("CORRUPT_PAYLOAD");
  });

  it("a key pulled out while its data is written never reads as other data", async () => {
    const { card: template, view } = await special("4K", "data");
    const old = Uint8Array.from({ length: 700 }, (_, i) => i & 0xff);
    await SYSTEM.writePayload(template, view, old);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 60 }),
        fc.constantFrom("after" as const, "during" as const),
        fc.integer({ min: 1, max: 2000 }),
        async (atWrite, mode, length) => {
          const card = template.clone();
          const data = Uint8Array.from({ length }, (_, i) => (i * 13 + 5) & 0xff);
          card.armTear({ atWrite, mode, keep: 9 });
          const written = await code(SYSTEM.writePayload(card, view, data));
          card.disarmTear();
          card.insert();
          const read = await SYSTEM.readPayload(card, view).catch((e: unknown) => {
            if (e instanceof PurseError && e.code === "CORRUPT_PAYLOAD") return "refused";
            throw e;
          });
          if (written === "ok") expect(read).toEqual(data);
          else {
            expect(written).toBe("PAYLOAD_WRITE_FAILED");
            if (read !== "refused") expect(read).toEqual(data); // only the read-back was cut
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
