/**
 * Time to compute one billing period for 10,000 installations (two counters, tiered colour,
 * four readings each, one meter replacement in ten), against a baseline that only subtracts the
 * two boundary readings, in the same run.
 *
 *   npm run bench -w @vendkit/metering
 */
import { billFromReadings } from "../src/billing.js";
import type { Reading } from "../src/model.js";
import { SAMPLE_CONTRACT } from "../src/test-support.js";

const N = 10_000;
const installations: Reading[][] = Array.from({ length: N }, (_, i) => {
  const r = (date: string, mono: number, colour: number, extra: Partial<Reading> = {}): Reading => ({
    installationId: `i${i}`,
    date,
    counters: { mono, colour },
    source: "customer",
    ...extra,
  });
  const m = 1_000 + (i % 7) * 1_500;
  return [
    r("2026-03-31", 10_000, 1_000),
    r("2026-05-01", 10_000 + m, 1_000 + m / 5),
    i % 10 === 0
      ? r("2026-06-01", 500, 1_000 + m / 3, {
          replacements: { mono: { oldFinal: 10_000 + 2 * m, newStart: 0 } },
        })
      : r("2026-06-01", 10_000 + 2 * m, 1_000 + m / 3),
    r("2026-06-30", i % 10 === 0 ? 500 + m : 10_000 + 3 * m, 1_000 + m / 2),
  ];
});

function time(fn: () => number): { ms: number; check: number } {
  let best = Number.POSITIVE_INFINITY;
  let check = 0;
  for (let run = 0; run < 5; run++) {
    const t0 = performance.now();
    check = fn();
    best = Math.min(best, performance.now() - t0);
  }
  return { ms: best, check };
}

const billing = time(() =>
  installations.reduce((sum, rs) => sum + (billFromReadings(SAMPLE_CONTRACT, rs, 1)?.total ?? 0), 0),
);
const baseline = time(() =>
  installations.reduce((sum, rs) => sum + ((rs[3]?.counters.mono ?? 0) - (rs[0]?.counters.mono ?? 0)), 0),
);
console.log(`installations: ${N} (node ${process.version}, best of 5)`);
console.log(`billing period for all: ${billing.ms.toFixed(1)} ms (total billed ${billing.check})`);
console.log(`baseline subtraction:   ${baseline.ms.toFixed(1)} ms`);
