import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const main = join(dirname(fileURLToPath(import.meta.url)), "main.ts");
const run = (args: readonly string[]) => {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.PORT;
  const r = spawnSync(process.execPath, ["--import", "tsx", main, ...args], {
    encoding: "utf8",
    timeout: 60_000,
    env,
  });
  return { status: r.status, out: r.stdout, err: r.stderr.trim() };
};

describe("npm run portal's command line", () => {
  it("prints its usage for --help and exits 0", () => {
    const r = run(["--help"]);
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/^usage: npm run portal -- \[options\]/);
    for (const option of ["--data", "--port", "--mail-port", "--no-demo", "--help", "DATABASE_URL"])
      expect(r.out).toContain(option);
  });

  it("refuses an unknown option and a bad value with one line and exit 2", () => {
    for (const [args, said] of [
      [["--bogus"], "Unknown option '--bogus'"],
      [["--port", "abc"], "--port abc: a port is a number 0..65535"],
      [["--mail-port", "99999"], "--mail-port 99999"],
    ] as const) {
      const r = run(args);
      expect([r.status, r.err.split("\n").length]).toEqual([2, 1]);
      expect(r.err).toContain(said);
    }
  });

  it("says which port is in use and how to choose another", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    try {
      const port = (taken.address() as AddressInfo).port;
      const data = mkdtempSync(join(tmpdir(), "portal-main-"));
      const r = run(["--data", data, "--no-demo", "--mail-port", "0", "--port", String(port)]);
      expect(r.status).toBe(1);
      expect(r.err).toBe(`port ${port} is in use (another portal?): choose another with --port N`);
    } finally {
      taken.close();
    }
  });
});
