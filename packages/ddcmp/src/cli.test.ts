import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildAudit, write } from "@vendkit/evadts";
import { freePort, INSTALL_TIMEOUT, ptyPair, socatFor } from "@vendkit/test-support";
import { beforeAll, describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "ddcmp-cli-"));
const auditPath = join(dir, "machine.eva");
const audit = write(
  buildAudit(
    Array.from({ length: 40 }, (_, i) => ({
      tag: "PA1",
      elements: [String(i + 1), String(50 + i), `PRODUCT ${i + 1}`],
    })),
    { communicationId: "VKT0000001" },
  ),
);
writeFileSync(auditPath, audit);

function cli(args: string[]): { proc: ChildProcess; done: Promise<{ code: number | null; err: string }> } {
  const proc = spawn(process.execPath, ["--import", "tsx", join(here, "cli.ts"), ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  proc.stderr?.on("data", (c: Buffer) => {
    err += c.toString();
  });
  const done = new Promise<{ code: number | null; err: string }>((resolve) =>
    proc.on("close", (code) => resolve({ code, err })),
  );
  return { proc, done };
}

/**
 * `serve` on `serverPort` and, once it listens, `collect` on `clientPort` into `out`, each with
 * `--link link` and its extra options. Resolves with both exits.
 */
async function exchange(
  link: "dex" | "ddcmp",
  ports: { server: string; client: string },
  out: string,
  extra: { serve?: string[]; collect?: string[]; file?: string } = {},
) {
  const server = cli([
    "serve",
    "--port",
    ports.server,
    "--link",
    link,
    "--file",
    extra.file ?? auditPath,
    ...(extra.serve ?? []),
  ]);
  await new Promise((r) => setTimeout(r, 800));
  const client = cli([
    "collect",
    "--port",
    ports.client,
    "--link",
    link,
    "--out",
    out,
    ...(extra.collect ?? []),
  ]);
  return Promise.all([server.done, client.done]);
}

const tcp = (port: number) => ({ server: `tcp://127.0.0.1:${port}`, client: `tcp://127.0.0.1:${port}` });
const collected = (out: string) => Buffer.from(readFileSync(out)).equals(Buffer.from(audit));

describe("ddcmp CLI (DEX/UCS link)", () => {
  it("serves an audit over TCP and collects it byte for byte", async () => {
    const port = await freePort();
    const out = join(dir, "tcp.eva");
    const [s, c] = await exchange("dex", tcp(port), out);
    expect([c.code, s.code]).toEqual([0, 0]);
    expect(collected(out)).toBe(true);
    expect(c.err).toMatch(/handshake with VKTDEVICE1/);
    expect(c.err).toMatch(/progress \d+ bytes/);
    expect(s.err).toMatch(/collected/);
  }, 30_000);

  it("lets a device that opens the first handshake itself (--dex-master) through", async () => {
    const port = await freePort();
    const out = join(dir, "master.eva");
    const [s, c] = await exchange("dex", tcp(port), out, { serve: ["--dex-master"] });
    expect([c.code, s.code]).toEqual([0, 0]);
    expect(collected(out)).toBe(true);
    expect(c.err).toMatch(/handshake with VKTDEVICE1 \(R01L01, request S\)/);
  }, 30_000);

  it("keeps a damaged audit beside the output with --keep-corrupt, and still exits 1", async () => {
    const port = await freePort();
    const damagedPath = join(dir, "damaged.eva");
    const damaged = Buffer.from(audit.subarray(0, audit.length - 40));
    writeFileSync(damagedPath, damaged);
    const out = join(dir, "kept.eva");
    const [, c] = await exchange("dex", tcp(port), out, { file: damagedPath, collect: ["--keep-corrupt"] });
    expect(c.code).toBe(1);
    expect(c.err).toMatch(/failed: CORRUPT_AUDIT/);
    expect(existsSync(out)).toBe(false);
    expect(readFileSync(`${out}.corrupt`).equals(damaged)).toBe(true);
  }, 30_000);

  it("serves and collects over TCP with --link ddcmp, agreeing 38400 at protocol level, with progress", async () => {
    const port = await freePort();
    const out = join(dir, "ddcmp-tcp.eva");
    const [s, c] = await exchange("ddcmp", tcp(port), out, { collect: ["--baud-max", "38400"] });
    expect([c.code, s.code]).toEqual([0, 0]);
    expect(collected(out)).toBe(true);
    expect(c.err).toMatch(/rate 38400 baud \(protocol level/);
    expect(s.err).toMatch(/rate 38400 baud \(protocol level/);
    expect(c.err).toMatch(new RegExp(`progress ${audit.length}/${audit.length} bytes, \\d+ blocks`));
    expect(s.err).toMatch(/collected/);
  }, 30_000);

  it("refuses a link it does not speak, a missing option, an unknown one and a bad number in one line (exit 2)", async () => {
    for (const [args, said] of [
      [["collect", "--port", "/dev/null", "--link", "kermit", "--out", "x"], "--link kermit: ddcmp or dex"],
      [["serve", "--port", "tcp://127.0.0.1:1"], "serve needs --file"],
      [["collect", "--prot", "x"], "Unknown option '--prot'"],
      [["collect", "--port", "x", "--out", "y", "--baud", "fast"], "--baud fast: a whole number"],
      [["receive"], 'unknown command "receive"'],
    ] as const) {
      const r = await cli([...args]).done;
      expect([r.code, r.err.trim().split("\n").length]).toEqual([2, 1]);
      expect(r.err).toContain(said);
    }
  }, 30_000);

  it("says which port is in use and how to choose another", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    try {
      const port = (taken.address() as { port: number }).port;
      const r = await cli([
        "serve",
        "--port",
        `tcp://127.0.0.1:${port}`,
        "--link",
        "dex",
        "--file",
        auditPath,
      ]).done;
      expect([r.code, r.err.trim()]).toEqual([
        1,
        `ddcmp: port ${port} is in use (another collector or device?): choose another with --port tcp://host:N`,
      ]);
    } finally {
      taken.close();
    }
  }, 30_000);

  it("prints its usage for --help and exits 0", async () => {
    const proc = spawn(process.execPath, ["--import", "tsx", join(here, "cli.ts"), "--help"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    proc.stdout?.on("data", (c: Buffer) => {
      out += c.toString();
    });
    const code = await new Promise<number | null>((resolve) => proc.on("close", resolve));
    expect(code).toBe(0);
    expect(out).toMatch(/^usage:\n {2}ddcmp --help\n {2}ddcmp collect/);
  }, 30_000);

  describe("over a real pty pair (socat)", () => {
    let available = false;
    beforeAll(() => {
      available = socatFor("the pty CLI test");
    }, INSTALL_TIMEOUT);

    it("collects through a serial line with the CLI on both ends", async (ctx) => {
      if (!available) return ctx.skip();
      const pair = await ptyPair();
      try {
        const out = join(dir, "pty.eva");
        const ports = { server: pair.b, client: pair.a };
        const baud = ["--baud", "9600"];
        const [s, c] = await exchange("dex", ports, out, { serve: baud, collect: baud });
        expect([c.code, s.code]).toEqual([0, 0]);
        expect(collected(out)).toBe(true);
      } finally {
        pair.close();
      }
    }, 30_000);

    it("collects over DDCMP through a serial line, the ports following the agreed rate", async (ctx) => {
      if (!available) return ctx.skip();
      const pair = await ptyPair();
      try {
        const out = join(dir, "pty-ddcmp.eva");
        const ports = { server: pair.b, client: pair.a };
        const [s, c] = await exchange("ddcmp", ports, out, { collect: ["--baud-max", "9600"] });
        expect([c.code, s.code]).toEqual([0, 0]);
        expect(collected(out)).toBe(true);
        // a serial port follows the rate (a pty takes it at protocol level, see the README)
        expect(c.err).toMatch(/^rate 9600 baud$/m);
        expect(s.err).toMatch(/^rate 9600 baud$/m);
      } finally {
        pair.close();
      }
    }, 30_000);
  });
});

describe("the ddcmp command in the workspace", () => {
  it("is linked by npm from a committed file (so a fresh clone has it after npm ci) and runs the built CLI", () => {
    const link = join(here, "..", "..", "..", "node_modules", ".bin", "ddcmp");
    expect(realpathSync(link)).toBe(realpathSync(join(here, "..", "bin", "ddcmp.js")));
    const r = spawnSync(link, ["--help"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage:/);
  });
});
