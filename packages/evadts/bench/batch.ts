/**
 * A fleet's day: 10,000 audits written from the real corpus (the shared data folder, or the
 * package's golden files when it is absent), each with its own machine serial, read as one batch
 * (`runBatch`, what `evadts summary <folder> --jsonl` runs). Reports files/s, MB/s and the peak
 * RSS of the process.
 *
 *   npm run bench -w @vendkit/evadts
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listFiles, runBatch } from "../src/batch.js";
import { parse } from "../src/parse.js";
import { goldenFile, realCorpus } from "../src/test-support.js";
import { write } from "../src/write.js";

const FILES = 10_000;

/** The corpus's audits that carry an ID1, as models to stamp serials on. */
const models = (
  realCorpus() ??
  ["mizip-ddcmp60-plus.eva_dts", "mizip-dex60.eva_dts"].map((name) => ({ name, bytes: goldenFile(name) }))
)
  .map((f) => parse(f.bytes))
  .filter((f) => f.first("ID1") !== undefined && f.transactionSets.length > 0);

const root = mkdtempSync(join(tmpdir(), "evadts-fleet-"));
let bytes = 0;
for (let i = 0; i < FILES; i++) {
  const model = models[i % models.length] as (typeof models)[number];
  const serial = `FLEET${String(i).padStart(5, "0")}`;
  const segments = model
    .toSegmentInputs()
    .map((s) => (s.tag === "ID1" ? { tag: "ID1", elements: [serial, ...s.elements.slice(1)] } : s));
  const dir = join(root, `route-${Math.floor(i / 500)}`);
  if (i % 500 === 0) mkdirSync(dir);
  const out = write({ segments });
  bytes += out.length;
  writeFileSync(join(dir, `${serial}.eva`), out);
}

let lines = 0;
const t0 = performance.now();
const code = runBatch(listFiles([root]), { command: "summary", format: "jsonl" }, () => {
  lines++;
});
const seconds = (performance.now() - t0) / 1000;
rmSync(root, { recursive: true });
const mb = bytes / 1_048_576;
console.log(
  `batch: ${FILES} audit files, ${mb.toFixed(1)} MB, ${lines} JSON lines (exit ${code}) in ${seconds.toFixed(1)} s (node ${process.version})`,
);
console.log(`  ${(FILES / seconds).toFixed(0)} files/s, ${(mb / seconds).toFixed(1)} MB/s`);
console.log(`  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
