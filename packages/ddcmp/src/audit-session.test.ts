import { CLEAN, type Fault, faultArb, LossyLine } from "@vendkit/test-support";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AuditCollector, type AuditCollectorEvent, type AuditCollectorOptions } from "./audit-collector.js";
import { AuditDevice, type AuditDeviceEvent, type AuditDeviceOptions } from "./audit-device.js";
import { type DdcmpMessage, encodeMessage, MessageParser } from "./messages.js";
import { CLOCK } from "./test-support.js";

const audit = Uint8Array.from(
  Array.from({ length: 1500 }, (_, i) => `PA1*${i}*50\r\n`)
    .join("")
    .slice(0, 5000),
  (c) => c.charCodeAt(0),
);

/** Both ends over an in-memory line, one step a millisecond, until both have finished. */
export function session(
  o: {
    device?: AuditDeviceOptions;
    collector?: Partial<AuditCollectorOptions>;
    faults?: (n: number, bytes: Uint8Array) => Fault;
    lists?: (list: number) => Uint8Array | undefined;
    until?: number;
  } = {},
) {
  const lists = o.lists ?? ((list: number) => (list === 1 || list === 2 ? audit : undefined));
  const device = new AuditDevice({ timing: { turnaround: 2 }, ...o.device }, lists);
  const collector = new AuditCollector({ clock: CLOCK, timing: { turnaround: 2 }, ...o.collector });
  const deviceEvents: AuditDeviceEvent[] = [];
  const collectorEvents: AuditCollectorEvent[] = [];
  const line = new LossyLine<"device" | "collector">(o.faults ?? (() => CLEAN), 1);
  collector.start();
  const first = collector.tick(0);
  line.send(first.send, "device", 0);
  collectorEvents.push(...first.events);
  const until = o.until ?? 120_000;
  for (let now = 1; now < until && !(device.finished && collector.finished); now++) {
    for (const m of line.arrived(now)) {
      if (m.to === "device") {
        const r = device.receive(m.bytes, now);
        deviceEvents.push(...r.events);
        line.send(r.send, "collector", now);
      } else {
        const r = collector.receive(m.bytes, now);
        collectorEvents.push(...r.events);
        line.send(r.send, "device", now);
      }
    }
    const d = device.tick(now);
    deviceEvents.push(...d.events);
    line.send(d.send, "collector", now);
    const c = collector.tick(now);
    collectorEvents.push(...c.events);
    line.send(c.send, "device", now);
  }
  const cleared = deviceEvents.filter((e) => e.type === "collected").length;
  return { device, collector, deviceEvents, collectorEvents, cleared };
}

/** A collector's data message number `num` (no acknowledgement carried) holding `bytes`. */
const collectorData = (num: number, bytes: number[]) =>
  encodeMessage({ kind: "data", resp: 0, num, addr: 1, flags: 0x40, data: Uint8Array.from(bytes) });

describe("EVA-DTS audit collection over DDCMP, both ends in memory", () => {
  it("reads list 1 whole and the device reports the collection only after FINISH", () => {
    const { deviceEvents, collectorEvents, cleared } = session();
    const received = collectorEvents.find((e) => e.type === "received");
    expect(
      received?.type === "received" && Buffer.from(received.lists[0]?.data ?? []).equals(Buffer.from(audit)),
    ).toBe(true);
    expect(received).toMatchObject({ confirmed: true });
    expect(cleared).toBe(1);
    expect(deviceEvents.at(-1)).toEqual({ type: "ended", collected: true });
  });
});

const bauds = (events: readonly (AuditCollectorEvent | AuditDeviceEvent)[]) =>
  events.flatMap((e) => (e.type === "link" && e.event.type === "baud" ? [e.event.baud] : []));
const receivedOf = (events: readonly AuditCollectorEvent[]) => {
  const r = events.find((e) => e.type === "received");
  return r?.type === "received" ? r : undefined;
};

describe("the EVA-DTS profile: rates, codes, lists, blocks", () => {
  it("agrees the lower common rate and exchanges a second START/STACK at it (3.4.2.2.3)", () => {
    const fast = session({ collector: { maxBaudCode: 6 } });
    expect(bauds(fast.collectorEvents)).toEqual([38400]);
    expect(bauds(fast.deviceEvents)).toEqual([38400]);
    expect(fast.device.baud).toBe(38400);
    expect(fast.deviceEvents.filter((e) => e.type === "link" && e.event.type === "running")).toHaveLength(2);
    const capped = session({ collector: { maxBaudCode: 8 }, device: { maxBaudCode: 4 } });
    expect(bauds(capped.collectorEvents)).toEqual([9600]);
    const fixed = session({ collector: { maxBaudCode: 8 }, device: { maxBaudCode: 0 } });
    expect(bauds(fixed.collectorEvents)).toEqual([]);
    expect(fixed.collector.baud).toBe(2400);
    expect(receivedOf(fixed.collectorEvents)?.confirmed).toBe(true);
  });

  it("checks the security and pass codes (parameters 006, 007, 40010) and refuses a wrong pair with 88 E0 00 01", () => {
    const device = { checkCodes: true, securityCode: 0x1234, passCode: 0x5678 };
    const wrong = session({ device, collector: { securityCode: 0x1234, passCode: 0x5679 } });
    expect(wrong.collectorEvents.at(-1)).toMatchObject({ type: "failed", reason: "REFUSED" });
    expect(wrong.cleared).toBe(0);
    const right = session({ device, collector: { securityCode: 0x1234, passCode: 0x5678 } });
    expect(receivedOf(right.collectorEvents)?.confirmed).toBe(true);
    // check OFF: any codes pass; codes 0 with check ON: any codes pass, stored only when asked to
    expect(
      receivedOf(
        session({ device: { ...device, checkCodes: false }, collector: { passCode: 1 } }).collectorEvents,
      ),
    ).toBeDefined();
    const open = session({ device: { checkCodes: true }, collector: { securityCode: 7, passCode: 9 } });
    expect(open.deviceEvents.some((e) => e.type === "codes-stored")).toBe(false);
    const storing = session({
      device: { checkCodes: true, storeCodesOnFirstUse: true },
      collector: { securityCode: 7, passCode: 9 },
    });
    expect(storing.deviceEvents).toContainEqual({ type: "codes-stored", securityCode: 7, passCode: 9 });
  });

  it("a security read (list 2) resets nothing; an unknown list is refused as the standard says", () => {
    const security = session({ collector: { lists: [2] } });
    expect(receivedOf(security.collectorEvents)?.lists.map((l) => l.list)).toEqual([2]);
    expect(security.cleared).toBe(0);
    const dump = session({ collector: { lists: [50] } });
    expect(dump.collectorEvents.at(-1)).toMatchObject({ type: "failed", reason: "NOT_SERVED" });
    expect(dump.deviceEvents).toContainEqual(expect.objectContaining({ type: "refused", command: 0xe2 }));
    const both = session({ collector: { lists: [1, 2] } });
    expect(receivedOf(both.collectorEvents)?.lists.map((l) => l.list)).toEqual([1, 2]);
    expect(both.cleared).toBe(1);
  });

  it("unknown length: 0xFFFF, the select flag on the last block, block numbers wrapping after 0xFF", () => {
    const big = Uint8Array.from({ length: 300 * 20 + 7 }, (_, i) => 0x30 + (i % 10));
    const r = session({ device: { selectFlag: true, blockSize: 20 }, lists: () => big });
    const got = receivedOf(r.collectorEvents);
    expect(got?.confirmed).toBe(true);
    expect(Buffer.from(got?.lists[0]?.data ?? []).equals(Buffer.from(big))).toBe(true);
    const blocks = r.collectorEvents.filter((e) => e.type === "progress");
    expect(blocks).toHaveLength(301);
    expect(blocks.at(-1)).toMatchObject({ total: undefined, blocks: 301, done: big.length });
    expect(r.cleared).toBe(1);
  });

  it("DATA BLOCK SIZE counts text bytes, but a message never exceeds the 256-byte buffer: 240 asked, 236 sent", () => {
    const sizes = (blockSize: number) => {
      const r = session({ device: { blockSize } });
      return r.deviceEvents.flatMap((e, i, all) => {
        if (e.type !== "progress") return [];
        const before = all
          .slice(0, i)
          .filter((x) => x.type === "progress")
          .at(-1);
        return [e.done - (before?.type === "progress" ? before.done : 0)];
      });
    };
    expect(Math.max(...sizes(240))).toBe(236);
    expect(Math.max(...sizes(64))).toBe(64);
  });
});

describe("bad input and faults: typed refusals and failures, nothing cleared for an unfinished collection", () => {
  it("a link that goes silent mid-transfer: the collector fails with what arrived, the device clears nothing", () => {
    let cut = false;
    const r = session({
      faults: (_n, bytes) => {
        if (bytes[0] === 0x81 && bytes[8] === 0x99 && bytes[9] === 5) cut = true;
        return cut ? { ...CLEAN, drop: true } : CLEAN;
      },
      until: 60_000,
    });
    const failed = r.collectorEvents.at(-1);
    expect(failed).toMatchObject({
      type: "failed",
      reason: expect.stringMatching(/TOO_MANY_RETRIES|LINK_TIMEOUT/),
    });
    expect(failed?.type === "failed" && failed.received?.length).toBeGreaterThan(0);
    expect(r.cleared).toBe(0);
    expect(r.deviceEvents.at(-1)).toMatchObject({ type: "ended", collected: false });
  });

  it("answers each malformed or unexpected command with the standard's refusal, and READ before WHO ARE YOU too", () => {
    const device = new AuditDevice({ timing: { turnaround: 0 } }, () => audit);
    const parser = new MessageParser();
    let num = 0;
    const data = (bytes: number[]) => collectorData(++num, bytes);
    // what the device answers, each of its data messages acknowledged as a collector would
    const answers = (bytes: Uint8Array, now: number) => {
      const got = parser.push(device.receive(bytes, now).send);
      for (const m of got)
        if (m.kind === "data")
          device.receive(encodeMessage({ kind: "ack", resp: m.num, addr: 1, flags: 0x40 }), now);
      return got.flatMap((m) => (m.kind === "data" ? [Array.from(m.data)] : []));
    };
    device.receive(encodeMessage({ kind: "start", addr: 1, flags: 0x40, mbd: 0 }), 0);
    expect(answers(data([0x77, 0xe2, 0, 1, 1, 0, 0, 0, 0]), 1)).toEqual([[0x88, 0xe2, 0]]); // READ first
    expect(answers(data([0x77, 0xe0, 0, 0]), 2)).toEqual([[0x88, 0xe0, 0]]); // short WHO ARE YOU
    expect(answers(data([0x77, 0xe3, 0, 1, 0, 0]), 3)).toEqual([[0x88, 0xe3, 0]]); // WRITE DATA
    expect(answers(data([0x77, 0xe5, 0, 0, 0]), 4)).toEqual([[0x88, 0xe5, 0, 0]]); // PROGRAM MODULE
    expect(answers(data([0x42, 1]), 5)).toEqual([]); // not an application message: reported, unanswered
  });

  it("a block out of order ends the collection with BLOCK_ORDER and what had arrived; no FINISH, so nothing is cleared", () => {
    const collector = new AuditCollector({ clock: CLOCK, maxBaudCode: 0, timing: { turnaround: 0 } });
    const parser = new MessageParser();
    let t = 0;
    const sent: DdcmpMessage[] = [];
    const feed = (m: DdcmpMessage) => {
      const r = collector.receive(encodeMessage(m), ++t);
      sent.push(...parser.push(r.send).filter((x): x is DdcmpMessage => x.kind !== "error"));
      return r.events;
    };
    collector.start();
    const reply = (num: number, bytes: number[]) =>
      feed({ kind: "data", resp: num, num, addr: 1, flags: 0x40, data: Uint8Array.from(bytes) });
    feed({ kind: "stack", sbd: 0, mbd: 0, addr: 1, flags: 0x40 });
    reply(1, [0x88, 0xe0, 1, 0, 0, 0, 0, ...Array(8).fill(0x30), 1, 2, 0, 0, 0, 0]);
    reply(2, [0x88, 0xe2, 1, 1, 1, 0, 0, 100, 0]);
    reply(3, [0x99, 0, ...Array(40).fill(0x41)]);
    const events = reply(4, [0x99, 2, ...Array(40).fill(0x42)]);
    expect(events.at(-1)).toMatchObject({ type: "failed", reason: "BLOCK_ORDER" });
    const failed = events.at(-1);
    expect(failed?.type === "failed" && failed.received?.length).toBe(40);
    expect(sent.some((m) => m.kind === "data" && m.data[0] === 0x77 && m.data[1] === 0xff)).toBe(false);
  });

  it("a START in the middle of a session restarts it; what was read before counts for nothing", () => {
    const events: AuditDeviceEvent[] = [];
    const device = new AuditDevice({ timing: { turnaround: 0 }, blockSize: 100 }, () => audit);
    const parser = new MessageParser();
    let num = 0;
    let now = 0;
    const feed = (bytes: Uint8Array) => {
      const r = device.receive(bytes, ++now);
      events.push(...r.events);
      for (const m of parser.push(r.send))
        if (m.kind === "data") feed(encodeMessage({ kind: "ack", resp: m.num, addr: 1, flags: 0x40 }));
    };
    const command = (bytes: number[]) => feed(collectorData(++num, bytes));
    const way = [0x77, 0xe0, 0, 0, 0, 0, 0, 1, 1, 0x26, 0, 0, 0, 0, 0, 0x0c];
    const read = [0x77, 0xe2, 0, 1, 1, 0, 0, 0, 0];
    feed(encodeMessage({ kind: "start", addr: 1, flags: 0x40, mbd: 0 }));
    command(way);
    // READ list 1: the device sends every block, each acknowledged, then a START instead of FINISH
    command(read);
    expect(events.filter((e) => e.type === "progress").at(-1)).toMatchObject({ done: audit.length });
    num = 0;
    feed(encodeMessage({ kind: "start", addr: 1, flags: 0x40, mbd: 0 }));
    expect(events).toContainEqual({ type: "link", event: { type: "restarted" } });
    command([0x77, 0xff]); // FINISH before WHO ARE YOU of the new session: nothing was read in it
    expect(events.some((e) => e.type === "collected")).toBe(false);
    // the new session reads again, and only its FINISH makes the collection
    num = 0;
    feed(encodeMessage({ kind: "start", addr: 1, flags: 0x40, mbd: 0 }));
    command(way);
    command(read);
    command([0x77, 0xff]);
    expect(events.filter((e) => e.type === "collected")).toHaveLength(1);
  });

  it("over a line that drops, flips, duplicates and delays: the collector holds exactly the device's audit or fails typed; the device clears only a collection the collector holds", () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(faultArb(60), { nil: undefined, freq: 4 }), { maxLength: 80 }),
        (plan) => {
          const r = session({ faults: (n) => plan[n] ?? CLEAN, device: { blockSize: 200 } });
          const got = receivedOf(r.collectorEvents);
          const failed = r.collectorEvents.find((e) => e.type === "failed");
          if (got) expect(Buffer.from(got.lists[0]?.data ?? []).equals(Buffer.from(audit))).toBe(true);
          else
            expect(failed).toMatchObject({
              reason: expect.stringMatching(
                /START_TIMEOUT|TOO_MANY_RETRIES|LINK_TIMEOUT|PROTOCOL|BLOCK_ORDER|REFUSED/,
              ),
            });
          // no session hangs past its timers (a device no START reached is still waiting for one)
          expect(r.collector.finished).toBe(true);
          expect(r.device.finished || r.device.waiting).toBe(true);
          // cleared only when the collector holds the whole audit; a confirmed read was cleared
          if (r.cleared > 0) expect(got).toBeDefined();
          if (got?.confirmed) expect(r.cleared).toBe(1);
          expect(r.cleared).toBeLessThanOrEqual(1);
        },
      ),
      {
        numRuns: 300,
        // a START delayed on the line restarts the device mid-session; it then NACKs every READ
        // DATA, which the collector once sent again forever (each NACK now spends an attempt)
        examples: [
          [
            [
              undefined,
              { drop: false, flip: undefined, duplicate: true, delay: 1 },
              { drop: false, flip: undefined, duplicate: false, delay: 5 },
            ],
          ],
        ],
      },
    );
  });
});
