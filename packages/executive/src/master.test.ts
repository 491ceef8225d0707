import type { Machine } from "@vendkit/machine";
import { describe, expect, it } from "vitest";
import { Bus } from "./bus.js";
import { ExecutiveMaster, type MasterEvent } from "./master.js";
import { VmcSimulator } from "./simulators.js";
import { ExecutiveSlave } from "./slave.js";
import { answer, bus, tap } from "./test-support.js";
import { creditBlock, EXECUTIVE } from "./wire.js";

const kinds = (events: readonly MasterEvent[]) => events.map((e) => e.kind);

describe("payment system as Executive master of a VMC (manual 4.3.1)", () => {
  it("shows the credit, takes a vend request with the price in base units, vends on approval", () => {
    const master = new ExecutiveMaster();
    const vmc = new VmcSimulator({ priceSystem: "prices-on-vmc", prices: [60, 100], baseCoin: 5 });
    master.display(creditBlock(150, 5, 2));
    bus(master, vmc).run(0, 300);
    expect(vmc.shown).toBe(150);
    vmc.press(2);
    const requests: number[] = [];
    const events = bus(master, vmc).run(301, 3000, (evs) => {
      for (const e of evs)
        if (e.kind === "vend-request") {
          requests.push(e.value);
          master.approve();
        }
    });
    expect(requests).toEqual([20]); // 100 in base coins of 5
    // a success answer may be non-zero: its bits 6-0 say one audit pair waits (F22)
    expect(events).toContainEqual({ kind: "vend-result", success: true, timedOut: false, auditPairs: 1 });
    expect(events).toContainEqual({ kind: "audit-pair", address: 2, value: 1 });
    expect(vmc.delivered).toEqual([2]);
    expect(vmc.slave.auditWaiting).toBe(0);
    bus(master, vmc).run(3002, 200);
    expect(master.idle).toBe(true);
  });

  it("shows 'exact coins only' even with no credit, and no credit without it as an empty display", () => {
    const master = new ExecutiveMaster();
    const vmc = new VmcSimulator({ priceSystem: "prices-on-vmc", prices: [60] });
    master.display(creditBlock(0, 1, 2, true));
    bus(master, vmc).run(0, 300);
    expect([vmc.shown, vmc.exactOnly]).toEqual([0, true]);
    master.display(creditBlock(50, 1, 2, true));
    bus(master, vmc).run(301, 300);
    expect([vmc.shown, vmc.exactOnly]).toEqual([50, true]);
    master.display(creditBlock(0, 1, 2));
    bus(master, vmc).run(602, 300);
    expect([vmc.shown, vmc.exactOnly]).toEqual([undefined, false]);
  });

  it("under price holding gets the selection, and can show the price before refusing (4.3.5)", () => {
    const master = new ExecutiveMaster();
    const vmc = new VmcSimulator({ priceSystem: "price-holding" });
    vmc.press(7);
    const events = bus(master, vmc).run(0, 500, (evs) => {
      for (const e of evs)
        if (e.kind === "vend-request") {
          expect(e.value).toBe(7);
          master.display(creditBlock(80, 1, 2)); // price holding display: the price
          master.deny();
        }
    });
    expect(kinds(events)).not.toContain("vend-result");
    expect(vmc.shown).toBe(80);
    expect(vmc.delivered).toEqual([]);
  });

  it("reports a failed vend, and a VMC silent past 60 s as a timed-out failure", () => {
    const master = new ExecutiveMaster();
    const vmc = new VmcSimulator({ priceSystem: "price-holding", vendMs: 70_000 });
    vmc.press(1);
    const approve = (evs: readonly MasterEvent[]) => {
      for (const e of evs) if (e.kind === "vend-request") master.approve();
    };
    const slow = bus(master, vmc).run(0, 65_000, approve, 5);
    expect(slow).toContainEqual({ kind: "vend-result", success: false, timedOut: true });

    const patient = new ExecutiveMaster({ vendDelay: true });
    const vmc2 = new VmcSimulator({ priceSystem: "price-holding", vendMs: 70_000 });
    vmc2.press(1);
    const events = bus(patient, vmc2).run(
      0,
      75_000,
      (evs) => {
        for (const e of evs) if (e.kind === "vend-request") patient.approve();
      },
      5,
    );
    expect(events).toContainEqual({ kind: "vend-result", success: true, timedOut: false, auditPairs: 1 });

    const master3 = new ExecutiveMaster();
    const jammed = new VmcSimulator({ priceSystem: "price-holding" });
    jammed.failVends = true;
    jammed.press(3);
    const failed = bus(master3, jammed).run(0, 4000, (evs) => {
      for (const e of evs) if (e.kind === "vend-request") master3.approve();
    });
    // the jammed VMC answers 0x80: bit 7 set, no audit pair (F22)
    expect(failed).toContainEqual({ kind: "vend-result", success: false, timedOut: false, auditPairs: 0 });
  });

  it("reports a silent VMC offline after the retries, and shows the credit again when it is back", () => {
    const master = new ExecutiveMaster();
    const vmc = new VmcSimulator({ priceSystem: "price-holding" });
    master.display(creditBlock(200, 1, 2));
    bus(master, vmc).run(0, 200);
    vmc.slave.silent = true;
    const down = bus(master, vmc).run(201, 2000);
    expect(kinds(down)).toContain("offline");
    expect(master.isOnline).toBe(false);
    vmc.slave.silent = false;
    const shownBefore = vmc.displays.length;
    const up = bus(master, vmc).run(2201, 500);
    expect(kinds(up)).toContain("online");
    expect(vmc.displays.length).toBeGreaterThan(shownBefore);
    expect(vmc.shown).toBe(200);
  });

  it("sends a byte again after a PNAK, and reports bytes that come when no answer is due", () => {
    const master = new ExecutiveMaster();
    let first = true;
    const answers = new ExecutiveSlave({
      status: () => 0,
      display: () => {},
      vendRequest: () => undefined,
      vend: () => {},
    });
    const flaky: Machine<unknown> = {
      receive(bytes, now) {
        if (first) {
          first = false;
          return { send: Uint8Array.of(EXECUTIVE.replies.pnak), events: [], deadline: undefined };
        }
        return answers.receive(bytes, now);
      },
      tick: (now) => answers.tick(now),
    };
    const sent: number[] = [];
    const m = master.tick(0);
    sent.push(...m.send);
    const again = master.receive([answer(flaky, sent[0] as number, 0).send[0] as number], 1);
    expect(Array.from(again.send)).toEqual([EXECUTIVE.commands.status]);
    const idle = new ExecutiveMaster();
    expect(idle.receive([0x55], 0).events).toMatchObject([
      { kind: "error", error: { code: "UNEXPECTED_BYTE" } },
    ]);
    expect(() => idle.approve()).toThrow(expect.objectContaining({ code: "NO_VEND" }));
  });
});

describe("RITARDO DISPLAY and RITARDO COMUNICAZIONE slow the link (manual 4.3.9, 4.3.10)", () => {
  /** When each byte reached the VMC, over 2 s of bus time with a credit to show. */
  function timeline(options: ConstructorParameters<typeof ExecutiveMaster>[0]) {
    const master = new ExecutiveMaster(options);
    const vmc = new VmcSimulator({ priceSystem: "price-holding" });
    const seen: { at: number; byte: number }[] = [];
    const spy = tap(vmc, (byte, now) => seen.push({ at: now, byte }));
    master.display(creditBlock(150, 5, 2));
    new Bus(master, spy).run(0, 2000);
    return { seen, shown: vmc.shown };
  }
  const gaps = (seen: { at: number }[]) => seen.slice(1).map((s, i) => s.at - (seen[i] as { at: number }).at);

  it("display delay: each byte of the credit block waits; the rest of the link does not", () => {
    const plain = timeline({});
    const slow = timeline({ displayDelayMs: 50 });
    expect([plain.shown, slow.shown]).toEqual([150, 150]);
    const block = (seen: { at: number; byte: number }[]) => {
      const from = seen.findIndex((s) => s.byte === 0x38);
      return seen.slice(from, from + 10);
    };
    expect(Math.max(...gaps(block(plain.seen)))).toBeLessThan(10);
    expect(Math.min(...gaps(block(slow.seen)))).toBeGreaterThanOrEqual(50);
  });

  it("communication delay: every byte waits, and polls come further apart", () => {
    const plain = timeline({});
    const slow = timeline({ communicationDelayMs: 30 });
    expect(Math.min(...gaps(slow.seen))).toBeGreaterThanOrEqual(30);
    expect(slow.seen.length).toBeLessThan(plain.seen.length);
  });
});

describe("timing as observed (F9, F23, F27)", () => {
  it("suspends polling while a VEND waits: no byte goes out between VEND and its answer", () => {
    const master = new ExecutiveMaster();
    const vmc = new VmcSimulator({ priceSystem: "price-holding", vendMs: 10_000 });
    vmc.press(4);
    const sent: { at: number; byte: number }[] = [];
    const answerer = tap(vmc, (byte, now) => sent.push({ at: now, byte }));
    const events = new Bus(master, answerer).run(0, 12_000, (evs) => {
      for (const e of evs) if (e.kind === "vend-request") master.approve();
    });
    const vendAt = sent.find((b) => b.byte === EXECUTIVE.commands.vend)?.at as number;
    const next = sent.find((b) => b.at > vendAt);
    expect(next?.at).toBeGreaterThanOrEqual(vendAt + 10_000);
    expect(events).toContainEqual(expect.objectContaining({ kind: "vend-result", success: true }));
    // idle cycles every pollMs (about 70 ms on a Necta capture)
    expect(EXECUTIVE.pollMs).toBe(70);
  });

  it("the simulated VMC locks after 30 s without polls: STATUS says inhibited until polled again", () => {
    const master = new ExecutiveMaster();
    const vmc = new VmcSimulator({ priceSystem: "price-holding" });
    const before = bus(master, vmc).run(0, 300);
    expect(before.filter((e) => e.kind === "status").every((e) => e.kind === "status" && !e.inhibited)).toBe(
      true,
    );
    // the master stops (a cut cable, a payment system restarting) for longer than 30 s
    const after = bus(master, vmc).run(31_000, 300);
    const statuses = after.filter((e) => e.kind === "status");
    expect(statuses[0]).toMatchObject({ inhibited: true });
    expect(statuses.slice(1).every((e) => e.kind === "status" && !e.inhibited)).toBe(true);
    expect(vmc.locked).toBe(false);
    // a gap just under 30 s does not lock it
    expect(
      bus(master, vmc)
        .run(60_000, 100)
        .find((e) => e.kind === "status"),
    ).toMatchObject({ inhibited: false });
  });
});

describe("Executive slave", () => {
  it("answers PNAK to an unknown byte, a block that is not a credit block and a VEND out of order", () => {
    const slave = new ExecutiveSlave({
      status: () => 0,
      display: () => {},
      vendRequest: () => undefined,
      vend: () => {},
    });
    expect(answer(slave, 0x3a, 0)).toMatchObject({ send: [0xff], events: [{ kind: "error" }] });
    // NAK: the last answer again
    expect(answer(slave, 0x3f, 0).send).toEqual([0xff]);
    expect(answer(slave, 0x38, 0).send).toEqual([0x00]);
    expect(answer(slave, 0x21, 0).send).toEqual([0x00]);
    expect(answer(slave, 0x39, 0)).toMatchObject({
      send: [0xff],
      events: [{ error: { code: "BAD_BLOCK" } }],
    });
    // eight nibbles whose decimal-point mask is not 1, 2, 4 or 8
    for (const b of [0x38, 0x21, 0x20, 0x20, 0x20, 0x21, 0x20, 0x23, 0x20]) answer(slave, b, 0);
    expect(answer(slave, 0x39, 0)).toMatchObject({
      send: [0xff],
      events: [{ error: { code: "BAD_BLOCK" } }],
    });
    expect(answer(slave, 0x31, 0).send).toEqual([0x00]);
    expect(answer(slave, 0x32, 0).send).toEqual([0xfe]);
    expect(answer(slave, 0x33, 0)).toMatchObject({
      send: [0xff],
      events: [{ error: { code: "UNEXPECTED_BYTE" } }],
    });
    expect(slave.isVending).toBe(false);
    expect(() => slave.vendDone(true)).toThrow(expect.objectContaining({ code: "NO_VEND" }));
  });
});
