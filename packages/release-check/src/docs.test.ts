import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { publishedPackages, ROOT } from "./workspace.js";

const run = promisify(execFile);

describe("npm run docs (typedoc, every package, its README as the front page)", () => {
  const root = JSON.parse(readFileSync(join(ROOT, "typedoc.json"), "utf8")) as { entryPoints: string[] };

  it("documents every published package, and each of its entry points", () => {
    const packages = publishedPackages();
    expect(root.entryPoints).toEqual(packages.map((p) => `packages/${p.folder}`));
    for (const p of packages) {
      const own = JSON.parse(readFileSync(join(p.dir, "typedoc.json"), "utf8")) as {
        entryPoints: string[];
        readme: string;
      };
      expect(own.readme, p.name).toBe("README.md");
      expect(own.entryPoints.length, `${p.name}: one typedoc entry point per exports entry`).toBe(
        p.entries.length,
      );
      for (const e of own.entryPoints) expect(existsSync(join(p.dir, e)), `${p.name} ${e}`).toBe(true);
    }
  });

  it("builds with no warning (warnings are errors: a broken link, an undocumented reference)", async () => {
    const result = await run(
      join(ROOT, "node_modules", ".bin", "typedoc"),
      ["--emit", "none", "--logLevel", "Warn"],
      {
        cwd: ROOT,
        maxBuffer: 16 * 1024 * 1024,
      },
    ).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect("code" in result ? result.code : 0, result.stdout + result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toMatch(/warning|error/i);
  }, 180_000);
});
