import type { CounterTerms, Tier } from "@vendkit/metering";
import { PortalError } from "./errors.js";

/**
 * Contract terms as the operator types them, one counter per line:
 *
 *   mono: 5000 included; 80/100 up to 20000; 60/100
 *   colour: 500 included; 90/10
 *
 * read as: 5000 mono copies in the fee, then 80 (smallest currency unit, cents) per 100 copies for
 * the first 20000 beyond, then 60 per 100.
 */
export function parseTerms(text: string): Record<string, CounterTerms> {
  const out: Record<string, CounterTerms> = {};
  const problems: string[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === "") continue;
    const where = `terms line ${i + 1}`;
    const m = /^([^:;]+):\s*(\d+)\s+included\s*((?:;[^;]*)*)$/.exec(line);
    if (!m) {
      problems.push(`${where}: expected "counter: N included; price/per [up to N]; …"`);
      continue;
    }
    const counter = (m[1] as string).trim();
    const tiers: Tier[] = [];
    for (const part of (m[3] as string).split(";").slice(1)) {
      const t = /^\s*(\d+)\s*\/\s*(\d+)\s*(?:up to\s+(\d+))?\s*$/.exec(part);
      if (!t || Number(t[2]) === 0) {
        problems.push(`${where}: "${part.trim()}" is not "price/per" or "price/per up to N" (per ≥ 1)`);
        continue;
      }
      tiers.push({ price: Number(t[1]), per: Number(t[2]), ...(t[3] ? { upTo: Number(t[3]) } : {}) });
    }
    const bounds = tiers.map((t) => t.upTo);
    if (bounds.slice(0, -1).some((b) => b === undefined))
      problems.push(`${where}: only the last rate may go without "up to"`);
    if (bounds.some((b, j) => b !== undefined && j > 0 && b <= (bounds[j - 1] ?? 0)))
      problems.push(`${where}: the "up to" limits must rise`);
    if (counter in out) problems.push(`${where}: counter "${counter}" given twice`);
    out[counter] = { included: Number(m[2]), tiers };
  }
  if (problems.length === 0 && Object.keys(out).length === 0) problems.push("the terms name no counter");
  if (problems.length > 0) throw new PortalError("BAD_INPUT", "the contract terms are not valid", problems);
  return out;
}

export function formatTerms(terms: Readonly<Record<string, CounterTerms>>): string {
  return Object.entries(terms)
    .map(([counter, t]) =>
      [
        `${counter}: ${t.included} included`,
        ...t.tiers.map((r) => `${r.price}/${r.per}${r.upTo === undefined ? "" : ` up to ${r.upTo}`}`),
      ].join("; "),
    )
    .join("\n");
}
