import { type Contract, type CounterTerms, MONTHS, type Reading, type Tier } from "./model.js";
import { usageOver } from "./usage.js";

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));

/**
 * The charge for `excess` units under tiered rates, exact: the tiers' amounts are summed as a
 * fraction and rounded once, half up, to the smallest currency unit.
 */
export function overageCharge(excess: number, tiers: readonly Tier[]): number {
  if (excess <= 0) return 0;
  let num = 0n;
  let den = 1n;
  let done = 0;
  for (const t of tiers) {
    const upper = t.upTo === undefined ? excess : Math.min(excess, t.upTo);
    const units = Math.max(0, upper - done);
    if (units > 0) {
      // num/den + units*price/per
      const per = BigInt(t.per);
      num = num * per + BigInt(units) * BigInt(t.price) * den;
      den *= per;
      const g = gcd(num, den);
      if (g > 1n) {
        num /= g;
        den /= g;
      }
    }
    done = upper;
    if (done >= excess) break;
  }
  return Number((2n * num + den) / (2n * den));
}

export interface BillLine {
  readonly counter: string;
  readonly usage: number;
  readonly included: number;
  readonly excess: number;
  readonly charge: number;
}

export interface Bill {
  readonly lines: readonly BillLine[];
  readonly fee: number;
  readonly overage: number;
  /** fee + overage, raised to the minimum charge when there is one. */
  readonly total: number;
}

/** One period's bill from the usage of each counter (exact integers throughout). */
export function billPeriod(contract: Contract, usage: Readonly<Record<string, number>>): Bill {
  const lines = Object.entries(contract.terms).map(([counter, terms]: [string, CounterTerms]) => {
    const used = Math.max(0, usage[counter] ?? 0);
    const excess = Math.max(0, used - terms.included);
    return {
      counter,
      usage: used,
      included: terms.included,
      excess,
      charge: overageCharge(excess, terms.tiers),
    };
  });
  const overage = lines.reduce((sum, l) => sum + l.charge, 0);
  const total = Math.max(contract.fee + overage, contract.minimumCharge ?? 0);
  return { lines, fee: contract.fee, overage, total };
}

const iso = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);

/** The k-th period of a contract (k from 0): from (inclusive) and to (exclusive), YYYY-MM-DD. */
export function periodOf(contract: Contract, k: number): { from: string; to: string } {
  const [y, m] = contract.start.split("-").map(Number) as [number, number];
  const months = MONTHS[contract.period];
  return {
    from: iso(y, m - 1 + k * months, contract.readingDay),
    to: iso(y, m - 1 + (k + 1) * months, contract.readingDay),
  };
}

/**
 * The bill of period k from an installation's readings (in date order): usage runs from the last
 * reading on or before the period's start to the last reading on or before its end. Undefined
 * while either is missing.
 */
export function billFromReadings(
  contract: Contract,
  readings: readonly Reading[],
  k: number,
): Bill | undefined {
  const { from, to } = periodOf(contract, k);
  const lastOnOrBefore = (date: string) => {
    let i = readings.length - 1;
    while (i >= 0 && (readings[i] as Reading).date > date) i--;
    return i;
  };
  const first = lastOnOrBefore(from);
  const last = lastOnOrBefore(to);
  if (first < 0 || last <= first) return undefined;
  const chain = readings.slice(first, last + 1);
  const usage: Record<string, number> = {};
  for (const counter of Object.keys(contract.terms)) {
    const u = usageOver(chain, counter);
    if (u === undefined) return undefined;
    usage[counter] = u;
  }
  return billPeriod(contract, usage);
}
