import type { Db } from "./db.js";

/**
 * The schema, as numbered steps applied once each, in order, each in its own transaction. The
 * SQL is the common ground of SQLite and PostgreSQL: TEXT, INTEGER/BIGINT, JSON kept as TEXT.
 * A step, once released, is never edited: a change is a new step.
 */
export const MIGRATIONS: readonly (readonly string[])[] = [
  [
    `CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
    `CREATE TABLE customers (
      id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL)`,
    `CREATE TABLE accounts (
      user_id TEXT PRIMARY KEY,
      role TEXT NOT NULL CHECK (role IN ('operator', 'customer')),
      customer_id TEXT REFERENCES customers(id),
      password_hash TEXT NOT NULL,
      CHECK ((role = 'customer') = (customer_id IS NOT NULL)))`,
    `CREATE TABLE devices (
      id TEXT PRIMARY KEY, model TEXT NOT NULL, serial TEXT NOT NULL UNIQUE,
      counters TEXT NOT NULL, consumables TEXT NOT NULL)`,
    `CREATE TABLE installations (
      id TEXT PRIMARY KEY,
      device_id TEXT NOT NULL REFERENCES devices(id),
      customer_id TEXT NOT NULL REFERENCES customers(id),
      site TEXT NOT NULL)`,
    `CREATE INDEX installations_customer ON installations (customer_id)`,
    `CREATE TABLE contracts (
      installation_id TEXT PRIMARY KEY REFERENCES installations(id),
      period TEXT NOT NULL, reading_day INTEGER NOT NULL, start TEXT NOT NULL,
      fee BIGINT NOT NULL, minimum_charge BIGINT, terms TEXT NOT NULL)`,
    `CREATE TABLE readings (
      installation_id TEXT NOT NULL REFERENCES installations(id),
      date TEXT NOT NULL,
      counters TEXT NOT NULL, consumables TEXT, replacements TEXT,
      source TEXT NOT NULL, received_at TEXT NOT NULL,
      receipt TEXT NOT NULL UNIQUE, findings TEXT NOT NULL,
      PRIMARY KEY (installation_id, date))`,
    `CREATE TABLE requests (
      installation_id TEXT NOT NULL REFERENCES installations(id),
      due TEXT NOT NULL, sent_at TEXT NOT NULL,
      reminders INTEGER NOT NULL DEFAULT 0, last_mail_at TEXT NOT NULL,
      PRIMARY KEY (installation_id, due))`,
  ],
  [
    // A meter swapped on site: applied to the installation's next reading (its `replacements`).
    `CREATE TABLE meter_replacements (
      installation_id TEXT NOT NULL REFERENCES installations(id),
      counter TEXT NOT NULL, old_final BIGINT NOT NULL, new_start BIGINT NOT NULL,
      recorded_at TEXT NOT NULL, receipt TEXT)`,
    `CREATE UNIQUE INDEX meter_replacements_pending ON meter_replacements (installation_id, counter)
      WHERE receipt IS NULL`,
  ],
  [
    // What an invoice says of a customer (FatturaPA's CessionarioCommittente), as JSON; the lab's
    // own is the setting 'lab'.
    `CREATE TABLE customer_fiscal (
      customer_id TEXT PRIMARY KEY REFERENCES customers(id), data TEXT NOT NULL)`,
  ],
  [
    // Invoices and credit notes, numbered per year without gaps (invoice_numbers holds the last
    // number given); each billed period is invoiced once (invoiced_periods).
    `CREATE TABLE invoice_numbers (year INTEGER PRIMARY KEY, last INTEGER NOT NULL)`,
    `CREATE TABLE invoices (
      number TEXT PRIMARY KEY, year INTEGER NOT NULL, sequence INTEGER NOT NULL,
      customer_id TEXT NOT NULL REFERENCES customers(id),
      document_type TEXT NOT NULL CHECK (document_type IN ('TD01', 'TD04')),
      cancels TEXT UNIQUE REFERENCES invoices(number),
      data TEXT NOT NULL,
      UNIQUE (year, sequence))`,
    `CREATE TABLE invoiced_periods (
      installation_id TEXT NOT NULL REFERENCES installations(id),
      period_to TEXT NOT NULL,
      invoice TEXT NOT NULL REFERENCES invoices(number),
      PRIMARY KEY (installation_id, period_to))`,
  ],
];

/** Applies the steps the database has not seen yet; returns how many it applied. */
export async function migrate(db: Db, steps: readonly (readonly string[])[] = MIGRATIONS): Promise<number> {
  await db.run(
    `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`,
  );
  const done = new Set(
    (await db.all<{ version: number }>(`SELECT version FROM schema_migrations`)).map((r) => r.version),
  );
  let applied = 0;
  for (const [i, step] of steps.entries()) {
    const version = i + 1;
    if (done.has(version)) continue;
    await db.transaction(async (q) => {
      // Two portals starting at once: the second one's insert conflicts and its step rolls back.
      for (const sql of step) await q.run(sql);
      await q.run(`INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`, [
        version,
        new Date().toISOString(),
      ]);
    });
    applied++;
  }
  return applied;
}
