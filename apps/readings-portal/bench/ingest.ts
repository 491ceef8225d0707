// Readings ingested per second (customer form posts over HTTP, CSV import, a zip of 10,000
// EVA-DTS audits) on SQLite and on PostgreSQL, and the time to bill a 10,000-installation period. Run: npm run bench -w @vendkit/readings-portal
import { buildAudit, write } from "@vendkit/evadts";
import { zipSync } from "fflate";
import type { Db } from "../src/db.js";
import { OPERATOR, served } from "../src/test-support.js";
import { onBothDatabases } from "./databases.js";

const INSTALLATIONS = 10_000;
const FORM_POSTS = 400;
const AUDITS = 10_000;

async function registry(db: Db, n: number) {
  // The registry straight into the tables: 10,000 scrypt-hashed accounts would bench scrypt.
  await db.run(`INSERT INTO customers (id, name, email) VALUES ('C', 'Bench Srl', 'bench@customer.example')`);
  await db.transaction(async (q) => {
    for (let i = 0; i < n; i++) {
      const id = `I-${i}`;
      await q.run(
        `INSERT INTO devices (id, model, serial, counters, consumables) VALUES ($1, 'Copier', $1, $2, $3)`,
        [
          `D-${i}`,
          JSON.stringify(["mono", "colour"]),
          JSON.stringify([{ name: "toner", counter: "mono", ratedYield: 20000 }]),
        ],
      );
      await q.run(
        `INSERT INTO installations (id, device_id, customer_id, site) VALUES ($1, $2, 'C', 'site')`,
        [id, `D-${i}`],
      );
      await q.run(
        `INSERT INTO contracts (installation_id, period, reading_day, start, fee, minimum_charge, terms) VALUES ($1, 'monthly', 28, '2026-01-28', 5000, NULL, $2)`,
        [
          id,
          JSON.stringify({
            mono: {
              included: 1000,
              tiers: [
                { price: 80, per: 100, upTo: 5000 },
                { price: 60, per: 100 },
              ],
            },
            colour: { included: 100, tiers: [{ price: 9, per: 1 }] },
          }),
        ],
      );
    }
  });
}

async function measure(name: string, db: Db) {
  const rig = await served(db);
  try {
    await rig.portal.createOperator("op", "operator-password");
    await registry(db, INSTALLATIONS);
    const csv = (date: string, k: number) =>
      ["installation,date,mono,colour,level:toner"]
        .concat(
          Array.from(
            { length: INSTALLATIONS },
            (_, i) =>
              `I-${i},${date},${10_000 * k + (i % 7) * 900},${500 * k + (i % 5) * 40},${100 - 10 * k}`,
          ),
        )
        .join("\n");
    let t = performance.now();
    const first = await rig.portal.imports.csv(OPERATOR, csv("2026-01-28", 1));
    const second = await rig.portal.imports.csv(OPERATOR, csv("2026-02-28", 2));
    const importSeconds = (performance.now() - t) / 1000;
    const accepted = [...first, ...second].filter((r) => r.outcome === "accepted").length;
    if (accepted !== 2 * INSTALLATIONS) throw new Error(`only ${accepted} rows accepted`);

    // Baseline: the bare cost of one committed INSERT per row, as the import pays per reading.
    await db.run(
      `CREATE TABLE baseline (installation_id TEXT, date TEXT, counters TEXT, PRIMARY KEY (installation_id, date))`,
    );
    t = performance.now();
    for (let i = 0; i < 2000; i++)
      await db.transaction((q) =>
        q.run(`INSERT INTO baseline VALUES ($1, '2026-01-28', '{"mono":1}')`, [`I-${i}`]),
      );
    const baselineRate = 2000 / ((performance.now() - t) / 1000);

    // A route's day as one zip: 10,000 audits of vending machines, each onto its installation.
    await db.run(
      `INSERT INTO customers (id, name, email) VALUES ('V', 'Vending Srl', 'route@customer.example')`,
    );
    await db.transaction(async (q) => {
      for (let i = 0; i < AUDITS; i++) {
        await q.run(
          `INSERT INTO devices (id, model, serial, counters, consumables) VALUES ($1, 'Coffee', $1, $2, '[]')`,
          [`VM-${i}`, JSON.stringify(["vends", "free", "test"])],
        );
        await q.run(
          `INSERT INTO installations (id, device_id, customer_id, site) VALUES ($1, $2, 'V', 'hall')`,
          [`VI-${i}`, `VM-${i}`],
        );
      }
    });
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < AUDITS; i++)
      files[`route-${Math.floor(i / 500)}/VM-${i}.eva`] = write(
        buildAudit(
          [
            { tag: "ID1", elements: [`VM-${i}`, "COFFEE"] },
            { tag: "ID5", elements: ["20260310", "0930"] },
            { tag: "VA1", elements: ["0", String(1000 + i), "0", "0"] },
            { tag: "VA2", elements: ["0", "3", "0", "0"] },
            { tag: "VA3", elements: ["0", "7", "0", "0"] },
          ],
          { communicationId: "ROUTE00001" },
        ),
      );
    const zip = zipSync(files);
    // the RSS sampled while it runs: its highest point over where it started
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }, 20);
    t = performance.now();
    const day = await rig.portal.imports.archive(OPERATOR, zip);
    const archiveSeconds = (performance.now() - t) / 1000;
    clearInterval(sampler);
    const archiveGrowth = (Math.max(rssPeak, process.memoryUsage().rss) - rssBefore) / 1_048_576;
    if (day.filter((r) => r.outcome === "accepted").length !== AUDITS)
      throw new Error(`only ${day.filter((r) => r.outcome === "accepted").length} audits accepted`);

    t = performance.now();
    const run = await rig.portal.reports.billing(OPERATOR, "2026-02");
    const billingMs = performance.now() - t;
    if (run.entries.filter((e) => e.bill).length !== INSTALLATIONS)
      throw new Error("not every installation billed");

    // Form posts: a customer session posting confirmed readings over HTTP (SMTP mail included).
    rig.clock.now = new Date("2026-03-27T10:00:00Z");
    await db.run(
      `INSERT INTO accounts (user_id, role, customer_id, password_hash) SELECT 'bench', 'customer', 'C', password_hash FROM accounts WHERE user_id = 'op'`,
    );
    const login = await fetch(`${rig.base}/login`);
    const pre = login.headers.getSetCookie()[0]?.split(";")[0] as string;
    const csrf = /name="csrf" value="([^"]+)"/.exec(await login.text())?.[1] as string;
    const session = (
      await fetch(`${rig.base}/login`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie: pre, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrf, userId: "bench", password: "operator-password" }).toString(),
      })
    ).headers
      .getSetCookie()
      .find((c) => c.startsWith("portal_session="))
      ?.split(";")[0] as string;
    const page = await (
      await fetch(`${rig.base}/customer/installations/I-0`, { headers: { cookie: session } })
    ).text();
    const token = /name="csrf" value="([^"]+)"/.exec(page)?.[1] as string;
    const latencies: number[] = [];
    t = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < FORM_POSTS) {
        const i = next++;
        const start = performance.now();
        const res = await fetch(`${rig.base}/customer/installations/I-${i}`, {
          method: "POST",
          redirect: "manual",
          headers: { cookie: session, "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({
            csrf: token,
            step: "confirm",
            mono: String(30_000 + i),
            colour: "1600",
            "level:toner": "70",
          }).toString(),
        });
        if (res.status !== 303) throw new Error(`post ${i}: ${res.status}`);
        latencies.push(performance.now() - start);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const formSeconds = (performance.now() - t) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(
      `${name.padEnd(10)} audit zip ${AUDITS} files (${(zip.length / 1_048_576).toFixed(1)} MB) ${Math.round(AUDITS / archiveSeconds)} audits/s, peak RSS +${archiveGrowth.toFixed(0)} MB · CSV import ${Math.round((2 * INSTALLATIONS) / importSeconds)} readings/s (baseline: bare committed INSERTs ${Math.round(baselineRate)}/s) · form posts ${Math.round(FORM_POSTS / formSeconds)} readings/s (p99 ${latencies[Math.floor(latencies.length * 0.99)]?.toFixed(1)} ms, 8 clients) · billing ${INSTALLATIONS} installations ${billingMs.toFixed(0)} ms`,
    );
  } finally {
    await rig.close();
  }
}

await onBothDatabases("bench", measure);
