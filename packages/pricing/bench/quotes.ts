/**
 * Quotes per second with every EXTRA function on (limits, bonus 1 tokens, bonus 2/3, loyalty
 * points, promotions, happy hours, out-of-service bands), against a cash-only quote, in one run.
 *
 *   npm run bench -w @vendkit/pricing
 */
import type { Category } from "../src/config.js";
import { type KeyState, NEW_KEY } from "../src/key-state.js";
import { type QuoteRequest, quote } from "../src/quote.js";
import { at, editableConfig } from "../src/test-support.js";

const N = 1_000_000;
const c = editableConfig();
c.priceSystem = "price-holding";
c.lines = 100;
for (let i = 0; i < 100; i++) {
  c.cash[i] = 50 + (i % 10) * 10;
  c.keys[0].prices[i] = 45 + (i % 10) * 10;
  c.categories[i] = "ABCDEFGH"[i % 8] as Category;
  c.bonus2.lineDiscount[i] = i % 3 === 0 ? 50 : 0;
  c.loyalty.pointsPerLine[i] = 1;
  c.loyalty.pricePoints[i] = 1000;
  c.promotions.lineDiscount[i] = 10;
}
c.limits.enabled = true;
c.limits.levels[0] = { enabled: true, perCategory: [15, 15, 15, 15, 15, 15, 15, 15] };
c.bonus1 = {
  ...c.bonus1,
  usage: "recharge-and-sale",
  type: "tokens",
  levels: c.bonus1.levels.map(() => ({ enabled: true, credit: 0, tokens: 3, discount: 20 })),
};
c.bonus2 = {
  ...c.bonus2,
  usage: "recharge-and-sale",
  period: "weekly",
  levels: c.bonus2.levels.map(() => ({ enabled: true, tokens: 20 })),
  bonus3: {
    enabled: true,
    levels: c.bonus2.bonus3.levels.map(() => ({ enabled: true, perCategory: [5, 5, 5, 5, 5, 5, 5, 5] })),
  },
};
c.loyalty = { ...c.loyalty, mode: "expiring", type: "points", period: "monthly" };
c.promotions = { ...c.promotions, enabled: true, machine: "A" };
c.happyHours.enabled = true;
c.happyHours.bands[0] = {
  ...(c.happyHours.bands[0] as (typeof c.happyHours.bands)[0]),
  mode: "global",
  discount: 10,
  start: 7 * 60,
  end: 9 * 60,
};
c.outOfService = {
  enabled: true,
  stopsCash: false,
  bands: [{ enabled: true, start: 2 * 60, end: 4 * 60 }, ...c.outOfService.bands.slice(1)],
};

const now = at("2026-11-18 08:30");
const state: KeyState = { ...NEW_KEY, credit: 1_000_000 };
const keyRequests: QuoteRequest[] = Array.from({ length: 100 }, (_, i) => ({
  line: i + 1,
  medium: { kind: "key", level: 0, technology: "mizip", state },
  now,
}));
const cashRequests: QuoteRequest[] = Array.from({ length: 100 }, (_, i) => ({
  line: i + 1,
  medium: { kind: "cash" },
  now,
}));

function run(requests: QuoteRequest[]): number {
  let sink = 0;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const q = quote(c, requests[i % requests.length] as QuoteRequest);
    if (q.ok) sink += q.charge;
  }
  const ms = performance.now() - t0;
  if (sink < 0) console.log(sink);
  return N / (ms / 1000);
}

run(keyRequests.slice(0, 10));
const cash = run(cashRequests);
const extras = run(keyRequests);
console.log(`quotes: ${N} each (node ${process.version})`);
console.log(`cash-only quote:        ${Math.round(cash).toLocaleString("en")} quotes/s`);
console.log(
  `key, every EXTRA on:    ${Math.round(extras).toLocaleString("en")} quotes/s (${(cash / extras).toFixed(1)}x slower than cash)`,
);
