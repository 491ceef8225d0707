import { type Contract, overageCharge, type Reading, type Tier } from "@vendkit/metering";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { billingRun } from "./billing-run.js";
import { invoiceDraft, mulDivHalfUp } from "./invoice.js";
import type { InstallationRow } from "./store.js";
import { sampleInvoice } from "./test-support.js";

const installation = (id: string, customerId: string): InstallationRow => ({
  id,
  customerId,
  deviceId: `D-${id}`,
  site: "office",
  customerName: `${customerId} Srl`,
  customerEmail: "office@customer.example",
  device: {
    id: `D-${id}`,
    model: "Copier",
    serial: `S-${id}`,
    counters: ["mono", "colour"],
    consumables: [],
  },
});
const reading = (installationId: string, date: string, mono: number, colour: number): Reading => ({
  installationId,
  date,
  counters: { mono, colour },
  source: "operator",
});

describe("an invoice drafted from a billing run", () => {
  it("has a fee line, an overage line per counter and tier, a minimum top-up, and VAT per rate", () => {
    // 12,345 mono pages and 150 colour in the period, on test-support's sample contract
    const draft = sampleInvoice();
    expect(
      draft.lines.map((l) => [l.kind, l.counter ?? "", l.tier?.index ?? 0, l.quantity, l.amount]),
    ).toEqual([
      ["fee", "", 0, 1, 5000],
      // 11,345 mono pages over: 10,000 at 0.80 cents, then 1,345 at 0.60 (807 cents exactly)
      ["overage", "mono", 1, 10_000, 8000],
      ["overage", "mono", 2, 1345, 807],
      ["overage", "colour", 1, 50, 450],
      // 5,000 + 8,807 + 450 = 14,257: the minimum charge of 20,000 tops it up
      ["minimum", "", 0, 1, 5743],
    ]);
    expect(draft.vat).toEqual([{ vatRate: 2200, taxable: 20_000, tax: 4400 }]);
    expect([draft.taxable, draft.tax, draft.total]).toEqual([20_000, 4400, 24_400]);
    expect(draft.lines[2]?.description).toBe(
      "mono beyond 1000 included, tier 2, ACME-1 2026-01-28 - 2026-02-28",
    );
  });

  it("rounds a line, and the tax per rate, half up to the cent", () => {
    expect(mulDivHalfUp(1345, 60, 100)).toBe(807);
    expect(mulDivHalfUp(5, 1, 2)).toBe(3); // 2.5 -> 3
    expect(mulDivHalfUp(1005, 2200, 10_000)).toBe(221); // 221.1
    expect(mulDivHalfUp(1025, 2200, 10_000)).toBe(226); // 225.5 -> 226
  });

  it("keeps a counter's tier lines within half a cent a tier of the billing's exact overage", () => {
    const tiers = fc
      .array(fc.record({ price: fc.integer({ min: 1, max: 500 }), per: fc.integer({ min: 1, max: 1000 }) }), {
        minLength: 1,
        maxLength: 4,
      })
      .chain((rates) =>
        fc
          .array(fc.integer({ min: 1, max: 50_000 }), {
            minLength: rates.length - 1,
            maxLength: rates.length - 1,
          })
          .map((tops) => {
            const sorted = [...tops].sort((a, b) => a - b);
            return rates.map((r, i): Tier => (i < sorted.length ? { ...r, upTo: sorted[i] } : r));
          }),
      );
    fc.assert(
      fc.property(tiers, fc.integer({ min: 1, max: 100_000 }), (t, excess) => {
        const contract: Contract = {
          installationId: "X-1",
          period: "monthly",
          readingDay: 28,
          start: "2026-01-28",
          fee: 0,
          terms: { mono: { included: 0, tiers: t }, colour: { included: 0, tiers: [{ price: 0, per: 1 }] } },
        };
        const run = billingRun(
          "2026-02",
          [installation("X-1", "X")],
          new Map([["X-1", contract]]),
          new Map([["X-1", [reading("X-1", "2026-01-28", 0, 0), reading("X-1", "2026-02-28", excess, 0)]]]),
        );
        const lines = invoiceDraft("X", run.entries, new Map([["X-1", contract]]), 2200).lines.filter(
          (l) => l.counter === "mono",
        );
        const sum = lines.reduce((s, l) => s + l.amount, 0);
        expect(lines.reduce((s, l) => s + l.quantity, 0)).toBe(excess);
        expect(Math.abs(sum - overageCharge(excess, t))).toBeLessThanOrEqual((lines.length + 1) / 2);
      }),
    );
  });
});
