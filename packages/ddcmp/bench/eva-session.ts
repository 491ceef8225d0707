/**
 * EVA-DTS audit collection over DDCMP against the physical limit of its stop-and-wait profile.
 *
 * A 60 KiB audit (known length) and a 200 KiB one (unknown length, select flag) go from an
 * `AuditDevice` to an `AuditCollector` at 2400, 9600, 38400 and 115200 baud, with the largest
 * block the 256-byte buffer allows (236 text bytes) and with 64 and 128-byte blocks, over a
 * simulated half-duplex line: a byte takes 10 bit times, one side speaks at a time, and each
 * station waits its turnaround before answering — Table 2's minimum (40 ms), and the 13 ms of
 * EVA's own 1999 trace as a second case.
 *
 * The limit of the profile, per block of n text bytes: the data message (8 header + 2 block
 * type and number + n + 2 CRC bytes), a turnaround, the 8-byte ACK, a turnaround. Ours is the
 * time from the first block's first byte to the last block's ACK, as a share of that limit.
 *
 *   npm run bench -w @vendkit/ddcmp
 */
import { AuditCollector } from "../src/audit-collector.js";
import { AuditDevice } from "../src/audit-device.js";
import { BAUD_CODES, baudCode } from "../src/eva-profile.js";
import { CLOCK } from "../src/test-support.js";
import { messages } from "./line.js";

interface Result {
  readonly ours: number;
  readonly limit: number;
  readonly bytesPerSecond: number;
  readonly wallMs: number;
}

function session(
  size: number,
  baud: number,
  block: number,
  turnaround: number,
  unknownLength: boolean,
): Result {
  const audit = Uint8Array.from({ length: size }, (_, i) => 0x20 + (i % 90));
  const timing = { turnaround, linkTimeout: 60_000, longLinkTimeout: 60_000 };
  const device = new AuditDevice(
    { maxBaudCode: baudCode(baud), blockSize: block, selectFlag: unknownLength, timing, linger: 0 },
    () => audit,
  );
  const collector = new AuditCollector({ clock: CLOCK, maxBaudCode: baudCode(baud), timing });
  // the line: one chunk at a time in either direction (half duplex), at the rate in use
  let lineFree = 0;
  const queue: { at: number; to: "device" | "collector"; bytes: Uint8Array }[] = [];
  let firstBlock = Number.NaN;
  let lastAck = Number.NaN;
  const post = (bytes: Uint8Array, from: "device" | "collector", now: number, rate: number) => {
    for (const m of messages(bytes)) {
      const start = Math.max(now, lineFree);
      const end = start + (m.length * 10_000) / rate;
      lineFree = end;
      if (from === "device" && m[0] === 0x81 && m[8] === 0x99 && Number.isNaN(firstBlock)) firstBlock = start;
      queue.push({ at: end, to: from === "device" ? "collector" : "device", bytes: m });
    }
  };
  const wall = performance.now();
  collector.start();
  post(collector.tick(0).send, "collector", 0, 2400);
  let done = false;
  while (queue.length > 0 && !done) {
    queue.sort((a, b) => a.at - b.at);
    const m = queue.shift() as (typeof queue)[number];
    const end = m.to === "device" ? device : collector;
    const from = m.to;
    const r = end.receive(m.bytes, m.at);
    post(r.send, from, m.at, end.baud);
    // what the turnaround held goes out once it has passed
    const t = end.tick(m.at + turnaround);
    post(t.send, from, m.at + turnaround, end.baud);
    for (const e of [...r.events, ...t.events])
      if (e.type === "progress" && "total" in e && e.done === size && from === "device") lastAck = m.at;
    done = collector.finished && device.finished;
  }
  const rate = BAUD_CODES[baudCode(baud)] as number;
  const byteMs = 10_000 / rate;
  let limit = 0;
  for (let at = 0; at < size; at += block) {
    const n = Math.min(block, size - at);
    limit += (12 + n) * byteMs + turnaround + 8 * byteMs + turnaround;
  }
  // measured up to the last ACK's arrival: the turnaround after it is not part of the transfer
  limit -= turnaround;
  const ours = lastAck - firstBlock;
  return { ours, limit, bytesPerSecond: (size / ours) * 1000, wallMs: performance.now() - wall };
}

const cases: [string, number, boolean][] = [
  ["60 KiB, known length", 60 * 1024, false],
  ["200 KiB, unknown length", 200 * 1024, true],
];
console.log(`EVA-DTS over DDCMP, stop and wait (node ${process.version})`);
for (const turnaround of [40, 13]) {
  console.log(
    `\nturnaround ${turnaround} ms (${turnaround === 40 ? "Table 2 minimum" : "EVA's 1999 trace"})`,
  );
  for (const [name, size, unknown] of cases) {
    for (const baud of [2400, 9600, 38400, 115200]) {
      const cells = [236, 128, 64].map((block) => {
        const r = session(size, baud, block, turnaround, unknown);
        return `${String(block).padStart(3)} B: ${((r.limit / r.ours) * 100).toFixed(2)}% ${Math.round(r.bytesPerSecond)} B/s ${r.wallMs.toFixed(0)} ms CPU`;
      });
      console.log(`${name.padEnd(24)} ${String(baud).padStart(6)} baud  ${cells.join("   ")}`);
    }
  }
}
