/**
 * `npm run fuzz [-- <target>...] [--runs N] [--max-len N] [--jobs N]`: runs each fuzz target (all
 * by default; `--jobs` of them at once, default 1) under Jazzer.js for N executions (default
 * 1,000,000), starting from its committed corpus and the inputs of its fixed findings
 * (`regressions/<target>/`, which stay as they are), then minimises what it found back into
 * `corpus/<target>/` (libFuzzer's merge: the smallest set of inputs with the same coverage).
 * Prints per target the executions, the time, the coverage (edges and features) at the start and
 * at the end, the corpus size and the findings, which go to `findings/<target>/` (a crash, an
 * untyped error or a broken invariant, each a file to replay with scripts/replay.mjs). Exits 1
 * when a target found something, ran short, or its coverage did not grow from an empty start
 * (which would mean the instrumentation saw none of the package's code).
 */
import { spawn } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { jazzerEnvironment } from "./jazzer-compat.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const cli = join(dirname(require.resolve("@jazzer.js/core/package.json")), "dist", "cli.js");

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i === -1) return fallback;
  const [, value] = args.splice(i, 2);
  return Number(value);
};
const runs = option("--runs", 1_000_000);
const maxLen = option("--max-len", 1024);
const jobs = option("--jobs", 1);
const all = readdirSync(join(root, "dist"))
  .filter((f) => f.endsWith(".cjs"))
  .map((f) => f.slice(0, -4))
  .sort();
const unknown = args.filter((t) => !all.includes(t));
if (unknown.length > 0) {
  console.error(`unknown target(s): ${unknown.join(", ")}; the targets are: ${all.join(", ")}`);
  process.exit(2);
}
const targets = args.length > 0 ? args : all;
const env = { ...process.env, ...jazzerEnvironment() };

/** The libFuzzer status line's numbers, e.g. "#2 INITED cov: 31 ft: 32 corp: 1/1b". */
function stats(text, what) {
  const m = new RegExp(`#(\\d+)\\s+${what}\\s+cov: (\\d+) ft: (\\d+)`).exec(text);
  return m ? { at: Number(m[1]), cov: Number(m[2]), ft: Number(m[3]) } : undefined;
}

/** Runs Jazzer.js on a target; resolves with its exit status and everything it printed. */
function jazzer(target, corpusDirs, libfuzzer) {
  const file = join(root, "dist", `${target}.cjs`);
  const sync = require(file).mode !== "async";
  const child = spawn(
    process.execPath,
    [cli, file, ...corpusDirs, ...(sync ? ["--sync"] : []), "--", ...libfuzzer],
    {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  const collect = (d) => {
    out += d;
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  return new Promise((resolve) => child.on("close", (status) => resolve({ status, out })));
}

const rows = [];
let failed = false;

async function fuzzOne(target) {
  const corpus = join(root, "corpus", target);
  const findings = join(root, "findings", target);
  mkdirSync(findings, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), `fuzz-${target}-`));
  // the committed corpus, and the inputs of findings fixed (kept apart: a merge never drops them)
  const regressions = join(root, "regressions", target);
  for (const dir of [corpus, regressions]) if (existsSync(dir)) cpSync(dir, work, { recursive: true });
  const seeded = readdirSync(work).length > 0;
  const started = Date.now();
  const { status, out } = await jazzer(
    target,
    [work],
    [`-runs=${runs}`, `-max_len=${maxLen}`, `-artifact_prefix=${findings}/`, "-print_final_stats=1"],
  );
  const seconds = (Date.now() - started) / 1000;
  const first = stats(out, "INITED");
  const last = stats(out, "DONE");
  // libFuzzer's final count, or the DONE line's (the final stats are not always printed)
  const executed = Number(/stat::number_of_executed_units: (\d+)/.exec(out)?.[1] ?? last?.at ?? 0);
  // this run's findings (those of earlier runs stay in the folder until someone deletes them)
  const found = readdirSync(findings).filter(
    (f) => /^(crash|timeout|oom|leak)-/.test(f) && statSync(join(findings, f)).mtimeMs >= started,
  );
  const grew = first !== undefined && last !== undefined && (seeded || last.cov > first.cov);
  // minimise the work corpus back into the committed one
  const merged = mkdtempSync(join(tmpdir(), `fuzz-${target}-min-`));
  const merge = await jazzer(
    target,
    [merged, work],
    ["-merge=1", `-max_len=${maxLen}`, `-artifact_prefix=${findings}/`],
  );
  // a merge that failed keeps the committed corpus as it was (and the run fails)
  const mergedOk = merge.status === 0 && readdirSync(merged).length > 0;
  if (mergedOk) {
    rmSync(corpus, { recursive: true, force: true });
    mkdirSync(corpus, { recursive: true });
    cpSync(merged, corpus, { recursive: true });
  }
  rmSync(work, { recursive: true, force: true });
  rmSync(merged, { recursive: true, force: true });
  const row = {
    target,
    executions: executed,
    seconds: Math.round(seconds),
    perSecond: Math.round(executed / seconds),
    coverage: `${first?.cov ?? "?"} -> ${last?.cov ?? "?"}`,
    features: `${first?.ft ?? "?"} -> ${last?.ft ?? "?"}`,
    corpus: readdirSync(corpus).length,
    findings: found.length,
    exit: status,
  };
  rows.push(row);
  if (!mergedOk) {
    failed = true;
    const tail = merge.out.split("\n").slice(-15);
    console.error(
      `\n${target}: the corpus merge failed (exit ${merge.status}), corpus/${target} kept\n${tail.join("\n")}`,
    );
  }
  if (found.length > 0 || status !== 0 || !grew || executed < runs) {
    failed = true;
    const tail = out
      .split("\n")
      .filter((l) => /==\d+==|Error|Finding|MS: |Test unit/.test(l))
      .slice(0, 20);
    console.error(
      `\n${target}: ${found.length} finding(s), exit ${status}${grew ? "" : ", coverage did not grow"}${executed < runs ? `, only ${executed} executions` : ""}\n${tail.join("\n")}`,
    );
  }
  console.log(
    `${target.padEnd(26)} ${String(executed).padStart(9)} runs ${String(row.seconds).padStart(5)} s ${String(row.perSecond).padStart(7)}/s  cov ${row.coverage.padEnd(13)} ft ${row.features.padEnd(15)} corpus ${String(row.corpus).padStart(4)}  findings ${found.length}`,
  );
}

const queue = [...targets];
await Promise.all(
  Array.from({ length: Math.max(1, jobs) }, async () => {
    for (let t = queue.shift(); t !== undefined; t = queue.shift()) await fuzzOne(t);
  }),
);
rows.sort((a, b) => a.target.localeCompare(b.target));
writeFileSync(
  join(root, "findings", "last-run.json"),
  `${JSON.stringify({ runs, maxLen, jobs, rows }, null, 2)}\n`,
);
console.log(
  "\n| target | executions | time (s) | exec/s | coverage (edges) | features | corpus | findings |",
);
console.log("|---|---:|---:|---:|---|---|---:|---:|");
for (const r of rows)
  console.log(
    `| ${r.target} | ${r.executions} | ${r.seconds} | ${r.perSecond} | ${r.coverage} | ${r.features} | ${r.corpus} | ${r.findings} |`,
  );
process.exit(failed ? 1 : 0);
