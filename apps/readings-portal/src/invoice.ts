import type { Contract, Tier } from "@vendkit/metering";
import type { BillingEntry } from "./billing-run.js";

/**
 * An invoice's lines from a billing run, as FatturaPA (FPR12) wants them, amounts in integer cents.
 * Rounding, stated once here and tested:
 * - a line's amount is its quantity times its unit price (a fraction of a cent a unit, `price /
 *   per`), rounded half up to the cent (PrezzoTotale);
 * - an overage is one line per counter and tier, each rounded on its own, so the invoice may differ
 *   from the billing CSV (which rounds a counter's tiers once) by at most half a cent a tier;
 * - a period's minimum top-up is what takes its fee and overage lines up to the contract's
 *   minimum charge;
 * - the taxable amount per VAT rate is the sum of its lines, the tax per rate that sum times the
 *   rate, rounded half up to the cent (ImponibileImporto, Imposta).
 */

export interface InvoiceLine {
  readonly installationId: string;
  /** The period billed, YYYY-MM-DD to YYYY-MM-DD. */
  readonly from: string;
  readonly to: string;
  readonly kind: "fee" | "overage" | "minimum";
  readonly counter?: string;
  /** An overage line's tier: its place from 1 and its top, when it has one. */
  readonly tier?: { readonly index: number; readonly upTo?: number };
  readonly description: string;
  readonly quantity: number;
  /** `price / per` of the smallest unit a unit. */
  readonly unitPrice: { readonly price: number; readonly per: number };
  readonly amount: number;
  /** In hundredths of a percent: 2200 is 22 %. */
  readonly vatRate: number;
}

export interface VatSummary {
  readonly vatRate: number;
  readonly taxable: number;
  readonly tax: number;
}

export interface InvoiceDraft {
  readonly customerId: string;
  readonly lines: readonly InvoiceLine[];
  readonly vat: readonly VatSummary[];
  readonly taxable: number;
  readonly tax: number;
  readonly total: number;
}

/** a × b / c rounded half up, for non-negative integers, exactly. */
export function mulDivHalfUp(a: number, b: number, c: number): number {
  const n = BigInt(a) * BigInt(b);
  const d = BigInt(c);
  return Number((2n * n + d) / (2n * d));
}

/** The units of `excess` that fall in each tier, in order (a tier with none is left out). */
function tierUnits(excess: number, tiers: readonly Tier[]): { tier: Tier; index: number; units: number }[] {
  const out: { tier: Tier; index: number; units: number }[] = [];
  let done = 0;
  tiers.forEach((tier, i) => {
    if (done >= excess) return;
    const upper = tier.upTo === undefined ? excess : Math.min(excess, tier.upTo);
    const units = Math.max(0, upper - done);
    if (units > 0) out.push({ tier, index: i + 1, units });
    done = Math.max(done, upper);
  });
  return out;
}

/**
 * The draft invoice of one customer's billed periods (`entries` without a bill are left out: they
 * wait for readings), every line at `vatRate` (hundredths of a percent).
 */
export function invoiceDraft(
  customerId: string,
  entries: readonly BillingEntry[],
  contracts: ReadonlyMap<string, Contract>,
  vatRate: number,
): InvoiceDraft {
  const lines: InvoiceLine[] = [];
  for (const e of entries) {
    const contract = contracts.get(e.installation.id);
    if (e.bill === undefined || contract === undefined) continue;
    const period = { installationId: e.installation.id, from: e.from, to: e.to, vatRate };
    const where = `${e.installation.id} ${e.from} - ${e.to}`;
    lines.push({
      ...period,
      kind: "fee",
      description: `Fee, ${where}`,
      quantity: 1,
      unitPrice: { price: contract.fee, per: 1 },
      amount: contract.fee,
    });
    let periodAmount = contract.fee;
    for (const l of e.bill.lines) {
      const terms = contract.terms[l.counter];
      if (terms === undefined) continue;
      for (const { tier, index, units } of tierUnits(l.excess, terms.tiers)) {
        const amount = mulDivHalfUp(units, tier.price, tier.per);
        periodAmount += amount;
        lines.push({
          ...period,
          kind: "overage",
          counter: l.counter,
          tier: { index, ...(tier.upTo === undefined ? {} : { upTo: tier.upTo }) },
          description: `${l.counter} beyond ${l.included} included, tier ${index}${tier.upTo === undefined ? "" : ` (up to ${tier.upTo})`}, ${where}`,
          quantity: units,
          unitPrice: { price: tier.price, per: tier.per },
          amount,
        });
      }
    }
    const topUp = Math.max(0, (contract.minimumCharge ?? 0) - periodAmount);
    if (topUp > 0)
      lines.push({
        ...period,
        kind: "minimum",
        description: `Minimum charge top-up, ${where}`,
        quantity: 1,
        unitPrice: { price: topUp, per: 1 },
        amount: topUp,
      });
  }
  const rates = [...new Set(lines.map((l) => l.vatRate))].sort((a, b) => a - b);
  const vat = rates.map((rate) => {
    const taxable = lines.filter((l) => l.vatRate === rate).reduce((sum, l) => sum + l.amount, 0);
    return { vatRate: rate, taxable, tax: mulDivHalfUp(taxable, rate, 10_000) };
  });
  const taxable = vat.reduce((sum, v) => sum + v.taxable, 0);
  const tax = vat.reduce((sum, v) => sum + v.tax, 0);
  return { customerId, lines, vat, taxable, tax, total: taxable + tax };
}
