import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ExecutiveMaster } from "./master.js";
import { ChangerSimulator, VmcSimulator } from "./simulators.js";
import { ExecutiveSlave } from "./slave.js";
import { answer, bus } from "./test-support.js";
import { creditBlock } from "./wire.js";

const PRICES = [50, 60, 120, 200];

type Act =
  | { act: "press"; selection: number }
  | { act: "wait"; ms: number }
  | { act: "silence"; on: boolean }
  | { act: "jam"; on: boolean }
  | { act: "coin"; value: number }
  | { act: "escrow" };

const actArb: fc.Arbitrary<Act> = fc.oneof(
  fc.record({ act: fc.constant("press" as const), selection: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ act: fc.constant("wait" as const), ms: fc.integer({ min: 1, max: 4000 }) }),
  fc.record({ act: fc.constant("silence" as const), on: fc.boolean() }),
  fc.record({ act: fc.constant("jam" as const), on: fc.boolean() }),
  fc.record({ act: fc.constant("coin" as const), value: fc.constantFrom(10, 20, 50, 100) }),
  fc.constant({ act: "escrow" as const }),
);

describe("Executive roles over random interleavings", () => {
  it("a payment system master never vends above its credit, reports every approved vend once, ends with no vend open", () => {
    fc.assert(
      fc.property(fc.array(actArb, { maxLength: 30 }), fc.integer({ min: 0, max: 400 }), (acts, start) => {
        const master = new ExecutiveMaster();
        const vmc = new VmcSimulator({
          priceSystem: "prices-on-vmc",
          prices: PRICES,
          baseCoin: 10,
          vendMs: 1500,
        });
        let credit = start * 10;
        let pending: number | undefined;
        let approvals = 0;
        let results = 0;
        let successes = 0;
        let spent = 0;
        master.display(creditBlock(credit, 10, 2));
        const app = (events: readonly import("./master.js").MasterEvent[]) => {
          for (const e of events) {
            if (e.kind === "vend-request") {
              const price = e.value * 10;
              if (price <= credit) {
                pending = price;
                approvals++;
                master.approve();
              } else master.deny();
            } else if (e.kind === "vend-result") {
              results++;
              if (e.success && pending !== undefined) {
                successes++;
                credit -= pending;
                spent += pending;
              }
              pending = undefined;
              master.display(creditBlock(credit, 10, 2));
            }
          }
        };
        let now = 0;
        for (const a of acts) {
          if (a.act === "press") vmc.press(a.selection);
          else if (a.act === "silence") vmc.slave.silent = a.on;
          else if (a.act === "jam") vmc.failVends = a.on;
          const ms = a.act === "wait" ? a.ms : 50;
          bus(master, vmc).run(now, ms, app, 2);
          now += ms + 2;
        }
        vmc.slave.silent = false;
        bus(master, vmc).run(now, 70_000, app, 5);
        expect(credit).toBeGreaterThanOrEqual(0);
        expect(spent).toBe(start * 10 - credit);
        expect(results).toBe(approvals);
        expect(vmc.delivered.length).toBe(successes);
        expect(master.vending).toBe(false);
        expect(master.isOnline).toBe(true);
        expect(vmc.shown ?? 0).toBe(credit);
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it("a changer master conserves money: coins in = sales + returned + credit left", () => {
    fc.assert(
      fc.property(fc.array(actArb, { maxLength: 30 }), fc.boolean(), (acts, single) => {
        const changer = new ChangerSimulator({ baseCoin: 10, decimals: 2, single });
        const vmc = new VmcSimulator({
          priceSystem: "prices-on-vmc",
          prices: PRICES,
          baseCoin: 10,
          vendMs: 1500,
        });
        let inserted = 0;
        let now = 0;
        for (const a of acts) {
          if (a.act === "press") vmc.press(a.selection);
          else if (a.act === "jam") vmc.failVends = a.on;
          else if (a.act === "coin") {
            changer.insert(a.value);
            inserted += a.value;
          } else if (a.act === "escrow" && !changer.master.vending) changer.escrow();
          const ms = a.act === "wait" ? a.ms : 50;
          bus(changer.master, vmc).run(now, ms, (e) => changer.handle(e), 2);
          now += ms + 2;
        }
        bus(changer.master, vmc).run(now, 10_000, (e) => changer.handle(e), 5);
        const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
        expect(sum(changer.sales) + sum(changer.returned) + changer.credit).toBe(inserted);
        expect(vmc.delivered.length).toBe(changer.sales.length);
        expect(changer.master.vending).toBe(false);
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it("neither end crashes or sticks on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const slave = new ExecutiveSlave({
          status: () => 0,
          display: () => {},
          vendRequest: () => undefined,
          vend: () => {},
        });
        const master = new ExecutiveMaster();
        let now = 0;
        for (const b of bytes) {
          expect(answer(slave, b, now).send.length).toBeLessThanOrEqual(1);
          master.receive([b], now);
          now += 3;
        }
        // then a working VMC: the master comes back to a normal poll cycle
        const vmc = new VmcSimulator({ priceSystem: "price-holding" });
        const events = bus(master, vmc).run(now, 70_000, () => {}, 10);
        expect(master.isOnline).toBe(true);
        expect(events.filter((e) => e.kind === "status").length).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});
