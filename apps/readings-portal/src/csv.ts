import { parse } from "csv-parse/sync";
import { PortalError } from "./errors.js";

/**
 * RFC 4180 CSV (csv-parse): fields split on commas, quoted fields may hold commas, quotes ("") and
 * newlines; CRLF or LF; a BOM is dropped; rows may differ in length (the import names the row's
 * problem); blank lines are skipped.
 */
export function parseCsv(text: string): string[][] {
  try {
    return parse(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      // a file may mix them (an export edited by hand)
      record_delimiter: ["\r\n", "\n", "\r"],
    }) as string[][];
  } catch (e) {
    const err = e as { code?: string; lines?: number; message?: string };
    if (err.code === "CSV_QUOTE_NOT_CLOSED")
      throw new PortalError("BAD_INPUT", `CSV: a quoted field opened before line ${err.lines} never closes`);
    throw new PortalError("BAD_INPUT", `CSV: ${err.message ?? String(e)}`);
  }
}

const cell = (v: string | number) => {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Rows to CSV text (CRLF line ends, as RFC 4180 and spreadsheets expect). */
export function toCsv(rows: readonly (readonly (string | number)[])[]): string {
  return rows.map((r) => `${r.map(cell).join(",")}\r\n`).join("");
}
