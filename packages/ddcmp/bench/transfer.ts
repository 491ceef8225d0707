/**
 * Effective DDCMP throughput for a 64 KiB transfer, as a share of the line-rate limit (baud/10
 * bytes per second), at 9600, 38400 and 115200 baud with 64, 128 and 240-byte messages, on a
 * simulated full-duplex line: every byte takes 10 bit times, and each end needs `turnaround` ms
 * before it answers. Windows of 1 (stop and wait, as simple collectors do) and 8.
 *
 *   npm run bench -w @vendkit/ddcmp
 */
import type { Step } from "@vendkit/machine";
import { Station, type StationEvent } from "../src/station.js";
import { messages } from "./line.js";

const TOTAL = 64 * 1024;
const TURNAROUND_MS = 2;

function transfer(baud: number, size: number, window: number): number {
  const byteMs = 10_000 / baud;
  const a = new Station({ replyTimeout: 5000, window });
  const b = new Station({ replyTimeout: 5000, window });
  // each direction is a serial line: a byte can start only when the previous one has left
  const lineFree = { a: 0, b: 0 };
  const inFlight: { at: number; to: "a" | "b"; bytes: Uint8Array }[] = [];
  let delivered = 0;
  let done = Number.NaN;
  const post = (out: Step<StationEvent>, from: "a" | "b", now: number) => {
    for (const e of out.events) if (from === "b" && e.type === "data") delivered += e.data.length;
    for (const bytes of messages(out.send)) {
      const start = Math.max(now + TURNAROUND_MS, lineFree[from]);
      const end = start + bytes.length * byteMs;
      lineFree[from] = end;
      inFlight.push({ at: end, to: from === "a" ? "b" : "a", bytes });
    }
  };
  a.start();
  post(a.tick(0), "a", 0);
  let started = Number.NaN;
  let now = 0;
  while (inFlight.length > 0) {
    inFlight.sort((x, y) => x.at - y.at);
    const m = inFlight.shift() as (typeof inFlight)[number];
    now = m.at;
    post((m.to === "a" ? a : b).receive(m.bytes, now), m.to, now);
    if (Number.isNaN(started) && a.state === "running") {
      started = now;
      for (let at = 0; at < TOTAL; at += size) a.send(new Uint8Array(Math.min(size, TOTAL - at)));
      post(a.tick(now), "a", now);
    }
    if (delivered >= TOTAL && Number.isNaN(done)) done = now;
  }
  const seconds = (done - started) / 1000;
  return TOTAL / seconds / (baud / 10);
}

console.log(`64 KiB transfer, turnaround ${TURNAROUND_MS} ms per answer (node ${process.version})`);
for (const window of [1, 8]) {
  for (const baud of [9600, 38400, 115200]) {
    const row = [64, 128, 240].map(
      (size) => `${size} B: ${(transfer(baud, size, window) * 100).toFixed(1)}%`,
    );
    console.log(`window ${window}, ${String(baud).padStart(6)} baud  ${row.join("   ")}`);
  }
}
