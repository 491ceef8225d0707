import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cashlessSales, cashTotals, parse, validate } from "@vendkit/evadts";
import { describe, expect, it } from "vitest";
import { type AuditIdentity, type AuditMode, auditFile } from "./audit.js";
import { at, parameters, rig, shopPricing } from "./test-support.js";

/**
 * A day at the reader and the audits it gives, kept in test-vectors/: operators' back-office
 * software reads these files, so any change in what the audit carries or how shows up here as a
 * diff to look at. `UPDATE_GOLDEN=1` rewrites them after a change made on purpose.
 */
const folder = join(dirname(fileURLToPath(import.meta.url)), "..", "test-vectors");
const WHO: AuditIdentity = { serial: "VK00012345", model: "VENDKIT READER", softwareVersion: "1.0" };
const MODES: Record<string, AuditMode> = {
  "day-ddcmp60-plus.eva": "ddcmp-6.0-plus",
  "day-dex60.eva": "dex-6.0",
};

async function day() {
  const params = parameters({ freeKey: 1, saleType: 0, overprice: 1, coin5Value: 100, coin6Value: 200 });
  const pricing = shopPricing();
  const r = rig({}, pricing, params);
  await r.pay.coin(100, at("07:30"), 5);
  await r.pay.vendRequest({ line: 2 }, at("07:30"));
  await r.pay.vendSuccess(at("07:30")); // 0.60, the 0.40 left goes as overprice
  const key = await r.key(301, 500);
  await r.pay.insertKey(key, at("08:00"));
  for (const line of [1, 5, 3]) {
    await r.pay.vendRequest({ line }, at("08:01"));
    await (line === 3 ? r.pay.vendFailure(at("08:01")) : r.pay.vendSuccess(at("08:01")));
  }
  await r.pay.coin(200, at("08:02"), 6); // onto the key
  await r.pay.removeKey(at("08:03"));
  await r.pay.insertKey(await r.key(302, 0, { keyFunction: "free" }), at("08:10"));
  await r.pay.vendRequest({ line: 4 }, at("08:10"));
  await r.pay.vendSuccess(at("08:10"));
  await r.pay.removeKey(at("08:11"));
  r.pay.confirmCollection(r.pay.takeCollection(at("08:30")));
  await r.pay.insertKey(key, at("09:00"));
  await r.pay.vendRequest({ line: 1 }, at("09:00"));
  await r.pay.vendSuccess(at("09:00"));
  await r.pay.removeKey(at("09:01"));
  return { params, pricing, collection: r.pay.takeCollection(at("09:30")).collection };
}

describe("golden audits of a day (test-vectors/)", () => {
  for (const [name, mode] of Object.entries(MODES)) {
    it(`${name}: the same bytes every time, a valid file, the day's totals`, async () => {
      const { params, pricing, collection } = await day();
      const bytes = Buffer.from(auditFile(collection, params, pricing, WHO, mode));
      if (process.env.UPDATE_GOLDEN === "1") writeFileSync(join(folder, name), bytes);
      const golden = readFileSync(join(folder, name));
      expect(bytes.toString("latin1")).toBe(golden.toString("latin1"));
      const file = parse(golden);
      expect(validate(file).filter((f) => f.severity === "error")).toEqual([]);
      // 0.60 cash; key 45 + 75 before the collection and 45 after; the failed vend (refund OFF)
      // is charged but not a sale
      expect(cashTotals(file).sales).toMatchObject({ valueInit: 60, countInit: 1, valueReset: 0 });
      expect(cashlessSales(file)).toMatchObject({
        valueInit: 165,
        countInit: 3,
        valueReset: 45,
        countReset: 1,
      });
    });
  }
});
