/**
 * Handler time per message: 1,000,000 bytes through a master and a VMC simulator in memory,
 * each `receive` call timed alone, against a baseline that times an empty handler the same way (the
 * clock's own cost). The budget is one byte time at 9600 baud (11 bits ≈ 1.15 ms): a handler
 * must answer well inside it.
 *
 *   npm run bench -w @vendkit/executive
 */
import { ExecutiveMaster } from "../src/master.js";
import { VmcSimulator } from "../src/simulators.js";
import { creditBlock } from "../src/wire.js";

const MESSAGES = 1_000_000;
const master = new ExecutiveMaster();
const vmc = new VmcSimulator({ priceSystem: "prices-on-vmc", prices: [50, 60, 70], baseCoin: 10, vendMs: 3 });
const times = new Float64Array(MESSAGES);
const base = new Float64Array(MESSAGES);
let n = 0;
let now = 0;
let credit = 100_000;
master.display(creditBlock(credit, 10, 2));
let toSlave: number[] = [];
let toMaster: number[] = [];
/** What a step sends, onto the line (an index loop: spreading a typed array walks an iterator). */
const append = (line: number[], send: Uint8Array) => {
  for (let i = 0; i < send.length; i++) line.push(send[i] as number);
};
const timed = (f: () => void) => {
  const t = process.hrtime.bigint();
  f();
  if (n < MESSAGES) times[n++] = Number(process.hrtime.bigint() - t);
};
while (n < MESSAGES) {
  now += 1;
  if (now % 50 === 0) vmc.press(1 + (now % 3));
  const arriving = toMaster;
  toMaster = [];
  for (const byte of arriving)
    timed(() => {
      const o = master.receive([byte], now);
      append(toSlave, o.send);
      for (const e of o.events) {
        if (e.kind === "vend-request") master.approve();
        if (e.kind === "vend-result" && e.success) {
          credit = credit === 100_000 ? 99_990 : 100_000; // a new display block after each vend
          master.display(creditBlock(credit, 10, 2));
        }
      }
    });
  append(toSlave, master.tick(now).send);
  const sending = toSlave;
  toSlave = [];
  for (const byte of sending) timed(() => append(toMaster, vmc.receive([byte], now).send));
  append(toMaster, vmc.tick(now).send);
}
const noop = () => {};
for (let i = 0; i < MESSAGES; i++) {
  const t = process.hrtime.bigint();
  noop();
  base[i] = Number(process.hrtime.bigint() - t);
}
const pct = (a: Float64Array, p: number) => {
  const s = Float64Array.from(a).sort();
  return s[Math.floor((s.length - 1) * p)] as number;
};
const us = (ns: number) => `${(ns / 1000).toFixed(2)} µs`;
console.log(`messages: ${MESSAGES} (node ${process.version}), ${vmc.delivered.length} vends`);
console.log(`handler per message   p50 ${us(pct(times, 0.5))}   p99 ${us(pct(times, 0.99))}`);
console.log(`baseline (empty)      p50 ${us(pct(base, 0.5))}   p99 ${us(pct(base, 0.99))}`);
console.log(
  `budget: one byte at 9600 baud = 1145.83 µs; p99 uses ${((pct(times, 0.99) / 1_145_833) * 100).toFixed(3)} %`,
);
