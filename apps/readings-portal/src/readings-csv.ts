import type { Reading, ReadingSource } from "@vendkit/metering";
import { parseCsv, toCsv } from "./csv.js";
import { PortalError } from "./errors.js";

/**
 * The readings exchange format: the CSV the operator imports, and the attachment the operator's
 * mailbox receives when a customer confirms (so the same file imports again, idempotently).
 *
 *   installation,date,mono,colour,level:toner-black
 *   I-0001,2026-11-20,10234,2210,64
 *
 * A column per counter, `level:<consumable>` per consumable level in percent; an empty cell is
 * "not read". Rows of different devices share one file through the union of their columns.
 */
export const LEVEL = "level:";

export interface CsvRow {
  /** Line in the file (1 = the header). */
  readonly line: number;
  readonly reading?: Reading;
  readonly error?: string;
}

const WHOLE = /^\d{1,15}$/;
const PERCENT = /^\d{1,3}(\.\d+)?$/;

export function readingsFromCsv(text: string, source: ReadingSource): CsvRow[] {
  const rows = parseCsv(text);
  const header = rows[0]?.map((h) => h.trim());
  if (header?.[0] !== "installation" || header[1] !== "date")
    throw new PortalError("BAD_INPUT", 'CSV: the first line must start with "installation,date"');
  const names = header.slice(2);
  const empty = names.findIndex((n) => n === "" || n === LEVEL);
  if (empty >= 0) throw new PortalError("BAD_INPUT", `CSV: column ${empty + 3} of the header has no name`);
  return rows.slice(1).map((cells, i): CsvRow => {
    const line = i + 2;
    if (cells.length > header.length)
      return { line, error: `${cells.length} cells where the header has ${header.length}` };
    const [installation = "", date = ""] = cells.map((c) => c.trim());
    if (installation === "") return { line, error: "no installation" };
    // entries first, then objects of own properties: a column named "__proto__" or "constructor"
    // is a counter like any other, not the object's prototype
    const counters: [string, number][] = [];
    const consumables: [string, number][] = [];
    for (const [j, name] of names.entries()) {
      const raw = (cells[j + 2] ?? "").trim();
      if (raw === "") continue;
      if (name.startsWith(LEVEL)) {
        if (!PERCENT.test(raw) || Number(raw) > 100)
          return { line, error: `${name} is "${raw}", not a level from 0 to 100` };
        consumables.push([name.slice(LEVEL.length), Number(raw)]);
      } else {
        if (!WHOLE.test(raw)) return { line, error: `${name} is "${raw}", not a whole count` };
        counters.push([name, Number(raw)]);
      }
    }
    const reading: Reading = {
      installationId: installation,
      date,
      counters: Object.fromEntries(counters),
      source,
      ...(consumables.length > 0 ? { consumables: Object.fromEntries(consumables) } : {}),
    };
    return { line, reading };
  });
}

export function readingsToCsv(readings: readonly Reading[]): string {
  const counters = [...new Set(readings.flatMap((r) => Object.keys(r.counters)))];
  const levels = [...new Set(readings.flatMap((r) => Object.keys(r.consumables ?? {})))];
  return toCsv([
    ["installation", "date", ...counters, ...levels.map((l) => LEVEL + l)],
    ...readings.map((r) => [
      r.installationId,
      r.date,
      ...counters.map((c) => (Object.hasOwn(r.counters, c) ? (r.counters[c] as number) : "")),
      ...levels.map((l) =>
        r.consumables && Object.hasOwn(r.consumables, l) ? (r.consumables[l] as number) : "",
      ),
    ]),
  ]);
}
