import type { Step } from "@vendkit/machine";
import { CLEAN, type Fault, faultArb, LossyLine } from "@vendkit/test-support";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeMessage, MessageParser } from "./messages.js";
import { Station, type StationEvent } from "./station.js";

/** Two stations over an in-memory line; A sends `messages` to B. */
function link(
  messages: Uint8Array[],
  window: number,
  faults: (n: number, bytes: Uint8Array) => Fault = () => CLEAN,
) {
  const a = new Station({ replyTimeout: 40, retries: 6, window });
  const b = new Station({ replyTimeout: 40, retries: 6, window });
  const events = { a: [] as StationEvent[], b: [] as StationEvent[] };
  const line = new LossyLine<"a" | "b">(faults, 2);
  const post = (out: Step<StationEvent>, from: "a" | "b", now: number) => {
    events[from].push(...out.events);
    line.send(out.send, from === "a" ? "b" : "a", now);
  };
  a.start();
  post(a.tick(0), "a", 0);
  let queued = false;
  for (let now = 0; now < 100_000; now++) {
    if (!queued && a.state === "running") {
      queued = true;
      for (const m of messages) a.send(m);
      post(a.tick(now), "a", now);
    }
    for (const m of line.arrived(now)) post((m.to === "a" ? a : b).receive(m.bytes, now), m.to, now);
    post(a.tick(now), "a", now);
    post(b.tick(now), "b", now);
    if (a.state === "failed" || b.state === "failed") break;
    if (queued && a.pending === 0 && line.empty) break;
  }
  const received = events.b
    .filter((e) => e.type === "data")
    .map((e) => (e.type === "data" ? e.data : new Uint8Array()));
  return { a, b, events, received };
}

const payloads = (n: number) =>
  Array.from({ length: n }, (_, i) => Uint8Array.from([i & 0xff, (i >> 8) & 0xff, 0x81, 0x05, 0x90]));

describe("DDCMP station", () => {
  it("spends a retry on each NAK that acknowledges nothing new, and fails typed when they run out", () => {
    const a = new Station({ replyTimeout: 40, retries: 3 });
    a.start();
    const strt = a.tick(0);
    const parser = new MessageParser();
    expect(parser.push(strt.send)).toMatchObject([{ kind: "start" }]);
    a.receive(encodeMessage({ kind: "stack", addr: 1, flags: 0x40, sbd: 0, mbd: 0 }), 1);
    expect(a.state).toBe("running");
    a.send(Uint8Array.of(1, 2, 3));
    const nak = encodeMessage({ kind: "nak", resp: 0, reason: 2, addr: 1, flags: 0x40 });
    for (let t = 2; t < 5; t++)
      expect(parser.push(a.receive(nak, t).send)).toMatchObject([{ kind: "data", num: 1 }]);
    const last = a.receive(nak, 5);
    expect(last.events).toEqual([
      { type: "failed", reason: "TOO_MANY_RETRIES", detail: "NAKed 4 times in a row" },
    ]);
    expect(a.state).toBe("failed");
  });

  it("starts with STRT/STACK/ACK and delivers in order, across the 8-bit sequence wrap", () => {
    const messages = payloads(600);
    const { a, b, events, received } = link(messages, 4);
    expect(a.state).toBe("running");
    expect(b.state).toBe("running");
    expect(events.a[0]).toEqual({ type: "running" });
    expect(received).toEqual(messages);
    expect(events.a.filter((e) => e.type === "acked")).toHaveLength(600);
  });

  it("answers a damaged data message with NAK reason 2 and recovers", () => {
    const messages = payloads(5);
    let flipped = false;
    const { received, events } = link(messages, 1, (_n, bytes) => {
      if (bytes[0] === 0x81 && !flipped) {
        flipped = true;
        return { ...CLEAN, flip: 11 };
      }
      return CLEAN;
    });
    expect(received).toEqual(messages);
    expect(events.b.some((e) => e.type === "nak-sent" && e.reason === 2)).toBe(true);
  });

  it("fails with a typed timeout when the other end goes silent", () => {
    const { a, events } = link(payloads(3), 1, (n) => (n >= 3 ? { ...CLEAN, drop: true } : CLEAN));
    expect(a.state).toBe("failed");
    expect(events.a.at(-1)).toMatchObject({ type: "failed", reason: "TIMEOUT" });
    const nobody = new Station({ replyTimeout: 10, retries: 2 });
    nobody.start();
    nobody.tick(0);
    const out = [nobody.tick(10), nobody.tick(20), nobody.tick(30)];
    expect(out[2]?.events).toEqual([
      { type: "failed", reason: "START_TIMEOUT", detail: "no answer after 2 STRTs" },
    ]);
  });

  it("over a lossy line (drops, bit flips, duplicates, delays) delivers every message once, in order, or fails with a typed error", () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(faultArb(60), { nil: undefined, freq: 3 }), { maxLength: 80 }),
        fc.integer({ min: 1, max: 4 }),
        (plan, window) => {
          const messages = payloads(40);
          const { received, a, b, events } = link(messages, window, (n) => plan[n] ?? CLEAN);
          // whatever arrived is a prefix of what was sent: nothing lost in the middle, doubled or changed
          expect(received).toEqual(messages.slice(0, received.length));
          if (received.length < messages.length) {
            expect([a.state, b.state]).toContain("failed");
            expect([...events.a, ...events.b].some((e) => e.type === "failed")).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
