import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type LocalTime, periodIndex } from "./calendar.js";
import { type Category, type PricingConfig, validateConfig } from "./config.js";
import { type KeyState, NEW_KEY, promotionApplies, refreshKey } from "./key-state.js";
import { type Medium, type QuoteRequest, quote } from "./quote.js";
import { editableConfig } from "./test-support.js";

const LINES = 6;
const pct = fc.integer({ min: 0, max: 100 });
const nibbles = fc.array(fc.integer({ min: 0, max: 15 }), { minLength: 8, maxLength: 8 });

/** Random valid configurations over 6 lines, every extra possibly on. */
const configArb: fc.Arbitrary<PricingConfig> = fc
  .record({
    baseCoin: fc.constantFrom(1, 5, 10),
    system: fc.constantFrom("price-holding" as const, "price-system" as const, "prices-on-vmc" as const),
    prices: fc.array(fc.array(fc.integer({ min: 0, max: 60 }), { minLength: LINES, maxLength: LINES }), {
      minLength: 5,
      maxLength: 5,
    }),
    modes: fc.array(fc.constantFrom("on" as const, "off" as const, "key0" as const), {
      minLength: 3,
      maxLength: 3,
    }),
    cats: fc.array(fc.constantFrom<Category>("A", "B", "C"), { minLength: LINES, maxLength: LINES }),
    limits: fc.boolean(),
    limitLevels: fc.array(fc.tuple(fc.boolean(), nibbles), { minLength: 4, maxLength: 4 }),
    b1: fc.record({
      usage: fc.constantFrom("disabled" as const, "sale-only" as const, "recharge-and-sale" as const),
      type: fc.constantFrom("credit" as const, "tokens" as const),
      tokens: fc.integer({ min: 0, max: 7 }),
      credit: fc.integer({ min: 0, max: 200 }),
      discount: pct,
    }),
    b2: fc.record({
      usage: fc.constantFrom("disabled" as const, "sale-only" as const, "recharge-and-sale" as const),
      tokens: fc.integer({ min: 0, max: 127 }),
      lines: fc.array(pct, { minLength: LINES, maxLength: LINES }),
      b3: fc.boolean(),
      b3limits: nibbles,
    }),
    loyalty: fc.record({
      mode: fc.constantFrom("off" as const, "on" as const, "expiring" as const),
      type: fc.constantFrom("credit" as const, "points" as const),
      points: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: LINES, maxLength: LINES }),
      price: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: LINES, maxLength: LINES }),
    }),
    promo: fc.record({
      enabled: fc.boolean(),
      machine: fc.constantFrom("A" as const, "B" as const),
      lines: fc.array(pct, { minLength: LINES, maxLength: LINES }),
    }),
    hh: fc.record({
      enabled: fc.boolean(),
      start: fc.integer({ min: 0, max: 1439 }),
      length: fc.integer({ min: 1, max: 300 }),
      discount: pct,
      perLine: fc.boolean(),
      lines: fc.array(pct, { minLength: LINES, maxLength: LINES }),
    }),
    oos: fc.record({
      enabled: fc.boolean(),
      start: fc.integer({ min: 0, max: 1439 }),
      length: fc.integer({ min: 1, max: 120 }),
    }),
  })
  .map((r) => {
    const c = editableConfig();
    const coin = (v: number) => v * r.baseCoin;
    const pad = (xs: number[]) => [...xs, ...Array.from({ length: 100 - xs.length }, () => 0)];
    c.baseCoin = r.baseCoin;
    c.priceSystem = r.system;
    c.lines = LINES;
    c.cash = pad((r.prices[0] as number[]).map(coin));
    for (let l = 0; l < 4; l++) {
      c.keys[l] = {
        mode: l === 0 ? "on" : (r.modes[l - 1] as "on"),
        prices: pad((r.prices[l + 1] as number[]).map(coin)),
      };
    }
    c.categories = [...r.cats, ...Array.from({ length: 100 - LINES }, () => "A" as const)];
    c.limits.enabled = r.limits;
    r.limitLevels.forEach(([enabled, perCategory], l) => {
      c.limits.levels[l] = { enabled, perCategory };
    });
    for (let l = 1; l < 4; l++) if (c.keys[l]?.mode === "key0") c.limits.levels[l] = c.limits.levels[0];
    c.bonus1 = {
      usage: r.b1.usage,
      type: r.b1.type,
      period: "daily",
      levels: [0, 1, 2, 3].map(() => ({
        enabled: true,
        credit: coin(r.b1.credit),
        tokens: r.b1.tokens,
        discount: r.b1.discount,
      })),
    };
    c.bonus2 = {
      usage: r.b2.usage,
      period: "weekly",
      levels: [0, 1, 2, 3].map(() => ({ enabled: true, tokens: r.b2.tokens })),
      lineDiscount: pad(r.b2.lines),
      bonus3: {
        enabled: r.b2.b3,
        levels: [0, 1, 2, 3].map(() => ({ enabled: true, perCategory: r.b2.b3limits })),
      },
    };
    c.loyalty = {
      mode: r.loyalty.mode,
      type: r.loyalty.mode === "expiring" ? "points" : r.loyalty.type,
      period: "monthly",
      creditPerLine: pad(r.loyalty.points.map(coin)),
      pointsPerLine: pad(r.loyalty.points),
      pricePoints: pad(r.loyalty.price),
    };
    c.promotions = {
      enabled: r.promo.enabled,
      machine: r.promo.machine,
      maxMinutes: 30,
      lineDiscount: pad(r.promo.lines),
    };
    c.happyHours = {
      enabled: r.hh.enabled,
      bands: [
        {
          mode: r.hh.perLine ? "per-line" : "global",
          discount: r.hh.discount,
          lineDiscount: pad(r.hh.lines),
          start: r.hh.start,
          end: (r.hh.start + r.hh.length) % 1440,
        },
        c.happyHours.bands[1] as (typeof c.happyHours.bands)[0],
        c.happyHours.bands[2] as (typeof c.happyHours.bands)[0],
      ],
    };
    c.outOfService = {
      enabled: r.oos.enabled,
      stopsCash: false,
      bands: [
        { enabled: true, start: r.oos.start, end: (r.oos.start + r.oos.length) % 1440 },
        c.outOfService.bands[1] as (typeof c.outOfService.bands)[0],
        c.outOfService.bands[2] as (typeof c.outOfService.bands)[0],
      ],
    };
    return c as PricingConfig;
  });

const timeArb: fc.Arbitrary<LocalTime> = fc.record({
  year: fc.constant(2026),
  month: fc.integer({ min: 1, max: 12 }),
  day: fc.integer({ min: 1, max: 28 }),
  minute: fc.integer({ min: 0, max: 1439 }),
});

const stateArb = (now: LocalTime): fc.Arbitrary<KeyState> =>
  fc.record({
    credit: fc.integer({ min: 0, max: 2000 }),
    bonus1: fc.record({
      amount: fc.integer({ min: 0, max: 7 }),
      period: fc.constantFrom(-1, periodIndex("daily", now)),
    }),
    bonus2: fc.record({
      tokens: fc.integer({ min: 0, max: 127 }),
      period: fc.constantFrom(-1, periodIndex("weekly", now)),
    }),
    loyalty: fc.record({
      points: fc.integer({ min: 0, max: 40 }),
      period: fc.constantFrom(-1, periodIndex("monthly", now)),
    }),
    promotion: fc.record({
      discount: fc.integer({ min: 0, max: 100 }),
      minute: fc.integer({ min: 0, max: 20_000_000 }),
      machine: fc.constantFrom("none" as const, "A" as const, "B" as const),
    }),
    daily: fc.record({ day: fc.constantFrom(-1, 0), counts: nibbles, bonusUse: nibbles }),
  });

const caseArb = fc.tuple(configArb, timeArb).chain(([config, now]) =>
  fc.record({
    config: fc.constant(config),
    now: fc.constant(now),
    line: fc.integer({ min: 1, max: LINES + 1 }),
    vmcPrice: fc.integer({ min: 0, max: 60 }).map((v) => v * config.baseCoin),
    medium: fc.oneof(
      fc.constant<Medium>({ kind: "cash" }),
      fc.record({
        kind: fc.constant("key" as const),
        level: fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const),
        technology: fc.constantFrom("mizip" as const, "zip" as const),
        free: fc.boolean().map((b) => b && Math.random() < 2),
        state: stateArb(now),
      }),
    ),
  }),
);

const request = (c: { line: number; vmcPrice: number; medium: Medium; now: LocalTime }): QuoteRequest => ({
  line: c.line,
  vmcPrice: c.vmcPrice,
  medium: c.medium,
  now: c.now,
});

function deepFreeze<T>(o: T): T {
  if (o && typeof o === "object") {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** The key as `quote` sees it once its time-based data is brought up to date. */
const refreshedKey = (
  c: { config: PricingConfig; now: LocalTime },
  medium: Extract<Medium, { kind: "key" }>,
) => refreshKey(c.config, medium.state, medium.level, medium.technology, c.now).key;

describe("quote properties", () => {
  it("generates valid configurations", () => {
    fc.assert(
      fc.property(configArb, (c) => {
        expect(validateConfig(c)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("never charges below zero or above the undiscounted price, in whole base coins", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const q = quote(c.config, request(c));
        if (!q.ok) return;
        expect(q.charge).toBeGreaterThanOrEqual(0);
        expect(q.bonusCreditUsed).toBeGreaterThanOrEqual(0);
        expect(q.charge + q.bonusCreditUsed).toBeLessThanOrEqual(q.listPrice);
        expect(q.discount).toBe(q.listPrice - q.charge - q.bonusCreditUsed);
        expect(Number.isInteger(q.charge)).toBe(true);
        // the price after extras stays on the base-coin grid (bonus credit on a key may not be)
        if (!q.outOfTable) expect((q.charge + q.bonusCreditUsed) % c.config.baseCoin).toBe(0);
      }),
      { numRuns: 3000 },
    );
  });

  it("follows the priority of manual 8.9.1: loyalty points, promotion, bonus/happy hour, credit", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const q = quote(c.config, request(c));
        if (!q.ok || c.medium.kind !== "key" || c.medium.free || q.outOfTable || q.line === undefined) return;
        const level = c.config.keys[c.medium.level].mode === "key0" ? 0 : c.medium.level;
        const refreshed = refreshedKey(c, c.medium);
        const lp = c.config.loyalty;
        const points =
          lp.mode !== "off" &&
          lp.type === "points" &&
          (lp.pricePoints[q.line - 1] as number) > 0 &&
          refreshed.loyalty.points >= (lp.pricePoints[q.line - 1] as number);
        if (points) {
          expect(q.funding).toBe("loyalty-points");
        } else if (promotionApplies(c.config, refreshed, c.now)) {
          expect(q.funding).toBe("promotion");
        } else {
          expect(["bonus1", "bonus2", "happy-hour", "credit"]).toContain(q.funding);
        }
        expect(level).toBeLessThanOrEqual(3);
      }),
      { numRuns: 3000 },
    );
  });

  it("is deterministic and does not depend on the order of the bands", () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 0, max: 5 }), (c, perm) => {
        const orders = [
          [0, 1, 2],
          [0, 2, 1],
          [1, 0, 2],
          [1, 2, 0],
          [2, 0, 1],
          [2, 1, 0],
        ][perm] as number[];
        const shuffled: PricingConfig = {
          ...c.config,
          happyHours: {
            ...c.config.happyHours,
            bands: orders.map((i) => c.config.happyHours.bands[i]) as PricingConfig["happyHours"]["bands"],
          },
          outOfService: {
            ...c.config.outOfService,
            bands: orders.map(
              (i) => c.config.outOfService.bands[i],
            ) as PricingConfig["outOfService"]["bands"],
          },
        };
        const a = quote(c.config, request(c));
        expect(quote(c.config, request(c))).toEqual(a);
        expect(quote(shuffled, request(c))).toEqual(a);
      }),
      { numRuns: 2000 },
    );
  });

  it("changes nothing it is given, and a refusal carries no state", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const frozen = deepFreeze(structuredClone({ config: c.config, req: request(c) }));
        const q = quote(frozen.config, frozen.req);
        if (!q.ok) expect(q).toEqual({ ok: false, reason: q.reason, detail: q.detail });
        else if (c.medium.kind === "cash") expect(q.key).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  it("never approves a key sale above the key's credit and bonus credit", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const q = quote(c.config, request(c));
        if (!q.ok || c.medium.kind !== "key" || q.key === undefined) return;
        const refreshed = refreshedKey(c, c.medium);
        expect(q.charge).toBeLessThanOrEqual(refreshed.credit);
        expect(q.bonusCreditUsed).toBeLessThanOrEqual(refreshed.bonus1.amount);
        expect(q.key.credit).toBe(refreshed.credit - q.charge + q.stats.loyaltyCredit);
      }),
      { numRuns: 3000 },
    );
  });
});

void NEW_KEY;
