import { earliest } from "@vendkit/machine";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CARD_READER, type CardReaderHandler, CardReaderPeripheral } from "./card-reader.js";
import { VmcSimulator } from "./simulators.js";
import { SlaveModeBus, SlaveModeChanger, type SlaveModeEvent } from "./slave-mode.js";
import { answer, tap } from "./test-support.js";
import { type CreditBlock, creditBlock } from "./wire.js";

/** A key in the reader: its credit, charged at DECREMENT. */
class FakeKey implements CardReaderHandler {
  present = false;
  charged: number[] = [];
  reinstated = 0;
  returned = 0;
  refuseDecrement = false;
  constructor(public credit: number) {}
  cardPresent(): boolean {
    return this.present;
  }
  readCard(): CreditBlock | undefined {
    return this.present ? creditBlock(this.credit, 5, 2) : undefined;
  }
  decrement(amount: number): boolean {
    if (this.refuseDecrement || amount > this.credit) return false;
    this.credit -= amount;
    this.charged.push(amount);
    return true;
  }
  reinstate(): void {
    this.reinstated++;
  }
  returnCard(): void {
    this.returned++;
  }
}

function setup(credit = 500) {
  const key = new FakeKey(credit);
  const reader = new CardReaderPeripheral(key);
  const sent: number[] = [];
  const tapped = tap(reader, (byte) => sent.push(byte));
  const vmc = new VmcSimulator({
    priceSystem: "prices-on-vmc",
    prices: [50, 60, 150, 600],
    baseCoin: 5,
    vendMs: 500,
  });
  const changer = new SlaveModeChanger({ baseCoin: 5, decimals: 2 });
  const bus = new SlaveModeBus(changer, vmc, tapped);
  let t = 0;
  const run = (ms: number, until?: (e: readonly SlaveModeEvent[]) => boolean) => {
    const events = bus.run(t, ms, until);
    t += ms + 1;
    return events;
  };
  return { key, reader, sent, vmc, changer, run };
}

describe("EXECUTIVE SLAVE: the card reader behind a changer (kit 10.1.5; payloads our assumption)", () => {
  it("reads the card, shows its credit on the VMC, vends, then DECREMENTs the price", () => {
    const s = setup(500);
    s.run(300);
    expect(s.vmc.shown).toBeUndefined();
    s.key.present = true;
    expect(s.run(500)).toContainEqual({ kind: "card", credit: 500 });
    expect(s.vmc.shown).toBe(500);
    // READ CARD then eight SEND DATA, all at address 011
    const read = s.sent.indexOf(0x72);
    expect(s.sent.slice(read, read + 9)).toEqual([0x72, ...Array(8).fill(0x73)]);
    s.sent.length = 0;
    s.vmc.press(2);
    const events = s.run(3000);
    expect(events).toContainEqual({ kind: "sale", medium: "card", price: 60, success: true });
    expect(s.key.charged).toEqual([60]);
    // after the vend: ACCEPT DATA with the price (lsn first, at address 011), DATA SYNC, DECREMENT
    const accept = s.sent.indexOf(0x74);
    expect(s.sent.slice(accept, accept + 11)).toEqual([
      0x74, 0x6c, 0x60, 0x60, 0x60, 0x65, 0x60, 0x64, 0x60, 0x78, 0x75,
    ]);
    expect(s.sent.indexOf(0x74)).toBeGreaterThan(-1);
    expect(s.changer.card).toBe(440);
    expect(s.vmc.shown).toBe(440);
    expect(s.vmc.delivered).toEqual([2]);
  });

  it("REINSTATEs when the vend fails: the card keeps its credit", () => {
    const s = setup(500);
    s.key.present = true;
    s.run(500);
    s.vmc.failVends = true;
    s.vmc.press(3);
    const events = s.run(3000);
    expect(events).toContainEqual({ kind: "sale", medium: "card", price: 150, success: false });
    expect(s.sent).toContain(0x76);
    expect(s.key.reinstated).toBe(1);
    expect(s.key.charged).toEqual([]);
    expect(s.changer.card).toBe(500);
  });

  it("sends RETURN CARD when the card is gone, then sells from the changer's coins", () => {
    const s = setup(500);
    s.key.present = true;
    s.run(500);
    s.key.present = false;
    expect(s.run(500)).toContainEqual({ kind: "card", credit: undefined });
    expect(s.sent).toContain(0x77);
    expect(s.key.returned).toBe(1);
    s.changer.insert(100);
    s.run(300);
    expect(s.vmc.shown).toBe(100);
    s.vmc.press(1);
    expect(s.run(3000)).toContainEqual({ kind: "sale", medium: "cash", price: 50, success: true });
    expect(s.changer.cash).toBe(50);
    expect(s.key.charged).toEqual([]);
  });

  it("denies what neither the card nor the cash covers, and reports a DECREMENT the reader refused", () => {
    const s = setup(100);
    s.key.present = true;
    s.run(500);
    s.vmc.press(4); // 6.00
    const denied = s.run(1500);
    expect(denied.some((e) => e.kind === "sale")).toBe(false);
    expect(s.vmc.delivered).toEqual([]);
    s.key.refuseDecrement = true;
    s.vmc.press(1);
    expect(s.run(3000)).toContainEqual({ kind: "decrement-refused", price: 50 });
  });

  it("with both lines silent, each tick at the changer's deadline moves it on", () => {
    // found by fuzzing (packages/fuzz, executive-slave-mode): while a card command waited for its
    // answer the VMC's postponed poll time was the deadline, asked for again on every tick
    const changer = new SlaveModeChanger({ baseCoin: 5, decimals: 2 });
    const tick = (now: number) =>
      earliest(changer.vmcPort.tick(now).deadline, changer.cardPort.tick(now).deadline);
    let now = 0;
    let deadline = tick(now);
    let sameInstant = 0;
    for (let i = 0; i < 100 && deadline !== undefined; i++) {
      const due: number = deadline;
      sameInstant = due <= now ? sameInstant + 1 : 0;
      expect(sameInstant).toBeLessThan(3); // a timer that ran out meanwhile is served next tick
      now = Math.max(now, due);
      deadline = tick(now);
      expect(deadline).not.toBe(due); // a deadline never repeats (docs/machines.md rule 3)
    }
    expect(now).toBeGreaterThan(3000);
  });

  it("the reader's own audit pairs are read by the changer", () => {
    const s = setup(500);
    s.reader.queueAudit({ address: 7, value: 42 });
    const events = s.run(500);
    expect(events).toContainEqual({ kind: "card-audit-pair", address: 7, value: 42 });
  });
});

describe("CardReaderPeripheral on its own", () => {
  it("answers PNAK with a typed error to what it cannot place, and NAK with the last answer", () => {
    const reader = new CardReaderPeripheral(new FakeKey(100));
    expect(answer(reader, 0x73, 0)).toMatchObject({
      send: [0xff],
      events: [{ error: { code: "UNEXPECTED_BYTE" } }],
    });
    expect(answer(reader, 0x75, 0)).toMatchObject({
      send: [0xff],
      events: [{ error: { code: "UNEXPECTED_BYTE" } }],
    });
    expect(answer(reader, 0x7c, 0)).toMatchObject({ send: [0xff], events: [{ kind: "error" }] });
    expect(answer(reader, 0x71, 0).send).toEqual([0x00]); // no card in
    expect(answer(reader, 0x72, 0).send).toEqual([CARD_READER.refused]);
    expect(answer(reader, 0x7f, 0).send).toEqual([CARD_READER.refused]);
    // a data block whose decimal-point mask is wrong
    for (const b of [0x74, 0x61, 0x60, 0x60, 0x60, 0x61, 0x60, 0x63, 0x60]) answer(reader, b, 0);
    expect(answer(reader, 0x78, 0)).toMatchObject({
      send: [0xff],
      events: [{ error: { code: "BAD_BLOCK" } }],
    });
  });

  it("never throws on arbitrary bytes and answers every one (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 200 }),
        fc.boolean(),
        (bytes, present) => {
          const key = new FakeKey(1000);
          key.present = present;
          const reader = new CardReaderPeripheral(key);
          for (const [i, b] of bytes.entries()) expect(answer(reader, b, i).send).toHaveLength(1);
          expect(key.credit).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });

  it("over random sales, a card is charged exactly the prices of the card vends that succeeded (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ selection: fc.integer({ min: 1, max: 4 }), fail: fc.boolean(), remove: fc.boolean() }),
          {
            maxLength: 8,
          },
        ),
        (plan) => {
          const s = setup(400);
          s.key.present = true;
          s.run(400);
          let expected = 0;
          for (const step of plan) {
            s.vmc.failVends = step.fail;
            s.vmc.press(step.selection);
            const events = s.run(2500);
            for (const e of events)
              if (e.kind === "sale" && e.medium === "card" && e.success) expected += e.price;
            if (step.remove) {
              s.key.present = false;
              s.run(400);
              s.key.present = true;
              s.run(400);
            }
          }
          expect(s.key.charged.reduce((a, b) => a + b, 0)).toBe(expected);
          expect(s.key.credit).toBe(400 - expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});
