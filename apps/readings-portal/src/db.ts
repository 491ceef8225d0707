import Database from "better-sqlite3";
import pg from "pg";

/** What a query runs on: the database itself, or one transaction. SQL uses $1, $2… placeholders. */
export interface Queryable {
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** Rows changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

/**
 * One query layer over SQLite (better-sqlite3) and PostgreSQL (pg): the same SQL, the same
 * schema, the same migrations. Integers come back as numbers on both (BIGINT included: counts and
 * money stay far below 2^53).
 */
export interface Db extends Queryable {
  readonly kind: "sqlite" | "postgres";
  transaction<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Runs `fn` inside the transaction `q` as a unit of its own (SAVEPOINT): if it throws, what it
 * wrote is undone and the error goes on, while the transaction and what it did before stay.
 * Same SQL on SQLite and PostgreSQL.
 */
export async function savepoint<T>(q: Queryable, fn: () => Promise<T>): Promise<T> {
  await q.run("SAVEPOINT unit");
  try {
    const result = await fn();
    await q.run("RELEASE SAVEPOINT unit");
    return result;
  } catch (e) {
    await q.run("ROLLBACK TO SAVEPOINT unit");
    await q.run("RELEASE SAVEPOINT unit");
    throw e;
  }
}

/** An async mutex: SQLite has one connection, so a transaction must hold it across awaits. */
class Lock {
  private tail: Promise<void> = Promise.resolve();
  async hold<T>(fn: () => Promise<T>): Promise<T> {
    const before = this.tail;
    let release = () => {};
    this.tail = new Promise((r) => {
      release = r;
    });
    await before;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

class SqliteDb implements Db {
  readonly kind = "sqlite";
  private readonly lock = new Lock();
  private readonly statements = new Map<string, { stmt: Database.Statement; order: number[] }>();

  constructor(private readonly db: Database.Database) {}

  private prepare(sql: string, params: readonly unknown[]) {
    let entry = this.statements.get(sql);
    if (!entry) {
      const order: number[] = [];
      const stmt = this.db.prepare(
        sql.replace(/\$(\d+)/g, (_, n: string) => {
          order.push(Number(n) - 1);
          return "?";
        }),
      );
      entry = { stmt, order };
      this.statements.set(sql, entry);
    }
    return { stmt: entry.stmt, args: entry.order.map((i) => params[i]) };
  }

  private readonly direct: Queryable = {
    all: async <T>(sql: string, params: readonly unknown[] = []) => {
      const { stmt, args } = this.prepare(sql, params);
      return stmt.all(...args) as T[];
    },
    get: async <T>(sql: string, params: readonly unknown[] = []) => {
      const { stmt, args } = this.prepare(sql, params);
      return stmt.get(...args) as T | undefined;
    },
    run: async (sql: string, params: readonly unknown[] = []) => {
      const { stmt, args } = this.prepare(sql, params);
      return stmt.run(...args).changes;
    },
  };

  all<T>(sql: string, params?: readonly unknown[]) {
    return this.lock.hold(() => this.direct.all<T>(sql, params));
  }
  get<T>(sql: string, params?: readonly unknown[]) {
    return this.lock.hold(() => this.direct.get<T>(sql, params));
  }
  run(sql: string, params?: readonly unknown[]) {
    return this.lock.hold(() => this.direct.run(sql, params));
  }

  transaction<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.lock.hold(async () => {
      this.db.exec("BEGIN IMMEDIATE");
      try {
        const result = await fn(this.direct);
        this.db.exec("COMMIT");
        return result;
      } catch (e) {
        this.db.exec("ROLLBACK");
        throw e;
      }
    });
  }

  async close() {
    await this.lock.hold(async () => this.db.close());
  }
}

const INT8 = 20;
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

function pgQueryable(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    all: async <T>(sql: string, params: readonly unknown[] = []) =>
      (await client.query(sql, params as unknown[])).rows as T[],
    get: async <T>(sql: string, params: readonly unknown[] = []) =>
      (await client.query(sql, params as unknown[])).rows[0] as T | undefined,
    run: async (sql: string, params: readonly unknown[] = []) =>
      (await client.query(sql, params as unknown[])).rowCount ?? 0,
  };
}

class PostgresDb implements Db {
  readonly kind = "postgres";
  private readonly q: Queryable;
  constructor(private readonly pool: pg.Pool) {
    this.q = pgQueryable(pool);
  }
  all<T>(sql: string, params?: readonly unknown[]) {
    return this.q.all<T>(sql, params);
  }
  get<T>(sql: string, params?: readonly unknown[]) {
    return this.q.get<T>(sql, params);
  }
  run(sql: string, params?: readonly unknown[]) {
    return this.q.run(sql, params);
  }
  /**
   * SERIALIZABLE, so a transaction sees what SQLite's single writer would; PostgreSQL may then
   * cancel one of two overlapping transactions (40001) or break a deadlock (40P01), and the whole
   * transaction is run again — which is why `fn` must do nothing outside the database.
   */
  async transaction<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      try {
        await client.query("BEGIN ISOLATION LEVEL SERIALIZABLE");
        const result = await fn(pgQueryable(client));
        await client.query("COMMIT");
        return result;
      } catch (e) {
        await client.query("ROLLBACK").catch(() => {});
        const code = (e as { code?: string }).code;
        if ((code !== "40001" && code !== "40P01") || attempt >= 20) throw e;
      } finally {
        client.release();
      }
      await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
    }
  }
  async close() {
    await this.pool.end();
  }
}

/**
 * Opens the portal's database: PostgreSQL when `where` is a postgres:// URL, otherwise a SQLite
 * file (WAL, synchronous FULL: a confirmed reading survives a power cut).
 */
export function openDb(where: string): Db {
  if (/^postgres(ql)?:\/\//.test(where)) {
    const pool = new pg.Pool({ connectionString: where, types, max: 8 });
    // An idle connection the server closes (restart, admin) is replaced on next use, not fatal.
    pool.on("error", (e) => console.error(`PostgreSQL: ${e.message}`));
    return new PostgresDb(pool);
  }
  const db = new Database(where);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  return new SqliteDb(db);
}
