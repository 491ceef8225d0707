import {
  cashlessSales,
  cashTotals,
  events,
  identification,
  parse,
  priceLists,
  products,
  validate,
} from "@vendkit/evadts";
import { describe, expect, it } from "vitest";
import { type AuditIdentity, AuditModeUnsupported, auditFile, auditMode } from "./audit.js";
import { S, V } from "./counters.js";
import { at, CHANGER, CHANGER_PARAMETERS, parameters, rig, shopPricing, tubes } from "./test-support.js";

const WHO: AuditIdentity = {
  serial: "VK00012345",
  model: "VENDKIT READER",
  softwareVersion: "1.0",
  collector: "HH0001",
};

/** A morning at the reader: two key sales, a cash sale, a failed vend, a collection, one more sale. */
async function morning() {
  const params = parameters({ failedVendRefund: 1, overprice: 1, saleType: 0 });
  const pricing = shopPricing();
  const r = rig({}, pricing, params);
  const card = await r.key(301, 500);
  await r.pay.insertKey(card, at("08:00"));
  for (const line of [1, 2, 5]) {
    await r.pay.vendRequest({ line }, at("08:01"));
    await (line === 5 ? r.pay.vendFailure(at("08:01")) : r.pay.vendSuccess(at("08:01")));
  }
  await r.pay.removeKey(at("08:02"));
  await r.pay.coin(100, at("08:03"));
  await r.pay.vendRequest({ line: 2 }, at("08:03"));
  await r.pay.vendSuccess(at("08:03"));
  const first = r.pay.statistics.collect(at("08:10"));
  r.pay.statistics.confirm(first);
  await r.pay.insertKey(card, at("09:00"));
  await r.pay.vendRequest({ line: 1 }, at("09:00"));
  await r.pay.vendSuccess(at("09:00"));
  return { r, params, pricing, collection: r.pay.statistics.collect(at("09:30")) };
}

describe("the reader's own MDB changer and validator in the audit (7.5 list 1)", () => {
  it("names them (CA1, BA1), and counts its coins per type and where they went (CA11, CA3)", async () => {
    const params = parameters({ ...CHANGER_PARAMETERS, mdbCoinValue3: 20 });
    const r = rig({}, shopPricing(), params, CHANGER);
    await r.pay.tubeStatus(tubes(20, 20, 20, 20), at("09:00"));
    await r.pay.changerCoin(20, at("09:00"), 3, "tubes");
    await r.pay.changerCoin(20, at("09:00"), 3, "cashbox");
    expect(r.pay.machineCredit).toBe(40);
    const who = {
      ...WHO,
      coinMechanism: { serial: "VKT000000042", model: "CHANGER-SIM", version: "256" },
      billValidator: { serial: "VKT000000043", model: "VALIDATOR-SM", version: "256" },
    };
    const file = parse(
      auditFile(
        r.pay.statistics.snapshot(at("09:30")),
        params,
        shopPricing(),
        who,
        "ddcmp-6.0-plus",
        r.pay.coinTubes,
      ),
    );
    expect(file.first("CA1")?.elements).toEqual(["VKT000000042", "CHANGER-SIM", "256"]);
    expect(file.first("BA1")?.elements).toEqual(["VKT000000043", "VALIDATOR-SM", "256"]);
    expect(file.all("CA11").find((s) => s.elements[0] === "20")?.elements).toEqual([
      "20",
      "2",
      "1",
      "1",
      "2",
      "1",
      "1",
    ]);
    expect(file.first("CA3")?.elements.slice(0, 3)).toEqual(["40", "20", "20"]);
    expect(validate(file).filter((f) => f.severity === "error")).toEqual([]);
  });
});

describe("identification and events (manual 7.5 lists 14-15)", () => {
  it("writes ID7, the readings with and without reset (EA309, EA310), power restores (EA7) and key reads and writes", () => {
    const collection = {
      at: at("09:30"),
      historic: { V11: 5, S47: 3, S63: 10, S64: 12, S65: 2, S66: 1 },
      period: { V11: 1, S47: 0, S63: 4, S64: 5, S65: 1, S66: 1 },
      damaged: false,
    };
    const who = { ...WHO, manufacturer: "VKT" };
    const file = parse(auditFile(collection, parameters(), shopPricing(), who, "ddcmp-6.0-plus"));
    expect(file.first("ID7")?.elements).toEqual([
      "1",
      "21",
      "VKT",
      WHO.serial,
      WHO.model,
      WHO.softwareVersion,
    ]);
    expect(file.first("EA3")?.elements.slice(8)).toEqual(["5", "3"]);
    expect(file.first("EA7")?.elements).toEqual(["1", "2"]);
    const events = Object.fromEntries(file.all("EA2").map((s) => [s.elements[0], s.elements.slice(1, 3)]));
    expect([events.NSA, events.NSB, events.NSC, events.NSD]).toEqual([
      ["4", "10"],
      ["5", "12"],
      ["1", "2"],
      ["1", "1"],
    ]);
    expect(validate(file).filter((f) => f.severity === "error")).toEqual([]);
    // the plain 6.0 modes keep to the core segments
    const plain = parse(auditFile(collection, parameters(), shopPricing(), who, "dex-6.0"));
    expect([plain.first("ID7"), plain.first("EA7")]).toEqual([undefined, undefined]);
  });
});

describe("LA1 list 7, various data (manual 7.5 list 11)", () => {
  const historic = {
    ...{ S4: 40, S5: 15, S10: 500, S24: 70, S35: 30, S72: 1000, S48: 3, S57: 9 },
    ...{ S1004: 200, S1005: 300, S1008: 12, V4: 2, V5: 1, V6: 1, V7: 50, V8: 25 },
    ...{ S23: 6, S750: 4, S811: 2, S872: 3, S933: 5, S1007: 400, S9: 30 },
  };
  const period = {
    ...{ S4: 20, S5: 5, S10: 0, S24: 70, S35: 10, S72: 300, S48: 1, S57: 2 },
    ...{ S1004: 0, S1005: 100, S1008: 4, V4: 1, V5: 0, V6: 1, V7: 50, V8: 0 },
    ...{ S23: 2, S750: 1, S811: 1, S872: 0, S933: 2, S1007: 100, S9: 10 },
  };
  const list7 = (groups: 0 | 1, mode: "ddcmp-6.0-plus" | "dex-6.0") =>
    priceLists(
      parse(
        auditFile(
          { at: at("09:30"), historic, period, damaged: false },
          parameters({ userGroupsOn: groups }),
          shopPricing(),
          WHO,
          mode,
        ),
      ),
    )
      .filter((l) => l.list === 7)
      .map((l) => [Number(l.product), l.vendsInit, l.vendsReset]);

  it("carries the change the reader's changer paid and what was dispensed and loaded by hand (CA4, CA10)", () => {
    for (const mode of ["dex-6.0", "ddcmp-6.0-plus"] as const) {
      const collection = {
        at: at("09:30"),
        historic: { S120: 850, S122: 30, S121: 700 },
        period: { S120: 150, S122: 10, S121: 200 },
        damaged: false,
      };
      const file = parse(auditFile(collection, parameters(), shopPricing(), WHO, mode));
      // CA402/CA404: what was dispensed by hand at the changer (S122)
      expect(file.first("CA4")?.elements).toEqual(["150", "10", "850", "30"]);
      // CA10: coins loaded into the tubes by hand (S121), not CA15 (what the tubes hold)
      if (mode === "ddcmp-6.0-plus") expect(file.first("CA10")?.elements).toEqual(["200", "700"]);
    }
  });

  it("carries the changer's tubes as CA17, without the coins the changer keeps", async () => {
    const r = rig({}, shopPricing(), parameters(CHANGER_PARAMETERS), CHANGER);
    expect(r.pay.coinTubes).toEqual([]); // no tube status yet
    await r.pay.tubeStatus(tubes(10, 1, 30, 2), at("08:00"));
    expect(r.pay.coinTubes).toEqual([
      { value: 5, count: 8 },
      { value: 10, count: 0 },
      { value: 20, count: 28 },
      { value: 50, count: 0 },
    ]);
    const collection = r.pay.statistics.collect(at("09:00"));
    const file = parse(auditFile(collection, parameters(), shopPricing(), WHO, "dex-6.0", r.pay.coinTubes));
    expect(validate(file).filter((f) => f.severity === "error")).toEqual([]);
    expect(file.all("CA17").map((s) => s.elements)).toEqual([
      ["1", "5", "8"],
      ["2", "10", "0"],
      ["3", "20", "28"],
      ["4", "50", "0"],
    ]);
    expect(rig().pay.coinTubes).toEqual([]); // no changer: no tubes of the reader's
  });

  it("carries the counters the table pairs with n, since init then since reset", () => {
    expect(list7(0, "ddcmp-6.0-plus")).toEqual([
      [1, 40, 20], // failed cash vends, S4
      [2, 15, 5], // overprice, S5
      [3, 500, 0], // programmer and recharge-key credit, S10
      [4, 6, 2], // sales paid with bonus tokens, S23 (= S750 + S811)
      [5, 70, 70], // cash out of table, S24
      [6, 30, 10], // key out of table, S35
      [17, 1000, 300], // cash loaded on keys, S72
      [19, 4, 1], // bonus-1 sales, S750
      [20, 2, 1], // bonus-2 sales, S811
      [21, 3, 0], // loyalty-point sales, S872
      [22, 5, 2], // promotion sales, S933
      [23, 200, 0], // credit from the programmer, S1004
      [24, 300, 100], // credit from recharge keys, S1005
      [26, 400, 100], // bonus-1 credit given, S1007
      [27, 12, 4], // loyalty credit given, S1008
      [30, 30, 10], // key levels 1-3's discounts, S9
      [31, 2, 1], // cash sales out of table (number)
      [32, 1, 0], // key sales out of table (number)
      [33, 1, 1], // free-key sales out of table: number, then value
      [34, 50, 50],
      [35, 25, 0], // bonus-1 credit lapsed
    ]);
  });

  it("adds the user groups' bonus and free sales (n = 7-16) only with user groups ON, and only in Plus", () => {
    const on = list7(1, "ddcmp-6.0-plus");
    expect(on.map(([n]) => n)).toEqual([
      ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17],
      ...[19, 20, 21, 22, 23, 24, 26, 27, 30, 31, 32, 33, 34, 35],
    ]);
    expect(on.find(([n]) => n === 7)).toEqual([7, 3, 1]); // bonus U.G.1, S48
    expect(on.find(([n]) => n === 16)).toEqual([16, 9, 2]); // free sales U.G.5, S57
    expect(list7(1, "dex-6.0")).toEqual([]);
  });
});

describe("EVA-DTS audit of a collection (manual 7.5)", () => {
  it("writes a valid file whose totals read back as the counters: since init and since reset", async () => {
    const { params, pricing, collection } = await morning();
    const file = parse(auditFile(collection, params, pricing, WHO, "ddcmp-6.0-plus"));
    expect(validate(file).filter((f) => f.severity === "error")).toEqual([]);
    expect(identification(file)).toMatchObject({
      machineSerial: "VK00012345",
      decimals: 2,
      currency: "EUR",
      date: "20240313",
      time: "0930",
    });
    // cash: one sale of 60 before the first collection; key: 45 + 55, then 45 after it
    expect(cashTotals(file).sales).toEqual({ valueInit: 60, countInit: 1, valueReset: 0, countReset: 0 });
    expect(cashTotals(file).cashIn).toMatchObject({ inInit: 100, inReset: 0 });
    expect(cashlessSales(file)).toEqual({
      valueInit: 145,
      countInit: 3,
      valueReset: 45,
      countReset: 1,
    });
    expect(collection.historic[V.keyVends]).toBe(3);
    const lists = priceLists(file);
    expect(lists.find((l) => l.list === 1 && l.product === "1")).toMatchObject({
      price: 45,
      vendsInit: 2,
      vendsReset: 1,
    });
    expect(lists.find((l) => l.list === 0 && l.product === "2")).toMatchObject({
      price: 60,
      vendsInit: 1,
      vendsReset: 0,
    });
    expect(lists.some((l) => l.list === 2)).toBe(true); // key level 1 is ON in the shop's prices
    expect(events(file).counters).toContainEqual(
      expect.objectContaining({ id: "NE8", countInit: 1, countReset: 0 }),
    );
    expect(file.first("CA8")?.elements).toEqual(["0", "40"]); // overprice of the cash sale
  });

  it("counts each price line's paid, discounted and free sales as PA1/PA2/PA4 (7.5 lists 12-13)", async () => {
    const base = shopPricing();
    const bands = base.happyHours.bands.map((b, i) =>
      i === 0 ? { ...b, mode: "global" as const, discount: 20, start: 0, end: 1439 } : b,
    );
    const plain = parameters({ freeKey: 1 });
    const names = base.names.map((n, i) => (i === 1 ? "ESPRESSO" : n));
    const happy = { ...base, names, happyHours: { enabled: true, bands } };
    const r = rig({}, happy, plain);
    const key = await r.key(401, 500);
    await r.pay.insertKey(key, at("08:00"));
    await r.pay.vendRequest({ line: 2 }, at("08:00"));
    await r.pay.vendSuccess(at("08:00"));
    await r.pay.removeKey(at("08:01"));
    const first = r.pay.statistics.collect(at("08:30"));
    r.pay.statistics.confirm(first);
    await r.pay.coin(100, at("09:00"));
    await r.pay.vendRequest({ line: 4 }, at("09:00"));
    await r.pay.vendSuccess(at("09:00"));
    await r.pay.insertKey(await r.key(402, 0, { keyFunction: "free" }), at("09:05"));
    await r.pay.vendRequest({ line: 3 }, at("09:05"));
    await r.pay.vendSuccess(at("09:05"));
    const collection = r.pay.statistics.collect(at("09:30"));
    const file = parse(auditFile(collection, plain, happy, WHO, "ddcmp-6.0-plus"));
    expect(validate(file).filter((f) => f.severity === "error")).toEqual([]);
    const all = products(file);
    expect(all.map((x) => x.name)).toEqual(["SEL.001", "ESPRESSO", "SEL.003", "SEL.004", "SEL.005"]);
    expect(all.map((x) => [x.id, x.price])).toEqual([
      ["1", 50],
      ["2", 60],
      ["3", 50],
      ["4", 40],
      ["5", 80],
    ]);
    const byId = (id: string) => all.find((x) => x.id === id);
    // line 2: the key sale at happy hour, before the first collection, paid and discounted
    const paid2 = collection.historic[S.keySales] as number;
    expect(paid2).toBeGreaterThan(0);
    expect(paid2).toBeLessThan(55);
    expect(byId("2")?.paid).toEqual({ countInit: 1, valueInit: paid2, countReset: 0, valueReset: 0 });
    const pa2 = (id: string) => {
      for (let i = 0; i < file.length; i++)
        if (file.tag(i) === "PA1" && file.segment(i).elements[0] === id) return file.segment(i + 1).elements;
      return [];
    };
    expect(pa2("2")).toEqual(["1", String(paid2), "0", "0", "1", String(paid2), "0", "0"]);
    // line 4: cash after the collection, at happy hour too when the quote applies it to cash
    const cash4 = collection.period[S.cashSales] as number;
    expect(byId("4")?.paid).toEqual({ countInit: 1, valueInit: cash4, countReset: 1, valueReset: cash4 });
    expect(pa2("4").slice(4)).toEqual(
      cash4 < 40 ? ["1", String(cash4), "1", String(cash4)] : ["0", "0", "0", "0"],
    );
    // line 3: the free key's, at the list price, as a free vend only
    expect(byId("3")?.paid).toEqual({ countInit: 0, valueInit: 0, countReset: 0, valueReset: 0 });
    expect(byId("3")?.free).toEqual({ countInit: 1, valueInit: 50, countReset: 1, valueReset: 50 });
    expect(byId("1")?.paid?.countInit).toBe(0);
    const core = parse(auditFile(collection, plain, happy, WHO, "ddcmp-6.0"));
    expect(products(core).every((x) => x.free === undefined && x.name === undefined)).toBe(true);

    // lists 5 and 6 (7.5 lists 9-10): the free key's sale of line 3 (n = 3, with its cash
    // price), the happy-hour sales of line 2 (n = 302) and, if the quote discounted it, line 4
    const byHow = priceLists(file)
      .filter((l) => l.list === 5 || l.list === 6)
      .map((l) => [l.list, l.product, l.price, l.vendsInit, l.vendsReset]);
    expect(byHow).toEqual([
      [5, "3", 50, 1, 1],
      [6, "302", undefined, 1, 0],
      ...(cash4 < 40 ? [[6, "304", undefined, 1, 1]] : []),
    ]);
    expect(priceLists(core).some((l) => l.list === 5 || l.list === 6)).toBe(false);
  });

  it("counts lines 61..100 too, in lists 0-4 (7.5 lists 1-4's lines 61..100)", async () => {
    const base = shopPricing();
    const cash = base.cash.map((p, i) => (i >= 5 && i < 80 ? 100 : p));
    const keys = base.keys.map((k) => ({
      ...k,
      prices: k.prices.map((p, i) => (i >= 5 && i < 80 ? 90 : p)),
    }));
    const pricing = { ...base, lines: 80, cash, keys: keys as unknown as typeof base.keys };
    const r = rig({}, pricing);
    await r.pay.coin(100, at("08:00"));
    await r.pay.vendRequest({ line: 75 }, at("08:00"));
    await r.pay.vendSuccess(at("08:00"));
    await r.pay.insertKey(await r.key(701, 500), at("08:01"));
    await r.pay.vendRequest({ line: 75 }, at("08:01"));
    await r.pay.vendSuccess(at("08:01"));
    const file = parse(
      auditFile(r.pay.statistics.collect(at("09:00")), parameters(), pricing, WHO, "dex-6.0"),
    );
    expect(validate(file).filter((f) => f.severity === "error")).toEqual([]);
    const line = (list: number, n: string) =>
      priceLists(file).find((l) => l.list === list && l.product === n);
    expect(line(0, "75")).toMatchObject({ price: 100, vendsInit: 1, vendsReset: 1 });
    expect(line(1, "75")).toMatchObject({ price: 90, vendsInit: 1, vendsReset: 1 });
    expect(line(0, "80")).toMatchObject({ vendsInit: 0 });
    expect(line(0, "81")).toBeUndefined();
  });

  it("counts bonus-1 token sales in list 6, not sales bonus-1 credit paid", async () => {
    const sale = async (type: "credit" | "tokens") => {
      const base = shopPricing();
      const levels = base.bonus1.levels.map((l, i) =>
        i === 0 ? { enabled: true, credit: 100, tokens: 3, discount: 100 } : l,
      );
      const pricing = {
        ...base,
        bonus1: { ...base.bonus1, usage: "recharge-and-sale" as const, type, levels },
      };
      const r = rig({}, pricing);
      const card = await r.key(601, 500, {}, { bonus1: { mode: type, amount: 0, period: 0 } });
      await r.pay.insertKey(card, at("08:00"));
      const decision = await r.pay.vendRequest({ line: 1 }, at("08:00"));
      await r.pay.vendSuccess(at("08:00"));
      expect(decision).toMatchObject({ approved: true, charge: { funding: "bonus1" } });
      const collection = r.pay.statistics.collect(at("09:00"));
      const file = parse(auditFile(collection, parameters(), pricing, WHO, "ddcmp-6.0-plus"));
      return priceLists(file)
        .filter((l) => l.list === 6)
        .map((l) => [l.product, l.vendsInit]);
    };
    expect(await sale("tokens")).toEqual([["1", 1]]);
    expect(await sale("credit")).toEqual([]);
  });

  it("details coins and bills per line (CA11, CA14) and failed key vends kept (DA9) in Plus", async () => {
    const params = parameters({ coin5Value: 100, coin6Value: 200, bill1Value: 500, failedVendRefund: 0 });
    const r = rig({}, shopPricing(), params);
    await r.pay.coin(100, at("08:00"), 5);
    await r.pay.coin(100, at("08:00"), 5);
    await r.pay.bill(500, at("08:00"), 1);
    await r.pay.returnCredit(at("08:01"));
    const card = await r.key(501, 500);
    await r.pay.insertKey(card, at("08:02"));
    await r.pay.vendRequest({ line: 1 }, at("08:02"));
    await r.pay.vendFailure(at("08:02"));
    const file = parse(
      auditFile(r.pay.statistics.collect(at("09:00")), params, shopPricing(), WHO, "dex-6.0-plus"),
    );
    expect(validate(file).filter((f) => f.severity === "error")).toEqual([]);
    const all = (tag: string) => {
      const out: string[][] = [];
      for (let i = 0; i < file.length; i++) if (file.tag(i) === tag) out.push([...file.segment(i).elements]);
      return out;
    };
    // lines with a value (5 and 6; bill 1) are listed, taken or not
    expect(all("CA11").map((e) => e.slice(0, 2).concat(e[4] ?? ""))).toEqual([
      ["100", "2", "2"],
      ["200", "0", "0"],
    ]);
    expect(all("CA14").map((e) => [e[0], e[1], e[3]])).toEqual([["500", "1", "1"]]);
    expect(all("DA9")).toEqual([["45", "45"]]);
    const core = parse(
      auditFile(r.pay.statistics.collect(at("09:00")), params, shopPricing(), WHO, "dex-6.0"),
    );
    expect([core.first("CA11"), core.first("CA14"), core.first("DA9")]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("keeps the 6.0 modes to the core segments and writes DEX dates with six digits", async () => {
    const { params, pricing, collection } = await morning();
    const ddcmp = parse(auditFile(collection, params, pricing, WHO, "ddcmp-6.0"));
    expect(ddcmp.first("EA2")).toBeUndefined();
    expect(ddcmp.first("VA3")).toBeUndefined();
    expect(priceLists(ddcmp).every((l) => l.list === 0 || l.list === 1)).toBe(true);
    const dex = parse(auditFile(collection, params, pricing, WHO, "dex-6.0"));
    expect(validate(dex).filter((f) => f.severity === "error")).toEqual([]);
    expect(identification(dex).date).toBe("240313");
  });

  it("maps parameter 40007 to the EVA-DTS modes and refuses N&W's own formats", () => {
    expect([3, 4, 5, 6].map(auditMode)).toEqual(["ddcmp-6.0", "ddcmp-6.0-plus", "dex-6.0", "dex-6.0-plus"]);
    for (const n of [0, 1, 2]) expect(() => auditMode(n)).toThrow(AuditModeUnsupported);
    expect(() => auditMode(1)).toThrow(expect.objectContaining({ code: "AUDIT_MODE_UNSUPPORTED" }));
  });

  it("uses the reader and machine codes as the asset number, the machine code alone at 12 characters", async () => {
    const { collection } = await morning();
    const six = { ...parameters(), machineCode: "M00042", readerCode: "R00007" };
    const file = parse(auditFile(collection, six, shopPricing(), WHO, "ddcmp-6.0"));
    expect(identification(file).assetNumber).toBe("R00007M00042");
    const twelve = { ...parameters({ machineCodeSize: 1 }), machineCode: "MACHINE00042" };
    expect(
      identification(parse(auditFile(collection, twelve, shopPricing(), WHO, "ddcmp-6.0"))).assetNumber,
    ).toBe("MACHINE00042");
    expect(S.cashSales).toBe("S3");
  });
});
