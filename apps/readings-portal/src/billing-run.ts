import { type Bill, billFromReadings, type Contract, periodOf, type Reading } from "@vendkit/metering";
import { toCsv } from "./csv.js";
import type { InstallationRow } from "./store.js";

export interface BillingEntry {
  readonly installation: InstallationRow;
  readonly from: string;
  readonly to: string;
  /** Absent while a reading on or before either end of the period is missing. */
  readonly bill?: Bill;
}

export interface BillingRun {
  readonly month: string;
  readonly entries: readonly BillingEntry[];
  /** Sum of the billed entries' totals (smallest currency unit). */
  readonly total: number;
}

/** Every contract's periods that end (on their reading day) within `month`, billed from the readings. */
export function billingRun(
  month: string,
  installations: readonly InstallationRow[],
  contracts: ReadonlyMap<string, Contract>,
  readings: ReadonlyMap<string, readonly Reading[]>,
): BillingRun {
  const entries: BillingEntry[] = [];
  for (const installation of installations) {
    const contract = contracts.get(installation.id);
    if (!contract) continue;
    for (let k = 0; ; k++) {
      const { from, to } = periodOf(contract, k);
      if (to.slice(0, 7) > month) break;
      if (to.slice(0, 7) < month) continue;
      const bill = billFromReadings(contract, readings.get(installation.id) ?? [], k);
      entries.push({ installation, from, to, ...(bill ? { bill } : {}) });
    }
  }
  return { month, entries, total: entries.reduce((sum, e) => sum + (e.bill?.total ?? 0), 0) };
}

/**
 * The billing lines as CSV, one line per amount so the amounts column sums to the invoice total:
 * `fee`, one `overage` line per counter, a `minimum` line when the minimum charge raised the
 * total, and a `missing` line (no amount) for a period still waiting for readings.
 */
export function billingCsv(run: BillingRun): string {
  const rows: (string | number)[][] = [
    [
      "customer",
      "installation",
      "device",
      "from",
      "to",
      "line",
      "counter",
      "usage",
      "included",
      "excess",
      "amount",
    ],
  ];
  for (const e of run.entries) {
    const head = [e.installation.customerId, e.installation.id, e.installation.device.serial, e.from, e.to];
    if (!e.bill) {
      rows.push([...head, "missing", "", "", "", "", ""]);
      continue;
    }
    rows.push([...head, "fee", "", "", "", "", e.bill.fee]);
    for (const l of e.bill.lines)
      rows.push([...head, "overage", l.counter, l.usage, l.included, l.excess, l.charge]);
    const raise = e.bill.total - e.bill.fee - e.bill.overage;
    if (raise > 0) rows.push([...head, "minimum", "", "", "", "", raise]);
  }
  return toCsv(rows);
}
