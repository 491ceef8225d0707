import { readFileSync } from "node:fs";
import { EvadtsError, type Finding } from "./findings.js";
import { parse } from "./parse.js";
import { summarize } from "./summary.js";
import { validate } from "./validate.js";

const USAGE = `usage: evadts <command> <file|->

commands:
  validate <file>   list findings; exit 0 when there is no error, 1 otherwise
                    (--strict: warnings count as errors)
  json <file>       the parsed file (segments and findings) as JSON
  crc <file>        the G85 each transaction set states and the one computed
  summary <file>    a readable sales and cash report

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
      const findings = validate(bytes);
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
          `line ${s.line}: stated ${s.stated ?? "none"}, computed ${s.computed}${s.stated === undefined ? "" : s.match ? " (match)" : " (MISMATCH)"}\n`,
        );
      }
      if (sets.length === 0) process.stdout.write("no transaction set\n");
      return sets.every((s) => s.match) && sets.length > 0 ? 0 : 1;
    }
    case "summary":
      process.stdout.write(summarize(parse(bytes)));
      return 0;
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
