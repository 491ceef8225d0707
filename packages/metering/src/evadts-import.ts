import { type AuditFile, identification, products, vendTotals } from "@vendkit/evadts";
import type { Reading } from "./model.js";

/**
 * A reading taken from an EVA-DTS audit: counters from its totals since initialisation — `vends`
 * (VA102 paid vends), `free` (VA302), `test` (VA202) and `product:<id>` (PA201 per product) —
 * dated by ID5 (YYMMDD or CCYYMMDD) unless `date` is given.
 */
export function readingFromAudit(
  file: AuditFile,
  installationId: string,
  date?: string,
): Reading | undefined {
  const counters: Record<string, number> = {};
  const totals = vendTotals(file);
  if (totals.paid?.countInit !== undefined) counters.vends = totals.paid.countInit;
  if (totals.free?.countInit !== undefined) counters.free = totals.free.countInit;
  if (totals.test?.countInit !== undefined) counters.test = totals.test.countInit;
  for (const p of products(file))
    if (p.paid?.countInit !== undefined) counters[`product:${p.id}`] = p.paid.countInit;
  const raw = identification(file).date;
  const when =
    date ??
    (raw && /^\d{8}$/.test(raw)
      ? `${raw.slice(0, 4)}-${raw.slice(4, 6)}-${raw.slice(6)}`
      : raw && /^\d{6}$/.test(raw)
        ? `20${raw.slice(0, 2)}-${raw.slice(2, 4)}-${raw.slice(4)}`
        : undefined);
  if (when === undefined) return undefined;
  return { installationId, date: when, counters, source: "evadts" };
}
