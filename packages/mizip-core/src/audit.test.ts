import {
  cashlessSales,
  cashTotals,
  events,
  identification,
  parse,
  priceLists,
  validate,
} from "@vendkit/evadts";
import { describe, expect, it } from "vitest";
import { type AuditIdentity, AuditModeUnsupported, auditFile, auditMode } from "./audit.js";
import { S, V } from "./counters.js";
import { at, parameters, rig, shopPricing } from "./test-support.js";

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
