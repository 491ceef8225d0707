/**
 * What the records of one sale cost on the reader's side: the statistics update (with 300
 * counters already in the store) plus the Maxi Box entry, prepared and committed together to
 * the in-memory storage, against a baseline that commits two records of the same sizes
 * prepared in advance. Then a whole key sale through the payment system (key read, price,
 * journalled key write, statistics + Maxi Box commit) on a simulated card.
 *
 *   npm run bench -w @vendkit/mizip-core
 */
import { MaxiBox, type MaxiBoxEntry } from "../src/maxi-box.js";
import { Statistics } from "../src/statistics.js";
import { MemoryStorage } from "../src/storage.js";
import { at, rig } from "../src/test-support.js";

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

const KEY_SALES = 1000;
const shop = rig({ saleType: 0, maxiBox: 2, maxUsableCredit: 65_535 });
const card = await shop.key(4711, 65_000);
const commitsBefore = shop.storage.commits;
const writesBefore = card.writes;
const keyStart = process.hrtime.bigint();
for (let i = 0; i < KEY_SALES; i++) {
  const now = at("09:00", i * 1000);
  await shop.pay.insertKey(card, now);
  const d = await shop.pay.vendRequest({ line: 1 + (i % 5) }, now);
  if (!d.approved) throw new Error(`sale ${i} refused: ${d.reason}`);
  await shop.pay.vendSuccess(now);
  await shop.pay.removeKey(now);
}
const perKeySale = Number(process.hrtime.bigint() - keyStart) / KEY_SALES / 1000;
console.log(
  `whole key sale (insert, vend, success)   ${perKeySale.toFixed(1)} µs (${Math.round(1e6 / perKeySale)} sales/s), ` +
    `${(shop.storage.commits - commitsBefore) / KEY_SALES} commits and ${(card.writes - writesBefore) / KEY_SALES} block writes per sale`,
);
