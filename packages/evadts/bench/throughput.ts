/**
 * Parse and write throughput on the real EVA-DTS corpus, concatenated to at least 50 MB, with
 * the ratio against a naive split('\r\n') + split('*') baseline measured in the same run, the
 * cost of the typed accessors, and the memory a parse keeps and peaks at, relative to the input.
 * It runs the built package (dist/), as a user's program would: `npm run bench` builds first.
 *
 *   npm run bench -w @vendkit/evadts
 *
 * The stored real files lost their CRs (see shared/data/evadts-real/SOURCES.md); they are put
 * back, so the input is CR LF EVA-DTS as a machine sends it.
 */
import { cashTotals, events, identification, parse, products, write } from "../dist/index.js";
import { decodeLatin1 } from "../src/latin1.js";
import { goldenFile, REAL_CORPUS_DIR, realCorpus } from "../src/test-support.js";

const TARGET = 50 * 1024 * 1024;
const RUNS = 10;

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with node --expose-gc (npm run bench does)");

function corpus(): { name: string; bytes: Buffer }[] {
  const real = realCorpus();
  if (real !== undefined) return real;
  console.log(`real corpus not found at ${REAL_CORPUS_DIR}: using the package's golden files instead`);
  return ["mizip-ddcmp60-plus.eva_dts", "mizip-dex60.eva_dts"].map((name) => ({
    name,
    bytes: goldenFile(name),
  }));
}

const files = corpus().map((f) =>
  Buffer.from(f.bytes.toString("latin1").replace(/\r?\n/g, "\r\n"), "latin1"),
);
const copies = Math.ceil(TARGET / Buffer.concat(files).length);

function bigInput(): Buffer {
  const one = Buffer.concat(files);
  return Buffer.concat(Array.from({ length: copies }, () => one));
}

function naive(bytes: Buffer): number {
  let n = 0;
  for (const line of decodeLatin1(bytes).split("\r\n")) n += line.split("*").length;
  return n;
}

function best(fn: () => unknown): number {
  let min = Number.POSITIVE_INFINITY;
  for (let r = 0; r < RUNS; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    min = Math.min(min, ms);
  }
  return min;
}

const input = bigInput();
const mb = input.length / (1024 * 1024);

// Memory first, in a process that has not parsed yet. What a parsed file keeps is measured after
// three collections, a task apart: the kernel's memory for a large file is held by a WeakRef and
// released by then; counting it would count garbage.
const settle = async () => {
  for (let k = 0; k < 3; k++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
};
await settle();
const before = process.memoryUsage();
const rssBefore = before.rss;
let kept: ReturnType<typeof parse> | undefined = parse(input);
const peakRss = process.resourceUsage().maxRSS * 1024;
await settle();
const after = process.memoryUsage();
const retained = after.heapUsed + after.external - (before.heapUsed + before.external);
const segments = kept.length;
kept = undefined;

const parseMs = best(() => parse(input));
/** What a back office reads of every audit: products, cash, events and who the machine is. */
const views = (file: ReturnType<typeof parse>) => {
  for (const { file: a } of file.audits()) {
    products(a);
    cashTotals(a);
    events(a);
    identification(a);
  }
};
const viewsMs = best(() => views(parse(input)));
// the same bytes as the fleet's files they are: one parse per audit file
const many = Array.from({ length: copies }, () => files).flat();
const filesMs = best(() => {
  for (const f of many) parse(f);
});
const filesViewsMs = best(() => {
  for (const f of many) views(parse(f));
});
const naiveMs = best(() => naive(input));
const file = parse(input);
const writeFileMs = best(() => write(file));
const model = { segments: file.toSegmentInputs() };
const writeModelMs = best(() => write(model));

const rate = (ms: number) => (mb / (ms / 1000)).toFixed(0);
console.log(`input: ${mb.toFixed(1)} MB, ${segments} segments (node ${process.version}, best of ${RUNS})`);
console.log(`parse:             ${rate(parseMs)} MB/s (${parseMs.toFixed(0)} ms)`);
console.log(
  `naive split:       ${rate(naiveMs)} MB/s (${naiveMs.toFixed(0)} ms); parse/naive speed ratio ${(naiveMs / parseMs).toFixed(2)}`,
);
console.log(
  `parse + typed views (products, cash, events, identification of each audit): ${rate(viewsMs)} MB/s, +${((viewsMs / parseMs - 1) * 100).toFixed(0)} %`,
);
console.log(
  `the same as ${many.length} files: parse ${rate(filesMs)} MB/s, parse + typed views ${rate(filesViewsMs)} MB/s, +${((filesViewsMs / filesMs - 1) * 100).toFixed(0)} %`,
);
console.log(`write parsed file: ${rate(writeFileMs)} MB/s`);
console.log(`write model:       ${rate(writeModelMs)} MB/s (segments as objects -> bytes, checked)`);
console.log(`memory kept by a parsed file: ${(retained / input.length).toFixed(2)}x input`);
console.log(`peak RSS growth during parse: ${((peakRss - rssBefore) / input.length).toFixed(2)}x input`);
