/**
 * Simulated sales per second through the whole stack — MDB words from the VMC, the cashless
 * reader, the payment system, the key write, the SQLite commit (WAL, synchronous FULL) and the
 * reply words — and the time from the VMC's VEND REQUEST to its VEND APPROVED, p50 and p99.
 * Baseline: the same number of empty SQLite transactions with synchronous FULL, the floor the
 * durable commits put under every sale.
 *
 *   npm run bench -w @vendkit/reference-device
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Device } from "../src/device.js";
import { SqliteStorage } from "../src/sqlite-storage.js";

const SALES = 1000;
const device = await Device.open(mkdtempSync(join(tmpdir(), "vendkit-bench-")));
// the coins below add more than they buy: the maximum loadable credit (40000) goes to its top so
// every recharge lands, as in the figures before the limit was enforced
await device.settings.setParameter(40000, 65_535);
await device.insertKey(1); // 10.00: enough for the first sales, topped up with coins below
const approvals: number[] = [];
const started = process.hrtime.bigint();
for (let i = 0; i < SALES; i++) {
  if (i % 2 === 0) await device.cash.coin(200);
  const t = process.hrtime.bigint();
  const amount = await device.select(1 + (i % 3));
  approvals.push(Number(process.hrtime.bigint() - t) / 1e6);
  if (amount === undefined) throw new Error(`sale ${i} refused`);
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
device.close();

const floor = new SqliteStorage(join(mkdtempSync(join(tmpdir(), "vendkit-bench-")), "floor.sqlite"));
const one = new Map([["k", Uint8Array.of(1)]]);
const floorStart = process.hrtime.bigint();
for (let i = 0; i < SALES * 4; i++) floor.commit(one);
const perCommit = Number(process.hrtime.bigint() - floorStart) / 1e6 / (SALES * 4);
floor.close();

approvals.sort((a, b) => a - b);
const pct = (p: number) => (approvals[Math.floor((approvals.length - 1) * p)] as number).toFixed(2);
console.log(`sales: ${SALES} key sales + ${SALES / 2} coin recharges (node ${process.version})`);
console.log(`throughput            ${(SALES / seconds).toFixed(0)} sales/s`);
console.log(`vend request → approved + vend success, p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms`);
console.log(`baseline: one durable SQLite commit ${perCommit.toFixed(3)} ms (a key sale makes 4)`);
