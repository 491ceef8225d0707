import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bothWays, fromHex } from "@vendkit/test-support";
import { describe, expect, it } from "vitest";
import { decodeApp, encodeApp } from "./application.js";
import { AuditCollector, type AuditCollectorEvent } from "./audit-collector.js";
import { AuditDevice, type AuditDeviceEvent } from "./audit-device.js";
import { type DdcmpMessage, encodeMessage, MessageParser } from "./messages.js";

/**
 * test-vectors/eva-trace-session.jsonl: EVA's example session (the trace of "trace appl. notes"
 * in the EVA-DTS package: a list-2 read of 551 bytes, DELETE DATA, FINISH), as the trace prints
 * it; block payloads, which the trace leaves out, are a made-up text of the right length.
 */
const here = dirname(fileURLToPath(import.meta.url));
const [head, ...frames] = readFileSync(join(here, "..", "test-vectors", "eva-trace-session.jsonl"), "utf8")
  .trim()
  .split("\n")
  .map(
    (l) =>
      JSON.parse(l) as {
        from: "master" | "slave";
        hex: string;
        note: string;
        text: string;
        finishExample: string;
      },
  );
const text = Uint8Array.from(Buffer.from(head?.text ?? "", "hex"));
const zeroTurnaround = { turnaround: 0 };

/** Feeds one side's frames to `end`; checks that what it sends equals the other side's frames. */
function replay(
  ours: "master" | "slave",
  end: {
    receive(b: Uint8Array, now: number): { send: Uint8Array };
    tick(now: number): { send: Uint8Array };
  },
  first: Uint8Array,
): void {
  let sent = Buffer.from(first).toString("hex");
  let now = 1;
  let expected = "";
  for (const f of frames) {
    if (f.from === ours) {
      expected += f.hex;
      continue;
    }
    // the other side speaks: what we sent since it last spoke must be exactly the trace's
    expect(sent).toBe(expected);
    sent = "";
    expected = "";
    sent += Buffer.from(end.receive(Uint8Array.from(Buffer.from(f.hex, "hex")), now++).send).toString("hex");
    sent += Buffer.from(end.tick(now++).send).toString("hex");
  }
  expect(sent).toBe(expected);
}

describe("EVA's example session (test-vectors/eva-trace-session.jsonl)", () => {
  it("holds the trace's frames, each parsing with good CRCs", () => {
    expect(frames).toHaveLength(50);
    for (const f of frames) {
      const parsed = new MessageParser().push(Buffer.from(f.hex, "hex"));
      expect(parsed).toHaveLength(1);
      expect(parsed[0]?.kind).not.toBe("error");
    }
    expect(new MessageParser().push(Buffer.from(head?.finishExample ?? "", "hex"))).toMatchObject([
      { kind: "data", resp: 5, num: 3, addr: 1, data: Uint8Array.of(0x77, 0xff) },
    ]);
  });

  it("our collector, fed the machine's bytes, sends the data carrier's bytes", () => {
    const events: AuditCollectorEvent[] = [];
    const collector = new AuditCollector({
      maxBaudCode: 0,
      lists: [2],
      deleteAfterRead: true,
      clock: () => ({ year: 1998, month: 1, day: 9, hour: 9, minute: 33, second: 3 }),
      timing: zeroTurnaround,
    });
    const wrap = {
      receive: (b: Uint8Array, now: number) => {
        const r = collector.receive(b, now);
        events.push(...r.events);
        return r;
      },
      tick: (now: number) => collector.tick(now),
    };
    collector.start();
    replay("master", wrap, collector.tick(0).send);
    const received = events.find((e) => e.type === "received");
    expect(received).toMatchObject({ type: "received", confirmed: true });
    expect(
      received?.type === "received" && Buffer.from(received.lists[0]?.data ?? []).equals(Buffer.from(text)),
    ).toBe(true);
    expect(events.find((e) => e.type === "identified")).toMatchObject({
      device: { version: 0x46, manufacturer: 0x63 },
    });
  });

  it("our device, fed the data carrier's bytes, sends the machine's bytes", () => {
    const events: AuditDeviceEvent[] = [];
    const device = new AuditDevice(
      {
        maxBaudCode: 0,
        serial: new Uint8Array(8),
        version: 0x46,
        manufacturer: 0x63,
        blockSize: 34,
        timing: zeroTurnaround,
      },
      (list) => (list === 2 ? text : undefined),
    );
    const wrap = {
      receive: (b: Uint8Array, now: number) => {
        const r = device.receive(b, now);
        events.push(...r.events);
        return r;
      },
      tick: (now: number) => device.tick(now),
    };
    replay("slave", wrap, new Uint8Array(0));
    // a security read (list 2) never counts as a collection
    expect(events.some((e) => e.type === "collected")).toBe(false);
    expect(events.filter((e) => e.type === "read")).toEqual([{ type: "read", list: 2, length: 551 }]);
  });
});

describe("EVA's example session, frame by frame, through the one both-ways helper", () => {
  // each frame of the trace is a DDCMP message: it encodes back to the trace's bytes
  const parsed = frames.map((f, i) => {
    const [m] = new MessageParser().push(fromHex(f.hex));
    return {
      name: `frame ${i + 1} (${f.from}): ${f.note}`,
      message: m as DdcmpMessage,
      bytes: fromHex(f.hex),
    };
  });
  bothWays(parsed, {
    encode: encodeMessage,
    decode: (bytes) => new MessageParser().push(bytes)[0] as DdcmpMessage,
  });
  // and the application message a data frame carries encodes back to its data, for the layouts
  // the table knows (the made-up block payloads included)
  const data = parsed.flatMap((p) => (p.message.kind === "data" ? [{ ...p, bytes: p.message.data }] : []));
  bothWays(
    data.map((d) => ({
      name: `${d.name}, its application message`,
      message: decodeApp(d.bytes),
      bytes: d.bytes,
    })),
    { encode: encodeApp, decode: (bytes) => decodeApp(Uint8Array.from(bytes)) },
  );
});
