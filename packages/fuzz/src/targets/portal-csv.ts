/**
 * Any text as the readings portal's exchange CSV (what the operator imports and the mailbox
 * receives). Beyond "only PortalError escapes": every data row is answered (a reading or a
 * reason, lines in order), and the readings read, written back by the portal's own writer and
 * read again, are the same readings (the import of the confirmation attachment is idempotent).
 */
import type { Reading } from "@vendkit/metering";
import { PortalError } from "../../../../apps/readings-portal/src/errors.js";
import { readingsFromCsv, readingsToCsv } from "../../../../apps/readings-portal/src/readings-csv.js";
import { finding, never, typedOnly } from "../harness.js";

const text = new TextDecoder();
const canonical = (r: Reading) =>
  JSON.stringify([
    r.installationId,
    r.date,
    Object.entries(r.counters).sort(),
    Object.entries(r.consumables ?? {}).sort(),
  ]);

export function fuzz(data: Uint8Array): void {
  const rows = typedOnly("readingsFromCsv", [PortalError], () =>
    readingsFromCsv(text.decode(data), "operator"),
  );
  if (rows === undefined) return;
  rows.forEach((row, i) => {
    if (row.line !== i + 2) finding(`row ${i} says line ${row.line}`);
    if ((row.reading === undefined) === (row.error === undefined))
      finding(`line ${row.line}: a reading and a reason, or neither`);
    for (const [name, n] of Object.entries(row.reading?.counters ?? {}))
      if (!Number.isSafeInteger(n) || n < 0) finding(`line ${row.line}: counter ${name} is ${n}`);
  });
  const readings = rows.flatMap((r) => (r.reading ? [r.reading] : []));
  if (readings.length === 0) return;
  const again = never("readingsFromCsv (of its own writing)", () =>
    readingsFromCsv(readingsToCsv(readings), "operator"),
  );
  if (again.length !== readings.length)
    finding(`${readings.length} readings written, ${again.length} rows read back`);
  again.forEach((row, i) => {
    const before = readings[i] as Reading;
    if (row.reading === undefined)
      finding(`reading ${canonical(before)} written, read back refused: ${row.error}`);
    if (canonical(row.reading) !== canonical(before))
      finding(`reading ${canonical(before)} read back as ${canonical(row.reading)}`);
  });
}
