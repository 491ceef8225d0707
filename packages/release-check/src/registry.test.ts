import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { parse, summarize, validate } from "@vendkit/evadts";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { readmeSteps } from "./readme-steps.js";
import { cleanEnv, type LocalRegistry, publish, startRegistry } from "./registry.js";
import { publishedPackages, ROOT } from "./workspace.js";

const exec = promisify(execFile);
const SETUP_TIMEOUT = 900_000;

interface Ran {
  readonly command: string;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A command line run as a vendor would, in the project, with npm's own settings only. */
async function sh(command: string, cwd: string): Promise<Ran> {
  try {
    const { stdout, stderr } = await exec("sh", ["-c", command], {
      cwd,
      env: cleanEnv(),
      maxBuffer: 64 * 1024 * 1024,
      timeout: 600_000,
    });
    return { command, code: 0, stdout, stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return {
      command,
      code: typeof x.code === "number" ? x.code : 1,
      stdout: x.stdout ?? "",
      stderr: x.stderr ?? "",
    };
  }
}

/**
 * The audits the programs read: the real third-party files when ../shared/data/evadts-real is
 * there (VENDKIT_SHARED overrides where shared/ is), else the manual's own audit of a MiZip Plus,
 * and the test says so.
 */
function audits(): { name: string; path: string }[] {
  const real = resolve(process.env.VENDKIT_SHARED ?? join(ROOT, "..", "shared"), "data", "evadts-real");
  if (existsSync(real))
    return readdirSync(real)
      .filter((f) => f !== "SOURCES.md")
      .sort()
      .map((name) => ({ name, path: join(real, name) }));
  console.warn(
    `real audit corpus absent (${real}): the installed packages read the MiZip manual's audit instead`,
  );
  return [
    {
      name: "mizip-ddcmp60-plus.eva_dts",
      path: join(ROOT, "packages", "evadts", "test-vectors", "mizip-ddcmp60-plus.eva_dts"),
    },
  ];
}

/** What the workspace's own evadts says of an audit: what the installed one must print too. */
function expectedAudit(path: string) {
  const audit = parse(readFileSync(path));
  return {
    summary: summarize(audit),
    findings: validate(audit).map((f) => `${f.severity} ${f.code} ${f.line}:${f.column}`),
  };
}

describe("a vendor's project installs vendkit from a registry and works on the first try", () => {
  const packs = inject("packs");
  const steps = readmeSteps();
  const [machineAudit, ...otherAudits] = audits();
  if (machineAudit === undefined) throw new Error("the audit corpus folder holds no audit file");
  let work = "";
  let project = "";
  let registry: LocalRegistry | undefined;
  const ran: Ran[] = [];
  const ranAs = (command: string): Ran => {
    const r = ran.find((x) => x.command === command);
    if (r === undefined) throw new Error(`"${command}" did not run`);
    return r;
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "vendkit-registry-"));
    mkdirSync(join(work, "registry"));
    registry = await startRegistry(join(work, "registry"));
    for (const p of packs) await publish(registry, p.tarball, work);
    project = join(work, "vendor-app");
    mkdirSync(project);
    writeFileSync(join(project, ".npmrc"), `@vendkit:registry=${registry.url}\n`);
    for (const [name, text] of steps.files) writeFileSync(join(project, name), text);
    copyFileSync(machineAudit.path, join(project, "machine.eva_dts"));
    for (const command of steps.commands) {
      const r = await sh(command, project);
      ran.push(r);
      if (r.code !== 0 && command.startsWith("npm ")) break; // nothing after a failed install can run
    }
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await registry?.stop();
    if (work !== "") rmSync(work, { recursive: true, force: true });
  });

  it("publishes every package to the local registry at the workspace's version", async () => {
    for (const p of publishedPackages()) {
      const res = await fetch(`${registry?.url}${p.name.replace("/", "%2f")}`);
      expect(res.status, p.name).toBe(200);
      const doc = (await res.json()) as { "dist-tags": { latest: string } };
      expect(doc["dist-tags"].latest, p.name).toBe(p.version);
    }
  });

  it("works in a project outside the workspace, taking only @vendkit from that registry", async () => {
    expect(relative(ROOT, project).startsWith("..")).toBe(true);
    for (const r of ran.filter((x) => x.command.startsWith("npm ")))
      expect({ command: r.command, code: r.code, stderr: r.code === 0 ? "" : r.stderr }).toEqual({
        command: r.command,
        code: 0,
        stderr: "",
      });
    const lock = JSON.parse(readFileSync(join(project, "package-lock.json"), "utf8")) as {
      packages: Record<string, { integrity?: string }>;
    };
    const ours = Object.keys(lock.packages).filter((k) => k.startsWith("node_modules/@vendkit/"));
    expect(ours.sort()).toEqual([
      "node_modules/@vendkit/ddcmp",
      "node_modules/@vendkit/evadts",
      "node_modules/@vendkit/machine",
      "node_modules/@vendkit/mdb",
    ]);
    // what was installed is the very tarball published, byte for byte
    for (const k of ours) {
      const pack = packs.find((p) => `node_modules/${p.name}` === k);
      const digest = createHash("sha512")
        .update(readFileSync(pack?.tarball ?? ""))
        .digest("base64");
      expect(lock.packages[k]?.integrity, k).toBe(`sha512-${digest}`);
    }
    // npm in the project asks the local registry for @vendkit, and the usual one for the rest
    const view = await sh("npm view @vendkit/mdb dist.tarball && npm config get registry", project);
    const [tarball, usual] = view.stdout.trim().split("\n");
    expect(tarball?.startsWith(registry?.url ?? "?")).toBe(true);
    expect(usual?.startsWith(registry?.url ?? "?")).toBe(false);
    expect(existsSync(join(project, "node_modules", "serialport"))).toBe(false);
  });

  for (const program of ["node session.mjs machine.eva_dts", "node session.cjs machine.eva_dts"])
    it(`${program}: a cashless session with the VMC simulator, and the audit as the workspace reads it`, () => {
      const r = ranAs(program);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as Record<string, unknown>;
      expect(out.begin).toMatchObject({ type: "begin-session", funds: 250 });
      expect(out.approved).toBe(120);
      expect(out.ended).toBe(true);
      expect(out.seen).toEqual(
        expect.arrayContaining([
          "reset",
          "setup",
          "enabled",
          "vend-request",
          "vend-success",
          "session-complete",
        ]),
      );
      expect({ summary: out.summary, findings: out.findings }).toEqual(expectedAudit(machineAudit.path));
    });

  for (const check of steps.commands.filter((c) => c.startsWith("npx tsc")))
    it(`type-checks: ${check.replace(/^npx tsc /, "tsc ")}`, () => {
      const r = ranAs(check);
      expect(r.stdout + r.stderr).toBe("");
      expect(r.code).toBe(0);
    });

  for (const cli of ["npx evadts --help", "npx ddcmp --help"])
    it(`${cli} works without serialport installed`, () => {
      const r = ranAs(cli);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/usage/);
    });

  it("reads every other audit of the corpus the same, from ESM and from CommonJS", async () => {
    for (const file of otherAudits) {
      for (const program of ["session.mjs", "session.cjs"]) {
        const r = await sh(`node ${program} ${JSON.stringify(file.path)}`, project);
        expect(r.code, `${program} ${file.name}: ${r.stderr}`).toBe(0);
        const out = JSON.parse(r.stdout) as Record<string, unknown>;
        expect({ summary: out.summary, findings: out.findings }, `${program} ${file.name}`).toEqual(
          expectedAudit(file.path),
        );
      }
    }
  }, 120_000);

  it("installs the other packages too, and every entry point loads from ESM and from CommonJS", async () => {
    const rest = publishedPackages()
      .map((p) => p.name)
      .filter((n) => !["@vendkit/mdb", "@vendkit/evadts", "@vendkit/ddcmp"].includes(n));
    const install = await sh(`npm install ${rest.join(" ")}`, project);
    expect(install.code, install.stderr).toBe(0);
    for (const p of publishedPackages())
      for (const e of p.entries) {
        const spec = `${p.name}${e.subpath.slice(1)}`;
        const esm = await sh(
          `node --input-type=module -e 'const m = await import("${spec}"); if (Object.keys(m).length === 0) process.exit(3)'`,
          project,
        );
        expect(esm.code, `import ${spec}: ${esm.stderr}`).toBe(0);
        const cjs = await sh(
          `node --input-type=commonjs -e 'if (Object.keys(require("${spec}")).length === 0) process.exit(3)'`,
          project,
        );
        expect(cjs.code, `require ${spec}: ${cjs.stderr}`).toBe(0);
      }
    expect(existsSync(join(project, "node_modules", "serialport"))).toBe(false);
  }, 300_000);
});
