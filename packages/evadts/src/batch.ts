import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { cashlessSales, cashTotals, identification, products, vendTotals } from "./accessors.js";
import { EvadtsError } from "./findings.js";
import { parse } from "./parse.js";
import { summarize } from "./summary.js";
import { validate } from "./validate.js";

/**
 * Many audit files at once (a route's day): each file is read, parsed, reported and dropped
 * before the next, so memory stays bounded whatever the number of files. A file that cannot be
 * read or is no audit is reported, and the batch goes on.
 */

export type BatchCommand = "summary" | "json" | "validate";
export type BatchFormat = "text" | "jsonl" | "csv";

export interface BatchOptions {
  readonly command: BatchCommand;
  /** `jsonl`: one JSON line per audit; `csv`: products and cash per machine; `text`: as for one file. */
  readonly format: BatchFormat;
  readonly strict?: boolean;
}

/** Progress so far: files and bytes done of all, for a terminal's status line. */
export interface BatchProgress {
  readonly files: number;
  readonly totalFiles: number;
  readonly bytes: number;
  readonly totalBytes: number;
  readonly elapsedMs: number;
}

/** The files `paths` name: files as given, folders walked (sorted, recursively). */
export function listFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (path: string) => {
    if (!statSync(path).isDirectory()) {
      out.push(path);
      return;
    }
    for (const name of readdirSync(path).sort()) walk(join(path, name));
  };
  for (const p of paths) walk(p);
  return out;
}

const CSV_HEADER =
  "file,audit,machine,model,date,kind,product,price,count_init,value_init,count_reset,value_reset";

const csvCell = (v: string | number | undefined) => {
  const s = v === undefined ? "" : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** What one audit reports in a batch, as JSON (one line in `--jsonl`). */
function auditRecord(file: string, audit: number, a: ReturnType<typeof parse>) {
  const id = identification(a);
  return {
    file,
    audit,
    machine: id.machineSerial ?? null,
    model: id.machineModel ?? null,
    asset: id.assetNumber ?? null,
    date: id.date ?? null,
    time: id.time ?? null,
    currency: id.currency ?? null,
    decimals: id.decimals ?? null,
    vends: vendTotals(a),
    cash: cashTotals(a),
    cashless: cashlessSales(a) ?? null,
    products: products(a).map((p) => ({
      id: p.id,
      price: p.price ?? null,
      name: p.name ?? null,
      paid: p.paid ?? null,
    })),
    findings: a.findings.length,
  };
}

/**
 * Runs `options.command` over `files`, writing through `out` (each call one line or block), and
 * `progress` after each file. Resolves with the exit code: 0, or 1 when a file could not be read
 * or parsed, or (validate) was invalid.
 */
export function runBatch(
  files: readonly string[],
  options: BatchOptions,
  out: (text: string) => void,
  progress?: (p: BatchProgress) => void,
): number {
  const sizes = files.map((f) => {
    try {
      return statSync(f).size;
    } catch {
      return 0;
    }
  });
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  const started = performance.now();
  let bytes = 0;
  let failed = 0;
  if (options.format === "csv") out(`${CSV_HEADER}\n`);
  files.forEach((path, k) => {
    try {
      const input = readFileSync(path);
      if (options.command === "validate") {
        const findings = validate(input, { mode: options.strict ? "strict" : "tolerant" });
        const failing = findings.filter((f) => options.strict || f.severity === "error").length;
        if (failing > 0) failed++;
        if (options.format === "jsonl")
          out(
            `${JSON.stringify({ file: path, valid: failing === 0, findings: findings.length, failing })}\n`,
          );
        else out(`${path}: ${failing === 0 ? "valid" : `invalid (${failing} failing findings)`}\n`);
      } else {
        const parsed = parse(input);
        // a file with no transaction set holds no audit (not a log, not a half-sent read)
        if (parsed.transactionSets.length === 0) throw new EvadtsError("MISSING_ST", "no audit in this file");
        const audits = parsed.audits();
        audits.forEach(({ file }, n) => {
          if (options.format === "jsonl") out(`${JSON.stringify(auditRecord(path, n + 1, file))}\n`);
          else if (options.format === "csv") {
            const id = identification(file);
            const row = (...cells: (string | number | undefined)[]) =>
              out(
                `${[path, n + 1, id.machineSerial, id.machineModel, id.date, ...cells].map(csvCell).join(",")}\n`,
              );
            for (const p of products(file))
              row(
                "product",
                p.id,
                p.price,
                p.paid?.countInit,
                p.paid?.valueInit,
                p.paid?.countReset,
                p.paid?.valueReset,
              );
            const cash = cashTotals(file).sales;
            row("cash", "", "", cash?.countInit, cash?.valueInit, cash?.countReset, cash?.valueReset);
          } else if (options.command === "json")
            out(`${JSON.stringify({ file: path, audit: n + 1, ...file.toJSON() })}\n`);
          else
            out(
              `== ${path}${audits.length > 1 ? `, audit ${n + 1} of ${audits.length}` : ""}\n\n${summarize(file)}\n`,
            );
        });
      }
    } catch (e) {
      if (!(e instanceof EvadtsError) && !(e instanceof Error && "code" in e)) throw e;
      failed++;
      const message = `${(e as { code?: string }).code ?? "ERROR"}: ${(e as Error).message}`;
      if (options.format === "jsonl") out(`${JSON.stringify({ file: path, error: message })}\n`);
      else if (options.format === "csv")
        out(`${[path, "", "", "", "", "error", message].map(csvCell).join(",")}\n`);
      else out(`${path}: ${message}\n`);
    }
    bytes += sizes[k] ?? 0;
    progress?.({
      files: k + 1,
      totalFiles: files.length,
      bytes,
      totalBytes,
      elapsedMs: performance.now() - started,
    });
  });
  return failed === 0 ? 0 : 1;
}

/** A terminal status line: files, MB, rate and the time left. */
export function progressLine(p: BatchProgress): string {
  const mb = p.bytes / 1_048_576;
  const rate = p.elapsedMs > 0 ? mb / (p.elapsedMs / 1000) : 0;
  const left = rate > 0 ? (p.totalBytes - p.bytes) / 1_048_576 / rate : 0;
  return `${p.files}/${p.totalFiles} files, ${mb.toFixed(1)} of ${(p.totalBytes / 1_048_576).toFixed(1)} MB, ${rate.toFixed(1)} MB/s, ${Math.ceil(left)} s left`;
}
