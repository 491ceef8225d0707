import { describe, expect, it } from "vitest";
import { MIGRATIONS, migrate } from "./migrations.js";
import { backends } from "./test-support.js";

const list = await backends("the migration tests");

describe.each(list)("migrations on $name", (backend) => {
  it("bring a database of an older release up to date, once, keeping its rows", async () => {
    const db = await backend.open();
    try {
      // A database as release 1 left it: step 1 only, with a customer in it.
      await db.run(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`);
      for (const sql of MIGRATIONS[0] ?? []) await db.run(sql);
      await db.run(`INSERT INTO schema_migrations VALUES (1, '2026-01-01')`);
      await db.run(
        `INSERT INTO customers (id, name, email) VALUES ('OLD', 'Old Srl', 'old@customer.example')`,
      );
      expect(await migrate(db)).toBe(MIGRATIONS.length - 1);
      expect(await migrate(db)).toBe(0);
      expect(await db.all(`SELECT version FROM schema_migrations ORDER BY version`)).toEqual(
        MIGRATIONS.map((_, i) => ({ version: i + 1 })),
      );
      expect(await db.get(`SELECT name FROM customers WHERE id = 'OLD'`)).toEqual({ name: "Old Srl" });
      expect(await db.all(`SELECT * FROM meter_replacements`)).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it("roll a failing step back whole: no half-made schema, no version recorded", async () => {
    const db = await backend.open();
    try {
      await migrate(db);
      const broken = [
        ...MIGRATIONS,
        ["CREATE TABLE half_made (x INTEGER)", "CREATE TABLE customers (x INTEGER)"],
      ];
      await expect(migrate(db, broken)).rejects.toThrow();
      expect(
        await db.get(`SELECT version FROM schema_migrations WHERE version = $1`, [broken.length]),
      ).toBeUndefined();
      await expect(db.all(`SELECT * FROM half_made`)).rejects.toThrow();
    } finally {
      await db.close();
    }
  });
});
