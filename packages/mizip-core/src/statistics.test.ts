import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CollectionRefused, MIN_COLLECTION_INTERVAL, Statistics } from "./statistics.js";
import { MemoryStorage, PowerCut } from "./storage.js";

const T0 = Date.UTC(2026, 10, 22, 9, 0, 0);

describe("statistics store (manual 7, 4.10.8)", () => {
  it("counts period and historic together, and a collection clears only the period", () => {
    const stats = new Statistics(new MemoryStorage());
    stats.add({ S1: 200, S290: 1 });
    stats.add({ S1: 50 });
    const c = stats.collect(T0);
    expect(c).toEqual({
      at: T0,
      period: { S1: 250, S290: 1 },
      historic: { S1: 250, S290: 1 },
      damaged: false,
    });
    expect(stats.get("S1")).toEqual({ period: 250, historic: 250 });
    stats.confirm(c);
    expect(stats.get("S1")).toEqual({ period: 0, historic: 250 });
    stats.add({ S1: 10 });
    expect(stats.get("S1")).toEqual({ period: 10, historic: 260 });
    // PROGRESSIVO ACQ. (S47) counts confirmed collections; the next one knows when the last was
    expect(stats.get("S47").historic).toBe(1);
    const next = stats.collect(T0 + MIN_COLLECTION_INTERVAL);
    expect(next.previous).toBe(T0);
    stats.confirm(next);
    expect(stats.get("S47").historic).toBe(2);
  });

  it("keeps what was counted between taking and confirming a collection", () => {
    const stats = new Statistics(new MemoryStorage());
    stats.add({ S1: 100 });
    const c = stats.collect(T0);
    stats.add({ S1: 30, S2: 5 });
    stats.confirm(c);
    expect(stats.get("S1")).toEqual({ period: 30, historic: 130 });
    expect(stats.get("S2")).toEqual({ period: 5, historic: 5 });
  });

  it("refuses a second collection within 2 minutes, and a confirm without a collection", () => {
    const stats = new Statistics(new MemoryStorage());
    stats.add({ S1: 1 });
    const c = stats.collect(T0);
    stats.confirm(c);
    expect(() => stats.collect(T0 + MIN_COLLECTION_INTERVAL - 1)).toThrow(
      expect.objectContaining({ code: "COLLECTION_TOO_SOON" }),
    );
    expect(() => stats.confirm(c)).toThrow(CollectionRefused);
    expect(stats.collect(T0 + MIN_COLLECTION_INTERVAL).period).toEqual({});
  });

  it("a security read (EVA-DTS list 2) reads the data as it stands, clears nothing, and is not a collection", () => {
    const stats = new Statistics(new MemoryStorage());
    stats.add({ S1: 40 });
    const c = stats.collect(T0);
    stats.confirm(c);
    stats.add({ S1: 5 });
    // within the 2 minutes a collection is refused, a security read is not
    expect(stats.snapshot(T0 + 1000)).toEqual({
      at: T0 + 1000,
      period: { S1: 5 },
      historic: { S1: 45, S47: 1 },
      damaged: false,
      previous: T0,
    });
    expect(stats.get("S1")).toEqual({ period: 5, historic: 45 });
    expect(stats.get("S47").historic).toBe(1);
  });

  it("re-reads the last collection in backup mode without touching current data (7.2)", () => {
    const stats = new Statistics(new MemoryStorage());
    expect(() => stats.backup()).toThrow(expect.objectContaining({ code: "NO_PREVIOUS_COLLECTION" }));
    stats.add({ S5: 7 });
    const c = stats.collect(T0);
    stats.confirm(c);
    stats.add({ S5: 1 });
    expect(stats.backup()).toEqual(c);
    expect(stats.backup()).toEqual(c);
    expect(stats.get("S5")).toEqual({ period: 1, historic: 8 });
  });

  it("commits with the sale or not at all", () => {
    const storage = new MemoryStorage();
    const stats = new Statistics(storage);
    stats.add({ S1: 5 });
    const records = stats.prepareAdd({ S1: 7 });
    records.set("key/0001", Uint8Array.of(1));
    storage.cutPowerOnNextCommit();
    expect(() => storage.commit(records)).toThrow(PowerCut);
    expect(stats.get("S1")).toEqual({ period: 5, historic: 5 });
    storage.commit(records);
    expect(stats.get("S1")).toEqual({ period: 12, historic: 12 });
  });

  it("refuses counters that are not S-numbers, E1..E16 or V-numbers and amounts that are not whole and ≥ 0", () => {
    const stats = new Statistics(new MemoryStorage());
    const bad: Record<string, number>[] = [
      { X1: 1 },
      { S1: -1 },
      { S1: 0.5 },
      { S12345: 1 },
      { E0: 1 },
      { E17: 1 },
      { V123: 1 },
    ];
    for (const b of bad) expect(() => stats.add(b)).toThrow(RangeError);
    expect(stats.get("S1").period).toBe(0);
    stats.add({ E8: 1, E16: 2, V1: 1 });
    expect(stats.get("E16")).toEqual({ period: 2, historic: 2 });
  });

  it("detects altered data and stays locked until a collection and a historic reset (5.1)", () => {
    const storage = new MemoryStorage();
    const stats = new Statistics(storage);
    stats.add({ S1: 250 });
    const bytes = storage.get("stats/current") ?? new Uint8Array();
    const text = new TextDecoder().decode(bytes.subarray(0, -4)).replace("250", "950");
    const forged = new Uint8Array([...new TextEncoder().encode(text), ...bytes.subarray(-4)]);
    storage.commit(new Map([["stats/current", forged]]));
    expect(stats.intact).toBe(false);
    const c = stats.collect(T0);
    expect(c).toMatchObject({ damaged: true, period: { S1: 950 } });
    stats.add({ S1: 1 });
    expect(stats.intact).toBe(false);
    stats.confirm(c);
    expect(stats.intact).toBe(false);
    stats.resetHistoric();
    expect(stats.intact).toBe(true);
    expect(stats.get("S1")).toEqual({ period: 0, historic: 0 });
  });

  it("treats a truncated or garbled record as damaged, never crashes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (junk) => {
        const storage = new MemoryStorage();
        storage.commit(new Map([["stats/current", junk]]));
        const stats = new Statistics(storage);
        expect(stats.intact).toBe(false);
        expect(stats.collect(T0).damaged).toBe(true);
        stats.add({ S1: 1 });
        expect(stats.intact).toBe(false);
      }),
    );
    const storage = new MemoryStorage();
    storage.commit(new Map([["stats/current", Uint8Array.of(1, 2)]]));
    expect(new Statistics(storage).intact).toBe(false);
  });

  it("sums period counts exactly over any sequence of sales and collections", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.record({ S1: fc.nat(500) }), fc.constant("collect" as const)), {
          maxLength: 20,
        }),
        (steps) => {
          const stats = new Statistics(new MemoryStorage());
          let now = T0;
          let collected = 0;
          let total = 0;
          for (const step of steps) {
            now += MIN_COLLECTION_INTERVAL;
            if (step === "collect") {
              const c = stats.collect(now);
              collected += c.period.S1 ?? 0;
              stats.confirm(c);
            } else {
              stats.add(step);
              total += step.S1;
            }
          }
          expect(collected + stats.get("S1").period).toBe(total);
          expect(stats.get("S1").historic).toBe(total);
        },
      ),
    );
  });
});
