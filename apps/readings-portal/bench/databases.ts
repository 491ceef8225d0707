import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startPostgres } from "@vendkit/test-support";
import pg from "pg";
import { type Db, openDb } from "../src/db.js";

/** Runs `measure` on a fresh SQLite file, then on a fresh database `name` of a PostgreSQL of its own. */
export async function onBothDatabases(
  name: string,
  measure: (label: string, db: Db) => Promise<void>,
): Promise<void> {
  await measure("SQLite", openDb(join(mkdtempSync(join(tmpdir(), `portal-${name}-`)), "portal.sqlite")));
  const server = await startPostgres();
  if (server === undefined) {
    console.log("PostgreSQL could not be started here: its figures are missing");
    return;
  }
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  try {
    await measure("PostgreSQL", openDb(server.url.replace(/\/postgres$/, `/${name}`)));
  } finally {
    await server.stop();
  }
}
