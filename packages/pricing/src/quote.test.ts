import { describe, expect, it } from "vitest";
import { periodIndex } from "./calendar.js";
import { validateConfig } from "./config.js";
import { type KeyState, keyFunds, NEW_KEY, refreshKey } from "./key-state.js";
import { type Charge, type Medium, type Quote, quote } from "./quote.js";
import { at, editableConfig, schoolConfig } from "./test-support.js";

const key = (
  state: Partial<KeyState> = {},
  over: Partial<Extract<Medium, { kind: "key" }>> = {},
): Medium => ({
  kind: "key",
  level: 0,
  technology: "mizip",
  state: { ...NEW_KEY, credit: 10_000, ...state },
  ...over,
});
const charged = (q: Quote): Charge => {
  if (!q.ok) throw new Error(`refused: ${q.reason} ${q.detail}`);
  return q;
};
const reason = (q: Quote) => (q.ok ? "ok" : q.reason);

describe("the school example (manual 4.5.1, Tab. 4.5.2)", () => {
  const c = schoolConfig();
  const now = at("2026-11-18 10:00");

  it("children (key 0) get no coffee and one snack a day", () => {
    expect(reason(quote(c, { line: 2, medium: key(), now }))).toBe("CATEGORY_NOT_SELLABLE");
    const first = charged(quote(c, { line: 5, medium: key(), now }));
    expect(first.charge).toBe(75);
    const second = quote(c, { line: 5, medium: key(first.key), now });
    expect(reason(second)).toBe("CATEGORY_LIMIT_REACHED");
    // limits are daily
    expect(charged(quote(c, { line: 5, medium: key(first.key), now: at("2026-11-19 08:00") })).charge).toBe(
      75,
    );
    // other products have no limit
    let s = first.key as KeyState;
    for (let i = 0; i < 20; i++) s = charged(quote(c, { line: 1, medium: key(s), now })).key as KeyState;
    expect(s.daily.counts[0]).toBe(15);
  });

  it("teachers (key 1) have no limits", () => {
    let s: KeyState = { ...NEW_KEY, credit: 10_000 };
    for (let i = 0; i < 5; i++)
      s = charged(quote(c, { line: 2, medium: key(s, { level: 1 }), now })).key as KeyState;
    expect(s.credit).toBe(10_000 - 5 * 55);
  });

  it("limits exclude cash, free keys, Zip keys and test vends", () => {
    const used = charged(quote(c, { line: 5, medium: key(), now })).key as KeyState;
    expect(charged(quote(c, { line: 2, medium: { kind: "cash" }, now })).charge).toBe(60);
    expect(charged(quote(c, { line: 2, medium: key({}, { free: true }), now })).funding).toBe("free-key");
    expect(charged(quote(c, { line: 2, medium: key({}, { technology: "zip" }), now })).charge).toBe(55);
    expect(charged(quote(c, { line: 5, medium: key(used), test: true, now })).funding).toBe("test");
  });

  it("a level that is OFF refuses the key; a level →KEY 0 sells at key 0's prices", () => {
    c.keys[2] = { mode: "off", prices: c.keys[0].prices.map(() => 0) };
    expect(reason(quote(c, { line: 1, medium: key({}, { level: 2 }), now }))).toBe("KEY_LEVEL_OFF");
    c.keys[3] = { mode: "key0", prices: c.keys[0].prices.map(() => 1) };
    c.limits.levels[3] = c.limits.levels[0];
    expect(charged(quote(c, { line: 1, medium: key({}, { level: 3 }), now })).charge).toBe(45);
    expect(reason(quote(c, { line: 2, medium: key({}, { level: 3 }), now }))).toBe("CATEGORY_NOT_SELLABLE");
  });
});

describe("promotions (manual 8.6.1)", () => {
  const machine = (id: "A" | "B", line: number, price: number, pct: number) => {
    const c = editableConfig();
    c.priceSystem = "price-holding";
    c.lines = 2;
    c.cash[line - 1] = price;
    c.keys[0].prices[line - 1] = price;
    c.promotions = {
      enabled: true,
      machine: id,
      maxMinutes: 30,
      lineDiscount: c.promotions.lineDiscount.map((_, i) => (i === line - 1 ? pct : 0)),
    };
    return c;
  };
  const coffeeA = machine("A", 1, 100, 20);
  const snackB = machine("B", 2, 200, 15);

  it("coffee 1.00 at 20% on A, then snack 2.00 at 15% on B: the snack costs 1.50", () => {
    const coffee = charged(quote(coffeeA, { line: 1, medium: key(), now: at("2026-11-18 10:00") }));
    expect(coffee.charge).toBe(100);
    expect(coffee.key?.promotion).toMatchObject({ discount: 20, machine: "A" });
    const snack = charged(quote(snackB, { line: 2, medium: key(coffee.key), now: at("2026-11-18 10:20") }));
    expect(snack).toMatchObject({ charge: 150, funding: "promotion", discount: 50 });
    expect(snack.key?.promotion.machine).toBe("none");
  });

  it("the same in the other order", () => {
    const snack = charged(quote(snackB, { line: 2, medium: key(), now: at("2026-11-18 10:00") }));
    expect(snack.charge).toBe(200);
    const coffee = charged(quote(coffeeA, { line: 1, medium: key(snack.key), now: at("2026-11-18 10:05") }));
    expect(coffee.charge).toBe(50);
  });

  it("no discount past the window, nor for two sales on the same machine", () => {
    const coffee = charged(quote(coffeeA, { line: 1, medium: key(), now: at("2026-11-18 10:00") }));
    expect(
      charged(quote(snackB, { line: 2, medium: key(coffee.key), now: at("2026-11-18 10:31") })).charge,
    ).toBe(200);
    expect(
      charged(quote(coffeeA, { line: 1, medium: key(coffee.key), now: at("2026-11-18 10:01") })).charge,
    ).toBe(100);
  });
});

describe("bonus, loyalty, happy hours and their priority (manual 8.2-8.9)", () => {
  const base = () => {
    const c = editableConfig();
    c.priceSystem = "price-holding";
    c.lines = 3;
    c.cash.splice(0, 3, 100, 200, 300);
    c.keys[0].prices.splice(0, 3, 90, 180, 270);
    return c;
  };
  const wed = at("2026-11-18 12:00");

  it("a weekly bonus granted on a Wednesday lapses at the end of Sunday", () => {
    const c = base();
    c.bonus2 = {
      ...c.bonus2,
      usage: "recharge-and-sale",
      period: "weekly",
      levels: c.bonus2.levels.map(() => ({ enabled: true, tokens: 3 })),
    };
    c.bonus2.lineDiscount[0] = 50;
    const granted = refreshKey(c, NEW_KEY, 0, "mizip", wed).key;
    expect(granted.bonus2.tokens).toBe(3);
    const sunday = refreshKey(c, granted, 0, "mizip", at("2026-11-22 23:59"));
    expect(sunday.key.bonus2.tokens).toBe(3);
    const monday = refreshKey(
      c,
      { ...granted, bonus2: { ...granted.bonus2, tokens: 1 } },
      0,
      "mizip",
      at("2026-11-23 00:00"),
    );
    expect(monday.expired.bonus2).toBe(1);
    expect(monday.key.bonus2.tokens).toBe(3);
    expect(periodIndex("weekly", at("2026-11-23 00:00"))).toBe(periodIndex("weekly", wed) + 1);
  });

  it("bonus 1 credit is spent before the key's credit; MiZip keys lose it at period end, Zip keys keep it", () => {
    const c = base();
    c.bonus1 = {
      ...c.bonus1,
      usage: "recharge-and-sale",
      type: "credit",
      period: "daily",
      levels: c.bonus1.levels.map(() => ({ enabled: true, credit: 50, tokens: 0, discount: 0 })),
    };
    const sale = charged(quote(c, { line: 1, medium: key(), now: wed }));
    expect(sale).toMatchObject({ charge: 40, bonusCreditUsed: 50, funding: "credit" });
    const stamp = periodIndex("daily", wed);
    const leftover: KeyState = { ...NEW_KEY, bonus1: { amount: 30, period: stamp } };
    expect(refreshKey(c, leftover, 0, "mizip", at("2026-11-19 08:00")).key.bonus1.amount).toBe(50);
    expect(refreshKey(c, leftover, 0, "mizip", at("2026-11-19 08:00")).expired.bonus1).toBe(30);
    expect(refreshKey(c, leftover, 0, "zip", at("2026-11-19 08:00")).key.bonus1.amount).toBe(80);
    // what the new day gave, for the statistics (S1007), on either key
    expect(refreshKey(c, leftover, 0, "mizip", at("2026-11-19 08:00")).granted.bonus1).toBe(50);
    expect(refreshKey(c, leftover, 0, "zip", at("2026-11-19 08:00")).granted.bonus1).toBe(50);
    expect(refreshKey(c, leftover, 0, "mizip", wed).granted.bonus1).toBe(0); // same day: nothing new
  });

  it("Tab. 8.2.1: a key's funds are its credit plus this period's bonus-1 credit, only while bonus 1 is in use", () => {
    const c = base();
    const stamp = periodIndex("daily", wed);
    const holder: KeyState = { ...NEW_KEY, credit: 60, bonus1: { amount: 30, period: stamp } };
    expect(keyFunds(c, holder, 0, "mizip", wed)).toBe(60); // bonus 1 DISABLED: the credit alone
    c.bonus1 = {
      ...c.bonus1,
      usage: "sale-only",
      type: "credit",
      period: "daily",
      levels: c.bonus1.levels.map(() => ({ enabled: true, credit: 50, tokens: 0, discount: 0 })),
    };
    expect(keyFunds(c, holder, 0, "mizip", wed)).toBe(90);
    expect(keyFunds(c, holder, 0, "mizip", at("2026-11-19 08:00"))).toBe(60); // lapsed, none granted
    c.bonus1 = { ...c.bonus1, usage: "recharge-and-sale" };
    expect(keyFunds(c, holder, 0, "mizip", at("2026-11-19 08:00"))).toBe(110); // the new day's grant
    // and a sale the display promised goes through: 0.60 on 0.20 of credit and 0.50 of bonus
    expect(charged(quote(c, { line: 1, medium: key(holder), now: wed }))).toMatchObject({
      bonusCreditUsed: 30,
    });
    c.bonus1 = { ...c.bonus1, type: "tokens" };
    expect(keyFunds(c, holder, 0, "mizip", wed)).toBe(60);
  });

  it("bonus 3 limits tokens per category per day, and the global limits prevail", () => {
    const c = base();
    c.bonus2 = {
      ...c.bonus2,
      usage: "recharge-and-sale",
      levels: c.bonus2.levels.map(() => ({ enabled: true, tokens: 10 })),
      bonus3: {
        enabled: true,
        levels: c.bonus2.bonus3.levels.map(() => ({
          enabled: true,
          perCategory: [2, 15, 15, 15, 15, 15, 15, 15],
        })),
      },
    };
    c.bonus2.lineDiscount[0] = 100;
    let s: KeyState = { ...NEW_KEY, credit: 1000 };
    const fundings: string[] = [];
    for (let i = 0; i < 3; i++) {
      const q = charged(quote(c, { line: 1, medium: key(s), now: wed }));
      fundings.push(q.funding);
      s = q.key as KeyState;
    }
    expect(fundings).toEqual(["bonus2", "bonus2", "credit"]);
    // on a Zip key bonus 3 does not apply: tokens work as bonus 2
    expect(charged(quote(c, { line: 1, medium: key(s, { technology: "zip" }), now: wed })).funding).toBe(
      "bonus2",
    );
    c.limits.enabled = true;
    c.limits.levels[0] = { enabled: true, perCategory: [1, 15, 15, 15, 15, 15, 15, 15] };
    const first = charged(quote(c, { line: 1, medium: key({ credit: 1000 }), now: wed }));
    expect(reason(quote(c, { line: 1, medium: key(first.key), now: wed }))).toBe("CATEGORY_LIMIT_REACHED");
  });

  it("happy hours are for keys only, and a key pays the better of its level price and the happy-hour price", () => {
    const c = base();
    c.happyHours.enabled = true;
    c.happyHours.bands[0] = {
      ...c.happyHours.bands[0],
      mode: "global",
      discount: 20,
      start: 11 * 60,
      end: 14 * 60,
    } as (typeof c.happyHours.bands)[0];
    expect(charged(quote(c, { line: 1, medium: { kind: "cash" }, now: wed })).charge).toBe(100);
    expect(charged(quote(c, { line: 1, medium: key(), now: wed }))).toMatchObject({
      charge: 80,
      funding: "happy-hour",
    });
    c.happyHours.bands[0] = { ...c.happyHours.bands[0], discount: 5 } as (typeof c.happyHours.bands)[0];
    expect(charged(quote(c, { line: 1, medium: key(), now: wed }))).toMatchObject({
      charge: 90,
      funding: "credit",
    });
    expect(charged(quote(c, { line: 1, medium: key(), now: at("2026-11-18 14:00") })).funding).toBe("credit");
  });

  it("priority: loyalty points, then promotion, then the best of bonus and happy hours, then credit", () => {
    const c = base();
    c.loyalty = {
      ...c.loyalty,
      mode: "on",
      type: "points",
      pricePoints: c.loyalty.pricePoints.map(() => 10),
      pointsPerLine: c.loyalty.pointsPerLine.map(() => 1),
    };
    c.bonus1 = {
      ...c.bonus1,
      usage: "sale-only",
      type: "tokens",
      levels: c.bonus1.levels.map(() => ({ enabled: true, credit: 0, tokens: 7, discount: 50 })),
    };
    const stamp = periodIndex("daily", wed);
    const rich: Partial<KeyState> = {
      loyalty: { points: 10, period: 0 },
      bonus1: { amount: 2, period: stamp },
    };
    const byPoints = charged(quote(c, { line: 2, medium: key(rich), now: wed }));
    expect(byPoints).toMatchObject({ funding: "loyalty-points", charge: 0 });
    expect(byPoints.key?.loyalty.points).toBe(0);
    expect(byPoints.key?.bonus1.amount).toBe(2);
    const byToken = charged(quote(c, { line: 2, medium: key(byPoints.key), now: wed }));
    expect(byToken).toMatchObject({ funding: "bonus1", charge: 90 });
    expect(byToken.key?.loyalty.points).toBe(1);
  });

  it("expiring loyalty zeroes a MiZip key's points in a new period but not a Zip key's", () => {
    const c = base();
    c.loyalty = { ...c.loyalty, mode: "expiring", type: "points", period: "monthly" };
    const s: KeyState = {
      ...NEW_KEY,
      loyalty: { points: 40, period: periodIndex("monthly", at("2026-10-31 10:00")) },
    };
    expect(refreshKey(c, s, 0, "mizip", wed).key.loyalty.points).toBe(0);
    expect(refreshKey(c, s, 0, "zip", wed).key.loyalty.points).toBe(40);
  });

  it("loyalty credit is added to the key after a sale", () => {
    const c = base();
    c.loyalty = {
      ...c.loyalty,
      mode: "on",
      type: "credit",
      creditPerLine: c.loyalty.creditPerLine.map(() => 5),
    };
    const q = charged(quote(c, { line: 1, medium: key({ credit: 100 }), now: wed }));
    expect(q.key?.credit).toBe(100 - 90 + 5);
    expect(q.stats.loyaltyCredit).toBe(5);
  });
});

describe("price systems, service bands and funds", () => {
  const now = at("2026-11-18 12:00");

  it("price holding sells lines in use only; price system only prices in the cash table", () => {
    const c = schoolConfig();
    expect(reason(quote(c, { line: 6, medium: { kind: "cash" }, now }))).toBe("LINE_NOT_SELLABLE");
    expect(reason(quote(c, { medium: { kind: "cash" }, now }))).toBe("INVALID_REQUEST");
    c.priceSystem = "price-system";
    expect(charged(quote(c, { vmcPrice: 60, medium: key({}, { level: 1 }), now }))).toMatchObject({
      line: 2,
      charge: 55,
    });
    expect(reason(quote(c, { vmcPrice: 65, medium: { kind: "cash" }, now }))).toBe("PRICE_NOT_IN_TABLE");
    expect(reason(quote(c, { line: 120, vmcPrice: 65, medium: { kind: "cash" }, now }))).toBe(
      "LINE_NOT_SELLABLE",
    );
  });

  it("prices on VMC sell anything, out of the table when no line matches, without key levels", () => {
    const c = schoolConfig();
    c.priceSystem = "prices-on-vmc";
    expect(charged(quote(c, { vmcPrice: 65, medium: key(), now }))).toMatchObject({
      outOfTable: true,
      charge: 65,
      line: undefined,
    });
    expect(charged(quote(c, { line: 180, vmcPrice: 65, medium: key(), now }))).toMatchObject({
      outOfTable: true,
      line: 180,
    });
    expect(charged(quote(c, { vmcPrice: 50, medium: key(), now }))).toMatchObject({ line: 1, charge: 45 });
  });

  it("out-of-service bands stop keys, and cash only where the protocol mode says so", () => {
    const c = schoolConfig();
    c.outOfService = {
      enabled: true,
      stopsCash: false,
      bands: [{ enabled: true, start: 22 * 60, end: 6 * 60 }, ...c.outOfService.bands.slice(1)],
    };
    const night = at("2026-11-18 23:30");
    expect(reason(quote(c, { line: 1, medium: key(), now: night }))).toBe("OUT_OF_SERVICE");
    expect(reason(quote(c, { line: 1, medium: { kind: "cash" }, now: night }))).toBe("ok");
    c.outOfService.stopsCash = true;
    expect(reason(quote(c, { line: 1, medium: { kind: "cash" }, now: at("2026-11-18 05:59") }))).toBe(
      "OUT_OF_SERVICE",
    );
    expect(reason(quote(c, { line: 1, medium: key(), now: at("2026-11-18 06:00") }))).toBe("ok");
  });

  it("refuses a sale above the key's funds, allowing negative credit down to minCredit", () => {
    const c = schoolConfig();
    expect(reason(quote(c, { line: 1, medium: key({ credit: 44 }), now }))).toBe("INSUFFICIENT_FUNDS");
    expect(
      charged(quote(c, { line: 1, medium: key({ credit: 44 }, { minCredit: -100 }), now })).key?.credit,
    ).toBe(-1);
  });
});

describe("validateConfig", () => {
  it("accepts the defaults and the school", () => {
    expect(validateConfig(editableConfig())).toEqual([]);
    expect(validateConfig(schoolConfig())).toEqual([]);
  });

  it("reports ranges with the manual's parameter numbers", () => {
    const c = schoolConfig();
    c.baseCoin = 5;
    c.keys[1].prices[2] = 47;
    c.limits.levels[2] = { enabled: true, perCategory: [16, 15, 15, 15, 15, 15, 15, 15] };
    c.promotions.maxMinutes = 1000;
    c.bonus1.levels[0] = { enabled: true, credit: 0, tokens: 8, discount: 0 };
    const findings = validateConfig(c);
    const by = (path: string) => findings.find((f) => f.path === path);
    expect(by("keys[1].prices[2]")).toMatchObject({ code: "NOT_BASE_COIN_MULTIPLE", parameter: 12003 });
    expect(by("limits.levels[2].perCategory[0]")).toMatchObject({ code: "OUT_OF_RANGE", parameter: 17122 });
    expect(by("promotions.maxMinutes")).toMatchObject({ code: "OUT_OF_RANGE", parameter: 53102 });
    expect(by("bonus1.levels[0].tokens")).toMatchObject({ code: "OUT_OF_RANGE" });
  });

  it("names lines SEL.001..SEL.100 and refuses names the audit could not carry (4.4.7)", () => {
    const c = editableConfig();
    expect([c.names[0], c.names[99]]).toEqual(["SEL.001", "SEL.100"]);
    c.names[0] = "ESPRESSO";
    c.names[1] = "";
    expect(validateConfig(c)).toEqual([]);
    c.names[2] = "CAPPUCCINO"; // 10 characters
    c.names[3] = "TEA*LEMON".slice(0, 8); // the EVA-DTS separator
    c.names[4] = "CAFÉ";
    const bad = validateConfig(c).map((f) => [f.code, f.path, f.parameter]);
    expect(bad).toEqual([
      ["BAD_NAME", "names[2]", 15003], // table 5.2: names are 15001-15100
      ["BAD_NAME", "names[3]", 15004],
      ["BAD_NAME", "names[4]", 15005],
    ]);
    expect(validateConfig({ ...c, names: c.names.slice(0, 99) })).toContainEqual(
      expect.objectContaining({ code: "WRONG_LENGTH", path: "names" }),
    );
  });

  it("refuses overlapping bands and a →KEY 0 level whose limits differ", () => {
    const c = schoolConfig();
    c.happyHours.bands[0] = {
      ...c.happyHours.bands[0],
      mode: "global",
      start: 600,
      end: 700,
    } as (typeof c.happyHours.bands)[0];
    c.happyHours.bands[1] = {
      ...c.happyHours.bands[1],
      mode: "global",
      start: 650,
      end: 720,
    } as (typeof c.happyHours.bands)[0];
    c.outOfService.bands[0] = { enabled: true, start: 1380, end: 60 };
    c.outOfService.bands[1] = { enabled: true, start: 30, end: 90 };
    c.keys[1] = { ...c.keys[1], mode: "key0" };
    const codes = validateConfig(c).map((f) => [f.code, f.parameter]);
    expect(codes).toContainEqual(["BANDS_OVERLAP", 54000]);
    expect(codes).toContainEqual(["BANDS_OVERLAP", 55000]);
    expect(codes).toContainEqual(["KEY0_LIMITS_DIFFER", 12000]);
  });
});
