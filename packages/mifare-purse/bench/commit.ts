/**
 * Blocks written and read per committed sale, and commits per second on the simulator, against
 * a baseline that writes the credit as one plain block with no copy, CRC or MAC (not tear-safe)
 * measured in the same run.
 *
 *   npm run bench -w @vendkit/mifare-purse
 */
import { firstBlock, SimulatedCard } from "../src/card.js";
import { PurseSystem, recordSector } from "../src/purse.js";
import { EMPTY_STATE } from "../src/record.js";

const SALES = 20_000;
const system = new PurseSystem({
  masterKey: Uint8Array.from(Buffer.from("8f2a61c03d9e4b7758a1e6f0c2d4b913", "hex")),
  operatorCode: 1,
  format: 1,
});
const card = new SimulatedCard(Uint8Array.of(4, 1, 2, 3));
await system.format(
  card,
  { keyNumber: 1, customerCode: 1, departmentCode: 1, priceLevel: 0, keyFunction: "sale", rechargeValue: 0 },
  {
    ...EMPTY_STATE,
    credit: 2_000_000_000,
  },
);

let view = await system.read(card);
const w0 = card.writes;
const r0 = card.reads;
let t0 = performance.now();
for (let i = 0; i < SALES; i++)
  view = await system.commit(card, view, { ...view.state, credit: view.state.credit - 50 });
const commitMs = performance.now() - t0;
const writesPerSale = (card.writes - w0) / SALES;
const readsPerSale = (card.reads - r0) / SALES;

t0 = performance.now();
for (let i = 0; i < SALES / 4; i++) {
  const v = await system.read(card);
  view = await system.commit(card, v, { ...v.state, credit: v.state.credit - 50 });
}
const cycleMs = performance.now() - t0;

// Baseline: one plain block rewritten per sale.
const plain = new SimulatedCard(Uint8Array.of(4, 1, 2, 4));
const key = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
const block = firstBlock(recordSector(0, 0));
const data = new Uint8Array(16);
t0 = performance.now();
for (let i = 0; i < SALES; i++) {
  await plain.authenticate(block, "B", key).catch(() => plain.authenticate(block, "A", key));
  new DataView(data.buffer).setInt32(0, 2_000_000_000 - 50 * i, true);
  await plain.writeBlock(block, data);
}
const plainMs = performance.now() - t0;

console.log(`sales committed: ${SALES} (node ${process.version})`);
console.log(`blocks written per committed sale: ${writesPerSale} (baseline plain block: 1)`);
console.log(`blocks read back per committed sale: ${readsPerSale}`);
console.log(
  `commits/s: ${Math.round(SALES / (commitMs / 1000))} (baseline plain block: ${Math.round(SALES / (plainMs / 1000))})`,
);
console.log(`read + commit cycles/s: ${Math.round(SALES / 4 / (cycleMs / 1000))}`);
