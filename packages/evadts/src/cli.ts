import { readFileSync } from "node:fs";
import type { TransactionSetCrc } from "./envelope.js";
import { EvadtsError, type Finding } from "./findings.js";
import { parse } from "./parse.js";
import { summarize } from "./summary.js";
import { validate } from "./validate.js";

const USAGE = `usage: evadts <command> <file|->

commands:
  validate <file>   list findings; exit 0 when there is no error, 1 otherwise
                    (--strict: warnings count as errors)
  json <file>       the parsed file (segments, findings and where each audit is) as JSON
  crc <file>        the G85 each transaction set states and the one computed
  summary <file>    a readable sales and cash report, one per audit in the file

"-" reads standard input.`;

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

function main(argv: readonly string[]): number {
  const args = argv.filter((a) => !a.startsWith("--"));
  const strict = argv.includes("--strict");
  const [command, path] = args;
  if (command === undefined || command === "help" || argv.includes("--help")) {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (path === undefined) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
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
      process.stderr.write(`unknown command "${command}"\n${USAGE}\n`);
      return 2;
  }
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
