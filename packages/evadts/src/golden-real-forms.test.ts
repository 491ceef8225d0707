import { bothWays, fromHex } from "@vendkit/test-support";
import { describe, expect, it } from "vitest";
import { type DexFrame, DexFrameParser, DLE, encodeFrame, SYN } from "./dex/frames.js";
import { DexCollector } from "./dex/roles.js";
import type { DexEvent } from "./dex/session.js";
import { parse } from "./parse.js";
import { goldenFile } from "./test-support.js";
import { validate } from "./validate.js";

/**
 * The forms real machines send, as golden files written by test-vectors/make-golden.py (an
 * independent Python implementation of the rules, not of this package's code).
 */
describe("golden: forms real machines send", () => {
  it("g85-no-final-line-end.eva_dts: the G85 variant is accepted and named", () => {
    const file = parse(goldenFile("g85-no-final-line-end.eva_dts"));
    expect(file.findings.map((f) => f.code)).toEqual(["G85_VARIANT"]);
    expect(file.valid).toBe(true);
    expect(file.transactionSets).toEqual([
      expect.objectContaining({ match: true, variant: "no-final-line-end" }),
    ]);
  });

  it("placeholders.eva_dts: warnings with their own codes, errors only when strict", () => {
    const file = parse(goldenFile("placeholders.eva_dts"));
    const found = validate(file).map((f) => [f.code, f.segment, f.element]);
    expect(found).toEqual([
      ["UNSET_VALUE", "ID4", 2],
      ["PLACEHOLDER_DATE", "PA5", 1],
      ["PLACEHOLDER_TIME", "PA5", 2],
      ["EMPTY_IDENTIFIER", "PA1", 1],
      ["EMPTY_IDENTIFIER", "EA1", 1],
    ]);
    expect(validate(file).every((f) => f.severity === "warning")).toBe(true);
    expect(validate(file, { mode: "strict" }).filter((f) => f.severity === "error")).toHaveLength(5);
  });

  it("framed-two-audits.txt: both audits found inside the transport framing", () => {
    const file = parse(goldenFile("framed-two-audits.txt"));
    expect(file.valid).toBe(true);
    expect(file.findings.map((f) => [f.code, f.line])).toEqual([
      ["OUTSIDE_ENVELOPE", 1],
      ["OUTSIDE_ENVELOPE", 9],
      ["OUTSIDE_ENVELOPE", 17],
    ]);
    expect(file.audits().map((a) => a.file.first("ID1")?.elements.slice(0, 2))).toEqual([
      ["NWK0000001", "KALEA"],
      ["CNV0000032", "CRANE"],
    ]);
    expect(file.transactionSets.every((s) => s.variant === "standard")).toBe(true);
  });

  it("dex-vmd-master.jsonl: our collector answers a machine that is master, byte for byte", () => {
    const [head, ...frames] = goldenFile("dex-vmd-master.jsonl")
      .toString("utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { audit?: string; from?: "vmd" | "dc"; hex?: string });
    const collector = new DexCollector({
      communicationId: "HHT0000042",
      timing: { ackTimeout: 1000, wackDelay: 200 },
    });
    collector.start();
    collector.tick(0); // its own ENQ, which the machine's ENQ crosses
    let now = 1;
    let sent: Uint8Array[] = [];
    const events: DexEvent[] = [];
    for (const frame of frames) {
      if (frame.from === "vmd") {
        now += 5;
        const step = collector.receive(Buffer.from(frame.hex ?? "", "hex"), now);
        if (step.send.length > 0) sent.push(step.send);
        events.push(...step.events);
        continue;
      }
      // the collector's answer; after a WACK it comes only once its wait is over
      for (let waited = 0; sent.length === 0 && waited < 1000; waited += 10) {
        now += 10;
        const step = collector.tick(now);
        if (step.send.length > 0) sent.push(step.send);
      }
      expect(Buffer.concat(sent).toString("hex")).toBe(frame.hex);
      sent = [];
    }
    expect(sent).toEqual([]);
    const received = events.find((e) => e.type === "received");
    expect(received?.type === "received" && Buffer.from(received.data).toString("hex")).toBe(head?.audit);
    expect(received).toMatchObject({ eot: true });
  });
});

describe("dex-vmd-master.jsonl, frame by frame, through the one both-ways helper", () => {
  const lines = goldenFile("dex-vmd-master.jsonl")
    .toString("utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { from?: "vmd" | "dc"; hex?: string })
    .filter((l) => l.hex !== undefined);
  const traced = lines.map((l, i) => {
    const bytes = fromHex(l.hex as string);
    const [frame] = new DexFrameParser().push(bytes);
    return { name: `frame ${i + 1} (${l.from}): ${frame?.kind}`, message: frame as DexFrame, bytes };
  });
  // a sender may pause inside a block with DLE SYN filler (Timer B); the filler carries nothing,
  // so such a frame is checked both ways in its plain form, and its traced form reads the same
  const filler = (bytes: Uint8Array) =>
    bytes.some((b, i) => b === DLE && bytes[i + 1] === SYN && bytes[i - 1] !== DLE);
  const vectors = traced.map((v) => (filler(v.bytes) ? { ...v, bytes: encodeFrame(v.message) } : v));
  it("has the trace's frames, none of them damaged, the paused ones reading as their plain form", () => {
    expect(traced.length).toBeGreaterThan(10);
    expect(traced.every((v) => v.message !== undefined && v.message.kind !== "bad-block")).toBe(true);
    const paused = traced.filter((v) => filler(v.bytes));
    expect(paused.length).toBeGreaterThan(0);
    for (const v of paused) expect(new DexFrameParser().push(encodeFrame(v.message))).toEqual([v.message]);
  });
  bothWays(vectors, {
    encode: encodeFrame,
    decode: (bytes) => new DexFrameParser().push(bytes)[0] as DexFrame,
  });
});
