import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureDebianPackage, toolMissing } from "./debian.js";
import { freePort } from "./free-port.js";

/** The bin folder of Debian's newest installed PostgreSQL server, or undefined. */
function serverBin(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "postgres")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], "bin");
}

const idOf = (flag: "-u" | "-g"): number =>
  Number(spawnSync("id", [flag, "postgres"], { encoding: "utf8" }).stdout.trim());

export interface TestPostgres {
  /** postgres://… URL of an empty database on loopback, trust authentication. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * A throwaway PostgreSQL server for a test: Debian's `postgresql` installed when missing, a new
 * cluster in a temporary folder, listening on a free loopback port. PostgreSQL refuses to run as
 * root, so as root the cluster belongs to the `postgres` user the Debian package creates.
 */
export async function startPostgres(): Promise<TestPostgres | undefined> {
  if (!ensureDebianPackage("postgresql", () => serverBin() !== undefined)) return undefined;
  const bin = serverBin() as string;
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "vendkit-pg-"));
  chmodSync(dir, 0o777);
  const data = join(dir, "data");
  // Run as the postgres user directly (spawn's uid/gid), so signals reach the server itself.
  const user = asRoot ? { uid: idOf("-u"), gid: idOf("-g") } : {};
  const init = spawnSync(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"], {
    encoding: "utf8",
    ...user,
  });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  const proc: ChildProcess = spawn(
    join(bin, "postgres"),
    ["-D", data, "-p", String(port), "-k", dir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"],
    { stdio: "ignore", ...user },
  );
  const ready = () =>
    spawnSync(join(bin, "pg_isready"), ["-h", "127.0.0.1", "-p", String(port)]).status === 0;
  for (let i = 0; i < 300 && !ready(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!ready()) {
    proc.kill();
    throw new Error("the test PostgreSQL server did not start");
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGINT");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A test PostgreSQL for `what`, or undefined (see `toolMissing`: on CI that fails the run). */
export async function postgresFor(what: string): Promise<TestPostgres | undefined> {
  const pg = await startPostgres();
  if (pg === undefined) toolMissing("PostgreSQL", what);
  return pg;
}
