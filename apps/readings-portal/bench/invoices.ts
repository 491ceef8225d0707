// Issuing the invoices of a month for 10,000 customers in one run, on SQLite and on PostgreSQL:
// the time and how far the process's memory grows. Run: npm run bench -w @vendkit/readings-portal
import type { Db } from "../src/db.js";
import { OPERATOR, rig } from "../src/test-support.js";
import { onBothDatabases } from "./databases.js";

const CUSTOMERS = 10_000;

/** Customers, each with a copier on a monthly contract and the two readings of February, straight into the tables. */
async function fleet(db: Db): Promise<void> {
  const terms = JSON.stringify({
    mono: {
      included: 1000,
      tiers: [
        { price: 80, per: 100, upTo: 5000 },
        { price: 60, per: 100 },
      ],
    },
    colour: { included: 100, tiers: [{ price: 9, per: 1 }] },
  });
  await db.transaction(async (q) => {
    for (let i = 0; i < CUSTOMERS; i++) {
      await q.run(`INSERT INTO customers (id, name, email) VALUES ($1, $2, 'bench@customer.example')`, [
        `C-${i}`,
        `Customer ${i}`,
      ]);
      await q.run(
        `INSERT INTO devices (id, model, serial, counters, consumables) VALUES ($1, 'Copier', $1, $2, '[]')`,
        [`D-${i}`, JSON.stringify(["mono", "colour"])],
      );
      await q.run(
        `INSERT INTO installations (id, device_id, customer_id, site) VALUES ($1, $2, $3, 'site')`,
        [`I-${i}`, `D-${i}`, `C-${i}`],
      );
      await q.run(
        `INSERT INTO contracts (installation_id, period, reading_day, start, fee, minimum_charge, terms)
         VALUES ($1, 'monthly', 28, '2026-01-28', 5000, 8000, $2)`,
        [`I-${i}`, terms],
      );
      for (const [date, k] of [
        ["2026-01-28", 1],
        ["2026-02-28", 2],
      ] as const)
        await q.run(
          `INSERT INTO readings (installation_id, date, counters, source, received_at, receipt, findings)
           VALUES ($1, $2, $3, 'operator', $2, $4, '[]')`,
          [
            `I-${i}`,
            date,
            JSON.stringify({ mono: 10_000 * k + (i % 7) * 900, colour: 500 * k + (i % 5) * 40 }),
            `R-${i}-${k}`,
          ],
        );
    }
  });
}

async function measure(name: string, db: Db): Promise<void> {
  const r = await rig(db);
  try {
    await fleet(db);
    const rssBefore = process.memoryUsage().rss;
    const heapBefore = process.memoryUsage().heapUsed;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }, 20);
    const t = performance.now();
    const issued = await r.portal.invoices.issue(OPERATOR, "2026-02");
    const seconds = (performance.now() - t) / 1000;
    clearInterval(sampler);
    const heapGrowth = (process.memoryUsage().heapUsed - heapBefore) / 1_048_576;
    if (issued.length !== CUSTOMERS) throw new Error(`issued ${issued.length} invoices, not ${CUSTOMERS}`);
    const last = issued[issued.length - 1]?.number;
    console.log(
      `${name}: ${CUSTOMERS} invoices (${issued[0]?.number} .. ${last}) in ${seconds.toFixed(1)} s, ${(CUSTOMERS / seconds).toFixed(0)}/s, RSS +${((Math.max(rssPeak, process.memoryUsage().rss) - rssBefore) / 1_048_576).toFixed(0)} MB (JavaScript heap ${heapGrowth >= 0 ? "+" : ""}${heapGrowth.toFixed(0)} MB at the end)`,
    );
  } finally {
    await r.close();
  }
}

console.log(`invoices of 2026-02 for ${CUSTOMERS} customers, one run each (node ${process.version})`);
await onBothDatabases("invoices", measure);
