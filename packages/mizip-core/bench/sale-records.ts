/**
 * What the records of one sale cost on the reader's side: the statistics update (with 300
 * counters already in the store) plus the Maxi Box entry, prepared and committed together to
 * the in-memory storage, against a baseline that commits two records of the same sizes
 * prepared in advance.
 *
 *   npm run bench -w @vendkit/mizip-core
 */
import { MaxiBox, type MaxiBoxEntry } from "../src/maxi-box.js";
import { Statistics } from "../src/statistics.js";
import { MemoryStorage } from "../src/storage.js";

const SALES = 20_000;
const storage = new MemoryStorage();
const stats = new Statistics(storage);
const box = new MaxiBox(storage);
stats.add(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`S${i + 1}`, i])));

const started = process.hrtime.bigint();
for (let i = 0; i < SALES; i++) {
  const entry: MaxiBoxEntry = {
    kind: "sale",
    at: 1_790_000_000_000 + i * 1000,
    keyNumber: 1 + (i % 500),
    sale: "no-discount",
    selection: 1 + (i % 30),
    amount: 50 + (i % 7) * 10,
  };
  const records = stats.prepareAdd({ S1: entry.amount, S290: 1 });
  for (const [k, v] of box.prepare(entry, "overwrite")) records.set(k, v);
  storage.commit(records);
}
const perSale = Number(process.hrtime.bigint() - started) / SALES / 1000;

const sample = new Map([
  ["stats/current", storage.get("stats/current") ?? new Uint8Array()],
  ["maxibox/e/00000", storage.get("maxibox/e/00000") ?? new Uint8Array()],
]);
const baseStart = process.hrtime.bigint();
for (let i = 0; i < SALES; i++) storage.commit(sample);
const perBaseline = Number(process.hrtime.bigint() - baseStart) / SALES / 1000;

console.log(`sales: ${SALES} (node ${process.version})`);
console.log(
  `statistics + Maxi Box records per sale   ${perSale.toFixed(1)} µs (${Math.round(1e6 / perSale)} sales/s)`,
);
console.log(`baseline: commit of prepared records     ${perBaseline.toFixed(1)} µs`);
console.log(`check: S1 period ${stats.get("S1").period}, Maxi Box holds ${box.entries().length}`);
