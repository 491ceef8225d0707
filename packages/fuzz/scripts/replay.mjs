/**
 * `node scripts/replay.mjs <target> <file>...`: runs inputs (a finding, a corpus file) through a
 * built target once, uninstrumented, and prints what each did: "ok" or the error with its stack.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [target, ...files] = process.argv.slice(2);
if (target === undefined || files.length === 0) {
  console.error("usage: node scripts/replay.mjs <target> <file>...");
  process.exit(2);
}
const { fuzz } = createRequire(import.meta.url)(join(root, "dist", `${target}.cjs`));
let failed = 0;
for (const file of files) {
  try {
    await fuzz(new Uint8Array(readFileSync(file)));
    console.log(`${file}: ok`);
  } catch (e) {
    failed++;
    console.log(`${file}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    if (e instanceof Error && e.cause instanceof Error) console.log(`  caused by ${e.cause.stack}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
