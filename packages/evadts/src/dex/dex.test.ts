import type { Step } from "@vendkit/machine";
import { CLEAN, type Fault, faultArb, LossyLine } from "@vendkit/test-support";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildAudit, write } from "../write.js";
import {
  ACK0,
  ACK1,
  blockCrc,
  DexFrameParser,
  DLE,
  ENQ,
  EOT,
  ETX,
  encodeBlock,
  SYN,
  WACK,
} from "./frames.js";
import { checkFirstHandshake, DexCollector, DexDevice, verifyAudit } from "./roles.js";
import type { DexEvent } from "./session.js";

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

const TIMING = { ackTimeout: 50, retries: 5, idleTimeout: 2000, interCharTimeout: 20, wackDelay: 10 };

/** Runs both ends over an in-memory line until both are finished or time runs out. */
function run(
  audit: Uint8Array,
  faults: (n: number, bytes: Uint8Array) => Fault = () => CLEAN,
  options: {
    blockSize?: number;
    firstHandshake?: "slave" | "master";
    collectorId?: string;
    collectorRevision?: string;
    deviceStartsAt?: number;
  } = {},
) {
  const device = new DexDevice(
    {
      communicationId: "VKT0000001",
      blockSize: options.blockSize ?? 64,
      timing: TIMING,
      ...(options.firstHandshake ? { firstHandshake: options.firstHandshake } : {}),
    },
    () => audit,
  );
  const collector = new DexCollector({
    communicationId: options.collectorId ?? "HHT0000042",
    timing: TIMING,
    ...(options.collectorRevision ? { revision: options.collectorRevision } : {}),
  });
  const deviceEvents: DexEvent[] = [];
  const collectorEvents: DexEvent[] = [];
  const line = new LossyLine<"device" | "collector">((n, bytes) => faults(n, bytes), 1);
  const post = (step: Step<DexEvent>, to: "device" | "collector", now: number) =>
    line.send(step.send, to, now);
  collector.start();
  const opening = collector.tick(0);
  collectorEvents.push(...opening.events);
  post(opening, "device", 0);
  const deviceStartsAt = options.deviceStartsAt ?? 0;
  for (let now = 0; now < 60_000 && !(device.finished && collector.finished); now++) {
    if (now === deviceStartsAt) {
      device.start();
      post(device.tick(now), "collector", now);
    }
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
    const failed = collectorEvents.at(-1);
    expect(failed).toMatchObject({ type: "failed", reason: "CORRUPT_AUDIT" });
    // what arrived is handed over all the same, for a caller that keeps a damaged audit
    expect(failed?.type === "failed" && Buffer.from(failed.received ?? []).toString()).toBe(
      "DXS*A*VA*V0/6*1\r\nST*001*0001\r\n",
    );
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
        fc.constantFrom("slave" as const, "master" as const),
        (plan, firstHandshake) => {
          const { collectorEvents } = run(audit, (n) => plan[n] ?? CLEAN, { firstHandshake });
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

const bytes = (...parts: (number | string)[]) =>
  Uint8Array.from(
    parts.flatMap((p) => (typeof p === "number" ? [p] : Array.from(p, (c) => c.charCodeAt(0)))),
  );
const sent = (step: Step<DexEvent>) => Array.from(step.send);

describe("DEX/UCS frames: transparency and filler (UCS guide; EVA-DTS 6.1.2 4.5.8 Timer B)", () => {
  it("round-trips any data bytes, a 0x10 going out as DLE DLE", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 245 }), fc.boolean(), (data, last) => {
        const frames = new DexFrameParser(245).push(encodeBlock(data, false, last));
        expect(frames).toEqual([{ kind: "block", header: false, data, last }]);
      }),
    );
    expect(Array.from(encodeBlock(Uint8Array.of(0x41, DLE), false, true).subarray(0, 6))).toEqual([
      DLE,
      0x02,
      0x41,
      DLE,
      DLE,
      DLE,
    ]);
  });

  it("drops DLE SYN filler inside a block and reads control bytes as data, not as a bad block", () => {
    const data = bytes("PA1*1*50\r\n", 0x00, 0x07, "X");
    const framed = encodeBlock(data, false, true);
    // a sender pausing mid-block: DLE SYN after the 4th data byte
    const paused = Uint8Array.from([...framed.subarray(0, 6), DLE, SYN, DLE, SYN, ...framed.subarray(6)]);
    expect(new DexFrameParser().push(paused)).toEqual([{ kind: "block", header: false, data, last: true }]);
  });

  it("reads DLE ';' as WACK", () => {
    expect(new DexFrameParser().push(Uint8Array.of(DLE, WACK))).toEqual([{ kind: "wack" }]);
  });

  it("abandons a block whose bytes stop for longer than Timer B, then reads the next ENQ", () => {
    const device = new DexDevice({ communicationId: "VKT0000001", timing: TIMING }, () => audit);
    device.start();
    expect(sent(device.receive(Uint8Array.of(ENQ), 1))).toEqual([DLE, ACK0]);
    const header = encodeBlock(bytes("HHT0000042RR01L01"), true, true);
    expect(sent(device.receive(header.subarray(0, 8), 2))).toEqual([]);
    // the rest never comes; the collector asks again after its Timer A
    expect(sent(device.tick(30))).toEqual([0x15]); // NAK for the cut block
    expect(sent(device.receive(Uint8Array.of(ENQ), 60))).toEqual([DLE, ACK0]);
    expect(sent(device.receive(header, 61))).toEqual([DLE, ACK1]);
  });
});

describe("DEX/UCS: a machine that is master of the first handshake (EVA-DTS 6.1.2 4.5.1, p. 109)", () => {
  it("both ends send ENQ at once: the collector backs off, answers as slave, and the audit arrives", () => {
    const { deviceEvents, collectorEvents } = run(audit, () => CLEAN, { firstHandshake: "master" });
    expect(collectorEvents[0]).toEqual({
      type: "handshake",
      communicationId: "VKT0000001",
      revision: "R01L01",
      detail: "request S",
    });
    expect(deviceEvents[0]).toEqual({
      type: "handshake",
      communicationId: "HHT0000042",
      revision: "R01L01",
      detail: "response 00",
    });
    const received = collectorEvents.find((e) => e.type === "received");
    expect(received?.type === "received" && Buffer.from(received.data).equals(Buffer.from(audit))).toBe(true);
    expect(deviceEvents.at(-1)).toEqual({ type: "collected" });
  });

  it("a machine that starts after the collector's first ENQ is let through too", () => {
    const { collectorEvents } = run(audit, () => CLEAN, { firstHandshake: "master", deviceStartsAt: 120 });
    expect(collectorEvents.some((e) => e.type === "received")).toBe(true);
  });

  it("on the wire: two ENQs from the machine make the collector answer DLE 0, then it runs the second handshake", () => {
    const collector = new DexCollector({ communicationId: "HHT0000042", timing: TIMING });
    collector.start();
    expect(sent(collector.tick(0))).toEqual([ENQ]);
    expect(sent(collector.receive(Uint8Array.of(ENQ), 5))).toEqual([]); // crossed: back off
    expect(sent(collector.tick(60))).toEqual([]); // no ENQ of its own while backing off
    expect(sent(collector.receive(Uint8Array.of(ENQ), 70))).toEqual([DLE, ACK0]);
    expect(sent(collector.receive(encodeBlock(bytes("CAM0000007SR01L01"), true, true), 71))).toEqual([
      DLE,
      ACK1,
    ]);
    expect(sent(collector.receive(Uint8Array.of(EOT), 72))).toEqual([ENQ]); // second handshake: master
    const response = encodeBlock(bytes("00HHT0000042R01L01"), true, true);
    expect(sent(collector.receive(Uint8Array.of(DLE, ACK0), 73))).toEqual(Array.from(response));
    expect(sent(collector.receive(Uint8Array.of(DLE, ACK1), 74))).toEqual([EOT]);
    expect(sent(collector.receive(Uint8Array.of(ENQ), 80))).toEqual([DLE, ACK0]); // the machine sends
  });
});

describe("DEX/UCS: WACK (DLE ';', Timer A, pp. 116-117)", () => {
  it("waits, asks again with ENQ, and spends no retry however many WACKs come within the guard", () => {
    const collector = new DexCollector({ communicationId: "HHT0000042", timing: TIMING });
    collector.start();
    collector.tick(0);
    let now = 1;
    for (let n = 0; n < 3 * TIMING.retries; n++) {
      expect(sent(collector.receive(Uint8Array.of(DLE, WACK), now))).toEqual([]);
      expect(sent(collector.tick(now + TIMING.wackDelay - 1))).toEqual([]);
      expect(sent(collector.tick(now + TIMING.wackDelay))).toEqual([ENQ]);
      now += TIMING.wackDelay + 1;
    }
    expect(collector.finished).toBe(false);
    const header = encodeBlock(bytes("HHT0000042RR01L01"), true, true);
    expect(sent(collector.receive(Uint8Array.of(DLE, ACK0), now))).toEqual(Array.from(header));
  });

  it("gives up with TIMEOUT when WACKs go on past the 60 s guard", () => {
    const collector = new DexCollector({ communicationId: "HHT0000042" });
    collector.start();
    collector.tick(0);
    const events: DexEvent[] = [];
    for (let now = 1; now < 70_000 && !collector.finished; now += 250) {
      events.push(...collector.receive(Uint8Array.of(DLE, WACK), now).events);
      events.push(...collector.tick(now + 200).events);
    }
    expect(events).toEqual([expect.objectContaining({ type: "failed", reason: "TIMEOUT" })]);
    expect(events[0]?.type === "failed" && events[0].detail).toMatch(/WACK for more than 60000 ms/);
  });
});

describe("DEX/UCS: an audit whose final EOT never came", () => {
  it("is complete once its last block was acknowledged: kept, with eot false", () => {
    let eots = 0;
    const { deviceEvents, collectorEvents } = run(audit, (_n, chunk) =>
      // the first lone EOT ends the first handshake; the second handshake's EOT leaves in one
      // write with the ENQ that opens the data, so the second lone EOT is the data's
      chunk.length === 1 && chunk[0] === EOT && ++eots === 2 ? { ...CLEAN, drop: true } : CLEAN,
    );
    const received = collectorEvents.find((e) => e.type === "received");
    expect(received).toMatchObject({ type: "received", eot: false });
    expect(received?.type === "received" && Buffer.from(received.data).equals(Buffer.from(audit))).toBe(true);
    expect(deviceEvents.at(-1)).toEqual({ type: "collected" });
  });
});

describe("DEX/UCS: the first handshake is judged (4.5.4-4.5.7, pp. 114-115)", () => {
  it.each([
    ["HHT0000042RR01L01", "00"],
    ["CNV   DE32RR00L06", "00"],
    ["HHT000042RR01L01", "01"],
    ["HHT00000042RR01L01", "01"],
    ["hht0000042RR01L01", "01"],
    ["HHT00*0042RR01L01", "01"],
    ["HHT0000042RR02L09", "02"],
    ["HHT0000042XR01L01", "05"],
    ["HHT0000042SR01L01", "05"],
    ["R01", "05"],
  ])("%s gets %s", (header, code) => {
    expect(checkFirstHandshake(bytes(header), "R").code).toBe(code);
  });

  it("a collector with a malformed ID or an unknown revision is refused with 01 or 02, and no data is sent", () => {
    for (const [options, code] of [
      [{ collectorId: "hht0000042" }, "01"],
      [{ collectorRevision: "R07L07" }, "02"],
    ] as const) {
      const { deviceEvents, collectorEvents } = run(audit, () => CLEAN, options);
      expect(collectorEvents).toContainEqual(
        expect.objectContaining({ type: "handshake", detail: `response ${code}` }),
      );
      expect(collectorEvents.at(-1)).toMatchObject({ type: "failed", reason: "REFUSED" });
      expect(deviceEvents.at(-1)).toMatchObject({ type: "failed", reason: "REFUSED" });
      expect(deviceEvents.at(-1)?.type === "failed" && deviceEvents.at(-1)).toMatchObject({
        detail: expect.stringMatching(new RegExp(`^answered ${code}: `)),
      });
      expect(collectorEvents.some((e) => e.type === "progress" || e.type === "received")).toBe(false);
    }
  });
});
