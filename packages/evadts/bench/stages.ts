/**
 * Where a parse's time goes, stage by stage, on the same 50 MB input as throughput.ts: decoding the
 * text (without Buffer, as in a browser), the kernel (copying the file in, counting and finding the lines), the envelope walk with
 * and without the G85 CRC, and the CRC alone; then the typed views of every audit beside two floors.
 * Built into one bundle first (`npm run bench` does),
 * so that calls between the package's modules cost what they cost in dist/.
 */
import { cashTotals, events, identification, products } from "../src/accessors.js";
import { checkEnvelope } from "../src/envelope.js";
import { FindingList } from "../src/findings.js";
import { decodeLatin1 } from "../src/latin1.js";
import { parse } from "../src/parse.js";
import { scanFile } from "../src/scan-kernel.js";
import { realCorpus } from "../src/test-support.js";

const RUNS = 12;
const files = realCorpus();
if (files === undefined) {
  console.log("stages: the shared real corpus is absent; nothing measured");
  process.exit(0);
}
const one = Buffer.concat(
  files.map((f) => Buffer.from(f.bytes.toString("latin1").replace(/\r?\n/g, "\r\n"), "latin1")),
);
const input = Buffer.concat(Array.from({ length: Math.ceil((50 * 1024 * 1024) / one.length) }, () => one));

const best = (label: string, fn: () => unknown): void => {
  let min = Number.POSITIVE_INFINITY;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  console.log(`  ${label.padEnd(58)} ${min.toFixed(1).padStart(6)} ms`);
};

console.log(`where a parse of ${(input.length / 2 ** 20).toFixed(1)} MB goes (best of ${RUNS}):`);
best("parse, all of it", () => parse(input));
let text = "";
let lines = scanFile(input);
// as parse does: the scan says whether the file is all ASCII, which decodes the fast way
best("latin1 text of the bytes", () => {
  text = decodeLatin1(input, lines.ascii);
});
best("kernel: copy in, count, find lines and kinds", () => {
  lines = scanFile(input);
});
const index = { text, base: 0, limit: text.length, ...lines };
best("envelope walk with the G85 CRC of every set", () =>
  checkEnvelope(index, new FindingList(), { fold: lines.crc }),
);
best("  of which the walk alone (CRC left out)", () =>
  checkEnvelope(index, new FindingList(), { fold: () => 0 }),
);
best("  of which the CRC of the whole file", () => lines.crc(0, 0, input.length));

// The typed views of every audit, and two floors that no accessor returning plain objects can go
// under: reading every number of the PA segments without building anything, and building the
// product objects (as many as the file has, with their counters) without reading anything.
const file = parse(input);
const audits = file.audits();
console.log(`where the typed views of its ${audits.length} audits go (best of ${RUNS}):`);
best("audits(): each audit's own findings and sets", () => file.audits());
best("products of every audit", () => {
  for (const a of audits) products(a.file);
});
best("cashTotals, events, identification of every audit", () => {
  for (const a of audits) {
    cashTotals(a.file);
    events(a.file);
    identification(a.file);
  }
});
const all = products(file);
const pa7 = all.reduce((n, p) => n + p.byMedium.length, 0);
best("floor: every PA number read, nothing built", () => {
  const { text: t, starts, eols, keys, count } = file.index;
  let sum = 0;
  for (let i = 0; i < count; i++) {
    if ((keys[i] as number) >>> 8 !== 0x5041) continue; // "PA" and a digit
    const end = (i + 1 < count ? (starts[i + 1] as number) : t.length) - (eols[i] as number);
    let value = 0;
    for (let p = (starts[i] as number) + 4; p < end; p++) {
      const c = t.charCodeAt(p);
      if (c === 42) {
        sum += value;
        value = 0;
      } else value = value * 10 + c - 48;
    }
    sum += value;
  }
  return sum;
});
best(`floor: ${all.length} products and ${pa7} PA7 built, nothing read`, () => {
  const out = [];
  for (let i = 0; i < all.length; i++) {
    const c = () => ({ countInit: i, valueInit: i, countReset: i, valueReset: i });
    out.push({
      id: "1",
      price: i,
      name: undefined,
      paid: c(),
      test: c(),
      free: c(),
      byMedium: [] as unknown[],
      line: i,
    });
  }
  for (let i = 0; i < pa7; i++) {
    const sales = { countInit: i, valueInit: i, countReset: i, valueReset: i };
    out[i % out.length]?.byMedium.push({ medium: "CA", priceList: 0, price: i, sales });
  }
  return out;
});
