import type { Storage } from "@vendkit/mizip-core";
import Database from "better-sqlite3";

/**
 * The reader's non-volatile memory in a SQLite file: one table of records, every `commit` one
 * transaction, WAL journal with synchronous FULL, so a commit is on disk when it returns and a
 * process killed at any instant leaves all of a commit or none of it.
 */
export class SqliteStorage implements Storage {
  private readonly db: Database.Database;
  private readonly getStmt: Database.Statement<[string], { value: Buffer }>;
  private readonly putStmt: Database.Statement<[string, Buffer]>;
  private readonly delStmt: Database.Statement<[string]>;
  private readonly keysStmt: Database.Statement<[string], { key: string }>;
  private readonly apply: (records: ReadonlyMap<string, Uint8Array | undefined>) => void;

  constructor(readonly path: string) {
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.exec(
      "CREATE TABLE IF NOT EXISTS records (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID",
    );
    this.getStmt = this.db.prepare("SELECT value FROM records WHERE key = ?");
    this.putStmt = this.db.prepare(
      "INSERT INTO records (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    );
    this.delStmt = this.db.prepare("DELETE FROM records WHERE key = ?");
    this.keysStmt = this.db.prepare("SELECT key FROM records WHERE key >= ? ORDER BY key");
    this.apply = this.db.transaction((records: ReadonlyMap<string, Uint8Array | undefined>) => {
      for (const [key, value] of records) {
        if (value === undefined) this.delStmt.run(key);
        else this.putStmt.run(key, Buffer.from(value));
      }
    });
  }

  get(key: string): Uint8Array | undefined {
    const row = this.getStmt.get(key);
    return row === undefined ? undefined : new Uint8Array(row.value);
  }

  commit(records: ReadonlyMap<string, Uint8Array | undefined>): void {
    this.apply(records);
  }

  keys(prefix = ""): string[] {
    return this.keysStmt
      .all(prefix)
      .map((r) => r.key)
      .filter((k) => k.startsWith(prefix));
  }

  close(): void {
    this.db.close();
  }
}
