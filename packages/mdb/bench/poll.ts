/**
 * Time per POLL -> response in the cashless peripheral (as a block, and as the machine takes it
 * off the line: words in, words out), p50/p99 over 1,000,000 polls, as a
 * fraction of the spec's 5 ms response budget, and heap allocated per idle poll; against a
 * baseline that only checksums the block, measured in the same run.
 *
 *   npm run bench -w @vendkit/mdb
 */
import { CashlessPeripheral } from "../src/cashless/peripheral.js";
import { testReader } from "../src/cashless/test-support.js";
import { checksum } from "../src/link.js";

const N = 1_000_000;
const reader = new CashlessPeripheral({
  address: 0x10,
  identity: testReader({ model: "BENCH", level: 3 }),
});
const poll = Uint8Array.of(0x12);
const setup = Uint8Array.of(0x11, 0x00, 0x03, 0x10, 0x02, 0x00);
reader.handleBlock(Uint8Array.of(0x10));
reader.handleBlock(poll);
reader.handleAck();
reader.handleBlock(setup);
reader.handleBlock(Uint8Array.of(0x14, 0x01));

function percentiles(times: Float64Array): { p50: number; p99: number } {
  const sorted = Float64Array.from(times).sort();
  return { p50: sorted[Math.floor(N * 0.5)] as number, p99: sorted[Math.floor(N * 0.99)] as number };
}

function measure(fn: () => unknown): { p50: number; p99: number } {
  const times = new Float64Array(N);
  for (let i = 0; i < 10_000; i++) fn();
  for (let i = 0; i < N; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    times[i] = Number(process.hrtime.bigint() - t0);
  }
  return percentiles(times);
}

const idle = measure(() => reader.handleBlock(poll));

// The same POLL as the line brings it: its two words into the machine, the ACK word out.
const words = new CashlessPeripheral({ address: 0x10, identity: testReader({ model: "BENCH", level: 3 }) });
let now = 0;
const line = (w: ArrayLike<number>) => words.receive(w, now++);
line([0x110, 0x10]);
line([0x112, 0x12]);
line([0x000]);
line([0x111, 0x00, 0x03, 0x10, 0x02, 0x00, 0x26]);
line([0x000]);
line([0x114, 0x01, 0x15]);
const POLL_WORDS = Uint16Array.of(0x112, 0x12);
const idleWords = measure(() => {
  now += 2;
  return words.receive(POLL_WORDS, now);
});
const baseline = measure(() => checksum(poll));

// A busy poll: a begin session queued, polled and ACKed each time.
const busy = measure(() => {
  reader.beginSession(100);
  reader.handleBlock(poll);
  reader.handleAck();
  reader.handleBlock(Uint8Array.of(0x13, 0x04));
  reader.handleBlock(poll);
  reader.handleAck();
});

const gc = (globalThis as { gc?: () => void }).gc;
let perPoll = Number.NaN;
if (gc) {
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < N; i++) reader.handleBlock(poll);
  perPoll = (process.memoryUsage().heapUsed - before) / N;
}

const budget = 5_000_000; // 5 ms in ns
const show = (name: string, p: { p50: number; p99: number }) =>
  console.log(
    `${name.padEnd(34)} p50 ${p.p50} ns, p99 ${p.p99} ns (${((p.p99 / budget) * 100).toFixed(4)}% of the 5 ms budget)`,
  );
console.log(
  `polls: ${N} (node ${process.version}; hrtime around each call, so figures include ~50 ns of timer)`,
);
show("idle POLL -> ACK", idle);
show("idle POLL words -> ACK word", idleWords);
show("baseline: checksum of the block", baseline);
show("session: begin, poll, complete, poll", busy);
console.log(
  `heap growth per idle POLL: ${Number.isNaN(perPoll) ? "not measured (run with --expose-gc)" : `${perPoll.toFixed(3)} bytes`}`,
);
