import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { apiReport } from "./api-report.js";
import { publishedPackages } from "./workspace.js";

describe("each entry point's public API is the reviewed one (api/*.api.md, `npm run api` to update)", () => {
  for (const pkg of publishedPackages()) {
    it(`${pkg.name}: one report per entry, and no other`, () => {
      const dir = join(pkg.dir, "api");
      expect(existsSync(dir)).toBe(true);
      expect(readdirSync(dir).sort()).toEqual(pkg.entries.map((e) => e.report).sort());
    });
    for (const entry of pkg.entries)
      it(`${pkg.name}${entry.subpath.slice(1)} matches api/${entry.report}`, () => {
        const { unchanged, errors } = apiReport(pkg, entry, false);
        expect(errors).toEqual([]);
        expect(unchanged, "the API changed: run `npm run api`, review api/*.api.md and commit it").toBe(true);
      });
  }
});
