import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Device } from "./device.js";
import { watchOutput } from "./test-process.js";

const main = join(dirname(fileURLToPath(import.meta.url)), "main.ts");
const run = (args: readonly string[]) => {
  const r = spawnSync(process.execPath, ["--import", "tsx", main, ...args], {
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, out: r.stdout, err: r.stderr.trim() };
};
const data = () => mkdtempSync(join(tmpdir(), "vendkit-main-"));

describe("npm start's command line (issue 26 item 6)", () => {
  it("prints its usage for --help and exits 0", () => {
    const r = run(["--help"]);
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/^usage: npm start -- \[options\]/);
    for (const option of ["--data", "--protocol", "--port", "--host", "--audit-port", "--help"])
      expect(r.out).toContain(option);
  });

  it("refuses an unknown option and a bad value with one line and exit 2", () => {
    for (const [args, said] of [
      [["--bogus"], "Unknown option '--bogus'"],
      [["--port", "abc"], "--port abc: a port is a number 0..65535"],
      [["--port", "70000"], "--port 70000"],
      [["--protocol", "ccTalk"], "--protocol ccTalk"],
    ] as const) {
      const r = run(args);
      expect([r.status, r.err.split("\n").length]).toEqual([2, 1]);
      expect(r.err).toContain(said);
      expect(r.err).not.toMatch(/\bat \S+:\d+/); // no stack trace
    }
  });

  it("listens off the machine only once a programmer password is set", () => {
    const r = run(["--data", data(), "--host", "0.0.0.0"]);
    expect(r.status).toBe(2);
    expect(r.err).toContain("factory password 0");
  });

  it("listens elsewhere with --host once a programmer password is set", async () => {
    const dir = data();
    const device = await Device.open(dir);
    await device.settings.setParameter(9, 4711);
    device.close();
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, "127.0.0.1", resolve));
    const port = (free.address() as AddressInfo).port;
    await new Promise((resolve) => free.close(resolve));
    const child = spawn(
      process.execPath,
      ["--import", "tsx", main, "--data", dir, "--host", "127.0.0.2", "--port", String(port)],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    try {
      await watchOutput(child).waitFor(`Programmer console: http://127.0.0.2:${port}/`);
      const session = await fetch(`http://127.0.0.2:${port}/api/session`);
      expect(((await session.json()) as { passwordSet: boolean }).passwordSet).toBe(true);
    } finally {
      child.kill();
    }
  }, 60_000);

  it("says which port is in use and how to choose another", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    try {
      const port = (taken.address() as AddressInfo).port;
      const r = run(["--data", data(), "--port", String(port)]);
      expect(r.status).toBe(1);
      expect(r.err).toBe(
        `port ${port} on 127.0.0.1 is in use (another device or console?): choose another with --port N`,
      );
    } finally {
      taken.close();
    }
  });
});
