import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { promisify } from "node:util";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { describe, expect, inject, it } from "vitest";
import { publishedPackages, ROOT } from "./workspace.js";

const run = promisify(execFile);
const ATTW = join(ROOT, "node_modules", ".bin", "attw");
const LICENSE = readFileSync(join(ROOT, "LICENSE"), "utf8");

interface AttwProblem {
  readonly kind: string;
  readonly entrypoint?: string;
  readonly resolutionKind?: string;
}

describe("what npm would publish of each package", () => {
  const packs = inject("packs");
  const packages = publishedPackages();

  it("packs every published package (nine, each with a main entry)", () => {
    expect(packs.map((p) => p.name)).toEqual(packages.map((p) => p.name));
    expect(packages.length).toBe(9);
    for (const p of packages) expect(p.entries.map((e) => e.subpath)).toContain(".");
  });

  for (const pkg of packages) {
    const packed = () => {
      const p = packs.find((x) => x.name === pkg.name);
      if (p === undefined) throw new Error(`${pkg.name} was not packed`);
      return p;
    };

    describe(pkg.name, () => {
      it("carries the MIT LICENSE, and says where it comes from", () => {
        expect(packed().files).toContain("LICENSE");
        expect(readFileSync(join(pkg.dir, "LICENSE"), "utf8")).toBe(LICENSE);
        const m = pkg.manifest;
        expect(m.license).toBe("MIT");
        expect(m.author).toEqual(expect.any(String));
        expect(m.repository).toEqual({
          type: "git",
          url: "git+https://github.com/vendkit/vendkit.git",
          directory: `packages/${pkg.folder}`,
        });
        expect(m.homepage).toBe(`https://github.com/vendkit/vendkit/tree/main/packages/${pkg.folder}#readme`);
        expect(m.bugs).toEqual({ url: "https://github.com/vendkit/vendkit/issues" });
      });

      it("ships its CHANGELOG, whose newest entry is the version it carries", () => {
        expect(packed().files).toContain("CHANGELOG.md");
        const changelog = readFileSync(join(pkg.dir, "CHANGELOG.md"), "utf8");
        expect(/^## (\S+)$/m.exec(changelog)?.[1]).toBe(pkg.version);
      });

      it("ships no test, and every source map points at a source it ships, as it is", () => {
        const files = new Set(packed().files);
        expect([...files].filter((f) => f.endsWith(".test.ts"))).toEqual([]);
        const maps = [...files].filter((f) => f.endsWith(".map"));
        expect(maps.length).toBeGreaterThan(0);
        for (const map of maps) {
          const m = JSON.parse(readFileSync(join(pkg.dir, map), "utf8")) as {
            sources: string[];
            sourcesContent?: string[];
          };
          m.sources.forEach((source, i) => {
            const shipped = normalize(join(dirname(map), source));
            expect(files, `${map} -> ${source}`).toContain(shipped);
            expect(m.sourcesContent?.[i]).toBe(readFileSync(join(pkg.dir, shipped), "utf8"));
          });
        }
      });

      it("passes publint (strict)", async () => {
        const tarball = readFileSync(packed().tarball);
        const { messages, pkg: manifest } = await publint({
          pack: {
            tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength),
          },
          strict: true,
        });
        expect(messages.map((m) => formatMessage(m, manifest))).toEqual([]);
      });

      it("has types that resolve under Node 16+ (ESM and CJS) and bundlers: are-the-types-wrong, node16 profile", async () => {
        // node10 resolution (`moduleResolution: "node"`) cannot see subpath entries: not supported.
        const { stdout } = await run(ATTW, [packed().tarball, "--profile", "node16", "--format", "json"], {
          maxBuffer: 64 * 1024 * 1024,
        }).catch((e: { stdout: string }) => e);
        const report = JSON.parse(stdout) as {
          analysis: { entrypoints: Record<string, unknown> };
          problems?: Record<string, AttwProblem[]>;
        };
        expect(Object.keys(report.analysis.entrypoints).sort()).toEqual(
          [...pkg.entries.map((e) => e.subpath), "./package.json"].sort(),
        );
        const problems = Object.values(report.problems ?? {})
          .flat()
          .filter((p) => p.resolutionKind !== "node10");
        expect(problems).toEqual([]);
      });
    });
  }
});

describe("releasing", () => {
  it("every pending changeset parses and none is major (0.x: patch or minor only)", async () => {
    const { default: parseChangeset } = await import("@changesets/parse");
    const dir = join(ROOT, ".changeset");
    for (const f of readdirSync(dir).filter((n) => n.endsWith(".md") && n !== "README.md")) {
      const { releases } = parseChangeset(readFileSync(join(dir, f), "utf8"));
      expect(releases.length, f).toBeGreaterThan(0);
      for (const r of releases) expect(["patch", "minor"], `${f}: ${r.name}`).toContain(r.type);
    }
  });

  it("publishes with provenance from the release workflow only, never from publishConfig", () => {
    const workflow = readFileSync(join(ROOT, ".github", "workflows", "release.yml"), "utf8");
    expect(workflow).toMatch(/uses: changesets\/action@v1/);
    expect(workflow).toMatch(/NPM_CONFIG_PROVENANCE: "true"/);
    expect(workflow).toMatch(/id-token: write/);
    for (const p of publishedPackages())
      expect(
        (p.manifest.publishConfig as Record<string, unknown> | undefined)?.provenance,
        p.name,
      ).toBeUndefined();
  });
});
