import { CLEAN, type Fault, faultArb, LossyLine } from "@vendkit/test-support";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildAudit, write } from "../write.js";
import { blockCrc, DexFrameParser, ETX, encodeBlock } from "./frames.js";
import { DexCollector, DexDevice, verifyAudit } from "./roles.js";
import type { DexEvent, Step } from "./session.js";

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Runs both ends over an in-memory line until both are finished or time runs out. */
function run(audit: Uint8Array, faults: (n: number) => Fault = () => CLEAN, blockSize = 64) {
  const device = new DexDevice(
    { communicationId: "VKT0000001", blockSize, timing: { ackTimeout: 50, retries: 5, idleTimeout: 2000 } },
    () => audit,
  );
  const collector = new DexCollector({
    communicationId: "HHT0000042",
    timing: { ackTimeout: 50, retries: 5, idleTimeout: 2000 },
  });
  const deviceEvents: DexEvent[] = [];
  const collectorEvents: DexEvent[] = [];
  const line = new LossyLine<"device" | "collector">((n) => faults(n), 1);
  const post = (step: Step, to: "device" | "collector", now: number) => line.send(step.send, to, now);
  device.start(0);
  const opening = collector.start(0);
  collectorEvents.push(...opening.events);
  post(opening, "device", 0);
  for (let now = 0; now < 60_000 && !(device.finished && collector.finished); now++) {
    for (const m of line.arrived(now)) {
      const end = m.to === "device" ? device : collector;
      const step = end.receive(m.bytes, now);
      (m.to === "device" ? deviceEvents : collectorEvents).push(...step.events);
      post(step, m.to === "device" ? "collector" : "device", now);
    }
    for (const [end, events, to] of [
      [device, deviceEvents, "collector"],
      [collector, collectorEvents, "device"],
    ] as const) {
      const step = end.tick(now);
      events.push(...step.events);
      post(step, to, now);
    }
  }
  return { deviceEvents, collectorEvents };
}

const audit = write(
  buildAudit(
    Array.from({ length: 30 }, (_, i) => ({
      tag: "PA1",
      elements: [String(i + 1), String(50 + i), `PRODUCT ${i + 1}`],
    })),
    { communicationId: "VKT0000001" },
  ),
);

describe("DEX/UCS frames", () => {
  it("frames a block with DLE, and a CRC-16/ARC over the data and ETB/ETX, low byte first", () => {
    const block = encodeBlock(ascii("AB"), false, true);
    const crc = blockCrc(ascii("AB"), ETX);
    expect(Array.from(block)).toEqual([0x10, 0x02, 0x41, 0x42, 0x10, 0x03, crc & 0xff, crc >> 8]);
    expect(new DexFrameParser().push(block)).toEqual([
      { kind: "block", header: false, data: ascii("AB"), last: true },
    ]);
  });

  it("turns any bytes into frames without throwing, and a damaged block into bad-block", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        for (const f of new DexFrameParser(64).push(bytes))
          expect(["enq", "eot", "nak", "ack", "block", "bad-block"]).toContain(f.kind);
      }),
    );
    const block = encodeBlock(ascii("HELLO"), false, false);
    block[3] = (block[3] as number) ^ 1;
    expect(new DexFrameParser().push(block)).toMatchObject([{ kind: "bad-block" }]);
  });
});

describe("DEX/UCS session, both ends in memory", () => {
  it("does both handshakes and delivers the audit byte for byte, then the device reports collected", () => {
    const { deviceEvents, collectorEvents } = run(audit);
    expect(collectorEvents.filter((e) => e.type === "handshake")).toEqual([
      { type: "handshake", communicationId: "VKT0000001", revision: "R01L01", detail: "response 00" },
    ]);
    expect(deviceEvents[0]).toEqual({
      type: "handshake",
      communicationId: "HHT0000042",
      revision: "R01L01",
      detail: "request R",
    });
    const received = collectorEvents.find((e) => e.type === "received");
    expect(received?.type === "received" && Buffer.from(received.data).equals(Buffer.from(audit))).toBe(true);
    expect(deviceEvents.at(-1)).toEqual({ type: "collected" });
    const progress = deviceEvents.filter((e) => e.type === "progress");
    expect(progress.at(-1)).toEqual({ type: "progress", done: audit.length, total: audit.length });
  });

  it("refuses received data that is not an intact audit", () => {
    const { collectorEvents } = run(ascii("DXS*A*VA*V0/6*1\r\nST*001*0001\r\n"));
    expect(collectorEvents.at(-1)).toMatchObject({ type: "failed", reason: "CORRUPT_AUDIT" });
    const twice = new Uint8Array([...audit.subarray(0, 40), ...audit.subarray(0, 40), ...audit.subarray(40)]);
    expect(verifyAudit(twice)).toBeDefined();
    expect(verifyAudit(audit)).toBeUndefined();
  });

  it("fails with a typed timeout when the device never answers", () => {
    const { collectorEvents } = run(audit, () => ({ ...CLEAN, drop: true }));
    expect(collectorEvents.at(-1)).toMatchObject({ type: "failed", reason: "TIMEOUT" });
  });

  it("over a lossy line (drops, bit flips, duplicates, delays) delivers the audit exactly or fails with a typed error", () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(faultArb(80), { nil: undefined, freq: 3 }), { maxLength: 60 }),
        (plan) => {
          const { collectorEvents } = run(audit, (n) => plan[n] ?? CLEAN);
          const received = collectorEvents.find((e) => e.type === "received");
          const failed = collectorEvents.find((e) => e.type === "failed");
          if (received?.type === "received")
            expect(Buffer.from(received.data).equals(Buffer.from(audit))).toBe(true);
          else
            expect(failed).toMatchObject({
              type: "failed",
              reason: expect.stringMatching(/TIMEOUT|TOO_MANY_RETRIES|REFUSED|PROTOCOL|CORRUPT_AUDIT/),
            });
        },
      ),
      { numRuns: 1000 },
    );
  });
});
