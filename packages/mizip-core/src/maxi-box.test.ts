import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatTransaction, MaxiBox, type MaxiBoxEntry, MaxiBoxFull } from "./maxi-box.js";
import { MemoryStorage, PowerCut } from "./storage.js";

const at = (month: number, day: number, h: number, m: number, s: number) =>
  Date.UTC(2026, month - 1, day, h, m, s);
const sale = (
  keyNumber: number | undefined,
  amount: number,
  extra: Partial<MaxiBoxEntry> = {},
): MaxiBoxEntry =>
  ({
    kind: "sale",
    at: at(5, 12, 13, 30, 45),
    keyNumber,
    sale: "no-discount",
    selection: 2,
    amount,
    ...extra,
  }) as MaxiBoxEntry;
const recharge = (keyNumber: number, amount: number): MaxiBoxEntry => ({
  kind: "recharge",
  at: at(1, 18, 11, 31, 15),
  keyNumber,
  source: "coins",
  amount,
});

describe("Maxi Box (manual 4.15)", () => {
  it("records nothing when OFF", () => {
    const storage = new MemoryStorage();
    const box = new MaxiBox(storage, 3);
    box.record(sale(1, 50), "off");
    expect(box.entries()).toEqual([]);
    expect(storage.commits).toBe(0);
  });

  it("stops when ON and full until a confirmed collection, which erases nothing", () => {
    const box = new MaxiBox(new MemoryStorage(), 3);
    for (const amount of [10, 20, 30]) box.record(sale(1, amount), "on");
    expect(box.isFull("on")).toBe(true);
    expect(() => box.record(sale(1, 40), "on")).toThrow(MaxiBoxFull);
    expect(box.pending().map((e) => e.kind !== "error" && e.amount)).toEqual([10, 20, 30]);
    box.confirmCollection(2);
    expect(box.isFull("on")).toBe(false);
    box.record(sale(1, 40), "on");
    expect(box.pending().map((e) => e.kind !== "error" && e.amount)).toEqual([30, 40]);
    expect(box.entries().map((e) => e.kind !== "error" && e.amount)).toEqual([20, 30, 40]);
    expect(box.keyTransactions(1).sales.total).toBe(3);
  });

  it("replaces the oldest when ON OVERWRITE", () => {
    const box = new MaxiBox(new MemoryStorage(), 3);
    for (const amount of [10, 20, 30, 40, 50]) box.record(sale(1, amount), "overwrite");
    expect(box.isFull("overwrite")).toBe(false);
    expect(box.entries().map((e) => e.kind !== "error" && e.amount)).toEqual([30, 40, 50]);
    expect(box.uncollected).toBe(3);
  });

  it("keeps its entries and counters across a power cut during a write", () => {
    const storage = new MemoryStorage();
    const box = new MaxiBox(storage, 4000);
    box.record(sale(7, 50), "on");
    storage.cutPowerOnNextCommit();
    expect(() => box.record(sale(7, 60), "on")).toThrow(PowerCut);
    expect(new MaxiBox(storage).entries()).toEqual([sale(7, 50)]);
  });

  it("answers the per-key query with counts by kind and the programmer's lines (4.15.1)", () => {
    const box = new MaxiBox(new MemoryStorage());
    box.record(recharge(502, 200), "on");
    box.record(sale(502, 50), "on");
    box.record(sale(502, 45, { sale: "happy-hour-1", error: 12, at: at(3, 19, 17, 45, 0) }), "on");
    box.record(sale(9, 60), "on");
    box.record(sale(undefined, 60), "on");
    box.record({ kind: "error", at: at(3, 19, 17, 46, 10), keyNumber: 502, error: 9 }, "on");
    const q = box.keyTransactions(502);
    expect(q.recharges).toMatchObject({ total: 1, bySource: { coins: 1, bills: 0 } });
    expect(q.sales).toMatchObject({ total: 2, byKind: { "no-discount": 1, "happy-hour-1": 1 } });
    expect(q.entries.map((e) => formatTransaction(e, 2, 1, "UTC"))).toEqual([
      "18.01 11:31:15 RIC MONETE 2,00 OK",
      "12.05 13:30:45 SEL. 002 0,50 OK",
      "19.03 17:45:00 SEL. 002 0,45 E12",
    ]);
    expect(formatTransaction({ kind: "error", at: at(3, 19, 17, 46, 10), error: 9 }, 2, 1, "UTC")).toBe(
      "19.03 17:46:10 E9",
    );
    expect(formatTransaction(sale(1, 5), 2, 2, "UTC")).toBe("12.05 13:30:45 SEL. 002 0.05 OK");
    // a recharge says where the credit came from, as the programmer's menu names it (9.6)
    expect(
      formatTransaction({ ...recharge(1, 500), source: "programmer" } as MaxiBoxEntry, 2, 1, "UTC"),
    ).toBe("18.01 11:31:15 RIC PROGRAMMATORE 5,00 OK");
    expect(formatTransaction(sale(1, 5), 0, 1, "UTC")).toBe("12.05 13:30:45 SEL. 002 5 OK");
    expect(formatTransaction(sale(1, 5), 2, 0, "UTC")).toBe("12.05 13:30:45 SEL. 002 005 OK"); // SEPARATORE OFF
    // in the reader's time zone (8.1): Rome is on summer time in May
    expect(formatTransaction(sale(1, 5), 2, 2, "Europe/Rome")).toBe("12.05 15:30:45 SEL. 002 0.05 OK");
  });

  it("refuses a malformed entry and skips a damaged record instead of crashing", () => {
    const storage = new MemoryStorage();
    const box = new MaxiBox(storage, 4);
    expect(() => box.record(sale(1, -5), "on")).toThrow(TypeError);
    expect(() => box.record({ kind: "error", at: 0, error: 4 as 9 }, "on")).toThrow(TypeError);
    box.record(sale(1, 10), "on");
    box.record(sale(1, 20), "on");
    storage.commit(new Map([["maxibox/e/00000", new Uint8Array([0xff, 0x00, 0x7b])]]));
    expect(box.entries()).toEqual([sale(1, 20)]);
  });

  it("never holds more than its capacity and keeps the newest, whatever the mode", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.nat(1000), { maxLength: 30 }),
        (capacity, amounts) => {
          const box = new MaxiBox(new MemoryStorage(), capacity);
          for (const a of amounts) box.record(sale(1, a), "overwrite");
          expect(box.entries().map((e) => e.kind !== "error" && e.amount)).toEqual(amounts.slice(-capacity));
          const on = new MaxiBox(new MemoryStorage(), capacity);
          let kept = 0;
          for (const a of amounts) {
            try {
              on.record(sale(1, a), "on");
              kept++;
            } catch (e) {
              expect(e).toBeInstanceOf(MaxiBoxFull);
            }
          }
          expect(kept).toBe(Math.min(capacity, amounts.length));
        },
      ),
    );
  });
});
