/**
 * `npm run api`: writes every entry point's API report into its package's api/ folder, after a
 * build. Review the diff, then commit it with the change that caused it.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { apiReport } from "./api-report.js";
import { publishedPackages } from "./workspace.js";

let failed = false;
for (const pkg of publishedPackages())
  for (const entry of pkg.entries) {
    mkdirSync(join(pkg.dir, "api"), { recursive: true });
    const { unchanged, errors } = apiReport(pkg, entry, true);
    console.log(`${unchanged ? "same   " : "changed"} ${pkg.folder}/api/${entry.report}`);
    for (const e of errors) console.error(`  ${e}`);
    failed ||= errors.length > 0;
  }
process.exitCode = failed ? 1 : 0;
