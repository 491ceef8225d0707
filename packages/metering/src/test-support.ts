import type { Contract } from "./model.js";

/**
 * The contract the tests and the benchmark bill against: a quarterly fee of 150.00 with a
 * 160.00 minimum, 6,000 mono pages included then 0.12 per 10, 1,000 colour pages included then
 * 0.08 each up to 2,000 and 0.06 beyond.
 */
export const SAMPLE_CONTRACT: Contract = {
  installationId: "i1",
  period: "quarterly",
  readingDay: 1,
  start: "2026-01-01",
  fee: 15_000,
  minimumCharge: 16_000,
  terms: {
    mono: { included: 6_000, tiers: [{ price: 12, per: 10 }] },
    colour: {
      included: 1_000,
      tiers: [
        { upTo: 2_000, price: 8, per: 1 },
        { price: 6, per: 1 },
      ],
    },
  },
};
