import { readFileSync, statSync } from "node:fs";
import { parseArgs } from "node:util";
import { type BatchCommand, type BatchFormat, listFiles, progressLine, runBatch } from "./batch.js";
import type { TransactionSetCrc } from "./envelope.js";
import { EvadtsError, type Finding } from "./findings.js";
import { parse } from "./parse.js";
import { summarize } from "./summary.js";
import { validate } from "./validate.js";

const USAGE = `usage: evadts <command> <file|folder|->... [--strict] [--jsonl | --csv]
       evadts --help

commands:
  validate <file>   list findings; exit 0 when there is no error, 1 otherwise
                    (--strict: warnings count as errors)
  json <file>       the parsed file (segments, findings and where each audit is) as JSON
  crc <file>        the G85 each transaction set states and the one computed
  summary <file>    a readable sales and cash report, one per audit in the file

"-" reads standard input. validate, json and summary take many files and folders (a route's day):
each file is read, reported and dropped in turn; a broken file is reported and the batch goes on
(exit 1 at the end). --jsonl writes one JSON line per audit (validate: per file), --csv the
products and cash per machine. On a terminal a status line on stderr shows files, MB, rate, time left.`;

function readInput(path: string): Uint8Array {
  return path === "-" ? readFileSync(0) : readFileSync(path);
}

function formatFinding(f: Finding): string {
  const where = f.segment
    ? ` ${f.segment}${f.element === undefined ? "" : `${String(f.element).padStart(2, "0")}`}`
    : "";
  return `${f.line}:${f.column} ${f.severity} ${f.code}${where}: ${f.message}`;
}

function crcVerdict(s: TransactionSetCrc): string {
  if (s.stated === undefined) return "";
  if (s.variant === "standard") return " (match)";
  if (s.variant === "no-final-line-end")
    return ` (match without the CR LF after the last segment: ${s.computedNoFinalLineEnd})`;
  return ` (MISMATCH; ${s.computedNoFinalLineEnd} without the last CR LF)`;
}

/** A command-line mistake: one line, exit 2. */
function mistake(message: string): number {
  process.stderr.write(`evadts: ${message} (see --help)\n`);
  return 2;
}

function main(argv: readonly string[]): number {
  let parsed: {
    values: { strict?: boolean; jsonl?: boolean; csv?: boolean; help?: boolean };
    positionals: string[];
  };
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        strict: { type: "boolean" },
        jsonl: { type: "boolean" },
        csv: { type: "boolean" },
        help: { type: "boolean" },
      },
      allowPositionals: true,
    });
  } catch (e) {
    return mistake(e instanceof Error ? e.message : String(e));
  }
  const { values } = parsed;
  const strict = values.strict === true;
  const [command, path, ...more] = parsed.positionals;
  if (command === "help" || values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command === undefined) return mistake("a command is needed: validate, json, crc or summary");
  if (!["validate", "json", "crc", "summary"].includes(command))
    return mistake(`unknown command "${command}"`);
  if (path === undefined) return mistake(`${command} needs a file, a folder or -`);
  if (values.jsonl === true && values.csv === true) return mistake("--jsonl or --csv, not both");
  const format = values.jsonl === true ? "jsonl" : values.csv === true ? "csv" : "text";
  const many = more.length > 0 || format !== "text" || (path !== "-" && statSync(path).isDirectory());
  if (many) {
    if (command !== "validate" && command !== "json" && command !== "summary") {
      return mistake(`${command} takes one file`);
    }
    return batch(command, [path, ...more], format, strict);
  }
  const bytes = readInput(path);
  switch (command) {
    case "validate": {
      const findings = validate(bytes, { mode: strict ? "strict" : "tolerant" });
      for (const f of findings) process.stdout.write(`${formatFinding(f)}\n`);
      const failing = findings.filter((f) => strict || f.severity === "error");
      process.stdout.write(
        failing.length === 0 ? "valid\n" : `invalid: ${failing.length} failing findings\n`,
      );
      return failing.length === 0 ? 0 : 1;
    }
    case "json":
      process.stdout.write(`${JSON.stringify(parse(bytes), null, 2)}\n`);
      return 0;
    case "crc": {
      const sets = parse(bytes).transactionSets;
      for (const s of sets) {
        process.stdout.write(
          `line ${s.line}: stated ${s.stated ?? "none"}, computed ${s.computed}${crcVerdict(s)}\n`,
        );
      }
      if (sets.length === 0) process.stdout.write("no transaction set\n");
      return sets.every((s) => s.match) && sets.length > 0 ? 0 : 1;
    }
    case "summary": {
      const audits = parse(bytes).audits();
      if (audits.length === 1) process.stdout.write(summarize((audits[0] as (typeof audits)[number]).file));
      else
        audits.forEach(({ line, file }, k) => {
          process.stdout.write(
            `${k === 0 ? "" : "\n"}Audit ${k + 1} of ${audits.length} (from line ${line})\n\n`,
          );
          process.stdout.write(summarize(file));
        });
      if (audits.length === 0) process.stdout.write("no audit in this file\n");
      return 0;
    }
    default:
      return mistake(`unknown command "${command}"`);
  }
}

function batch(
  command: BatchCommand,
  paths: readonly string[],
  format: BatchFormat,
  strict: boolean,
): number {
  const files = listFiles(paths);
  const terminal = process.stderr.isTTY === true;
  let shown = 0;
  const code = runBatch(
    files,
    { command, format, strict },
    (text) => process.stdout.write(text),
    (p) => {
      // a status line at most five times a second, and the last one
      const now = performance.now();
      if (!terminal || (now - shown < 200 && p.files < p.totalFiles)) return;
      shown = now;
      process.stderr.write(`\r${progressLine(p)}\x1b[K${p.files === p.totalFiles ? "\n" : ""}`);
    },
  );
  return code;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  if (e instanceof EvadtsError) {
    process.stderr.write(`evadts: ${e.code}: ${e.message}\n`);
    process.exitCode = 1;
  } else if (e instanceof Error && "code" in e && typeof e.code === "string" && e.code.startsWith("E")) {
    process.stderr.write(`evadts: ${e.message}\n`);
    process.exitCode = 2;
  } else {
    throw e;
  }
}
