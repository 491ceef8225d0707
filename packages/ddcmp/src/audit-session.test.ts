import { CLEAN, type Fault, LossyLine } from "@vendkit/test-support";
import { describe, expect, it } from "vitest";
import { AuditCollector, type AuditCollectorEvent, type AuditCollectorOptions } from "./audit-collector.js";
import { AuditDevice, type AuditDeviceEvent, type AuditDeviceOptions } from "./audit-device.js";

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
    collector?: AuditCollectorOptions;
    faults?: (n: number, bytes: Uint8Array) => Fault;
    lists?: (list: number) => Uint8Array | undefined;
    until?: number;
  } = {},
) {
  let cleared = 0;
  const lists = o.lists ?? ((list: number) => (list === 1 || list === 2 ? audit : undefined));
  const device = new AuditDevice({ timing: { turnaround: 2 }, ...o.device }, lists);
  const collector = new AuditCollector({ timing: { turnaround: 2 }, ...o.collector });
  const deviceEvents: AuditDeviceEvent[] = [];
  const collectorEvents: AuditCollectorEvent[] = [];
  const line = new LossyLine<"device" | "collector">(o.faults ?? (() => CLEAN), 1);
  const first = collector.start(0);
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
    cleared += d.events.filter((e) => e.type === "collected").length;
  }
  cleared += deviceEvents.filter((e) => e.type === "collected").length - cleared;
  return { device, collector, deviceEvents, collectorEvents, cleared };
}

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
