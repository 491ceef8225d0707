/**
 * Every fuzz target's committed corpus, replayed as ordinary tests: each input `npm run fuzz`
 * found interesting (`corpus/<target>/`) and each finding once fixed (`regressions/<target>/`,
 * named for what it found) runs through the same target here, so what was fixed stays fixed.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const TARGETS = readdirSync(join(import.meta.dirname, "targets"))
  .filter((f) => f.endsWith(".ts"))
  .map((f) => f.slice(0, -3))
  .sort();

describe.each(TARGETS)("fuzz target %s", (target) => {
  const dir = join(root, "corpus", target);
  const fixed = join(root, "regressions", target);
  const inputs = [
    ...readdirSync(dir).map((f) => join(dir, f)),
    ...(existsSync(fixed) ? readdirSync(fixed).map((f) => join(fixed, f)) : []),
  ].sort();

  it("has a committed corpus", () => {
    expect(readdirSync(dir).length).toBeGreaterThan(0);
  });

  it("replays every input of its corpus with no finding", async () => {
    const { fuzz } = (await import(`./targets/${target}.ts`)) as {
      fuzz: (data: Uint8Array) => void | Promise<void>;
    };
    for (const path of inputs) {
      const data = new Uint8Array(readFileSync(path));
      await expect(
        Promise.resolve().then(() => fuzz(data)),
        relative(root, path),
      ).resolves.toBeUndefined();
    }
  }, 120_000);
});
