import { deflateRawSync } from "node:zlib";
import { cashlessSales, parse, validate } from "@vendkit/evadts";
import { type CardSize, EMPTY_STATE, type KeyFunction, SimulatedCard } from "@vendkit/mifare-purse";
import { validateConfig } from "@vendkit/pricing";
import fc from "fast-check";
import { deflateSync } from "fflate";
import { describe, expect, it } from "vitest";
import type { AuditIdentity } from "./audit.js";
import { S, V } from "./counters.js";
import { type SystemParameters, setupKeyCopy } from "./parameters.js";
import type { KeyOutcome } from "./payment-types.js";
import { dataKeyAudit, decodeSpecialKey, encodeSpecialKey, SpecialKeyRefused } from "./special-keys.js";
import { at, parameters, type Rig, rig, shopPricing } from "./test-support.js";

const WHO: AuditIdentity = { serial: "VK00000042", model: "VENDKIT READER", softwareVersion: "1.0" };

/** A special key of this rig's operator, formatted blank, on a card of `size`. */
async function specialKey(r: Rig, fn: KeyFunction, size: CardSize = "4K", keyNumber = 900) {
  const card = new SimulatedCard(Uint8Array.of(0x08, keyNumber & 0xff, keyNumber >> 8, 0x4b), size);
  await r.purses.format(
    card,
    { keyNumber, customerCode: 1, departmentCode: 1, priceLevel: 0, keyFunction: fn, rechargeValue: 0 },
    EMPTY_STATE,
  );
  return card;
}

/** Loads `card` from rig `r`'s programmer: insert with the programmer connected, load, take out. */
async function load(r: Rig, card: SimulatedCard, content: Parameters<Rig["pay"]["loadSpecialKey"]>[0]) {
  await r.pay.connectProgrammer(at("07:00"));
  expect(await r.pay.insertKey(card, at("07:00"))).toMatchObject({ ok: true, function: content.kind });
  await r.pay.loadSpecialKey(content, at("07:00"));
  await r.pay.removeKey(at("07:01"));
  card.remove();
  await r.pay.disconnectProgrammer(at("07:01"));
  card.insert();
}

const carried = (o: KeyOutcome) => (o.ok ? o.carried : undefined);

describe("special keys' encoding", () => {
  it("reads back every black list the programmer accepts", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1 as const, 2 as const),
        fc.uniqueArray(fc.integer({ min: 1, max: 9_999_999 }), { maxLength: 50 }),
        (mode, keys) => {
          const content = { kind: "black-list" as const, mode, keys };
          expect(decodeSpecialKey("black-list", encodeSpecialKey(content))).toEqual(content);
        },
      ),
    );
  });

  it("refuses whole what the programmer would refuse, or what is not its own format", () => {
    const refusal = (kind: "setup" | "black-list", data: Uint8Array) => {
      try {
        decodeSpecialKey(kind, data);
        return "accepted";
      } catch (e) {
        return e instanceof SpecialKeyRefused ? e.code : "crashed";
      }
    };
    // the bytes a careless writer would put there: version, mode, count, keys
    const list = (mode: number, keys: number[]) => {
      const out = new Uint8Array(4 + 4 * keys.length);
      const v = new DataView(out.buffer);
      out.set([1, mode]);
      v.setUint16(2, keys.length, true);
      for (const [i, k] of keys.entries()) v.setUint32(4 + 4 * i, k, true);
      return out;
    };
    const fiftyOne = Array.from({ length: 51 }, (_, i) => i + 1);
    expect(list(2, fiftyOne)).toEqual(encodeSpecialKey({ kind: "black-list", mode: 2, keys: fiftyOne }));
    expect(refusal("black-list", list(1, fiftyOne))).toBe("SPECIAL_KEY_REFUSED");
    expect(refusal("black-list", list(2, fiftyOne))).toBe("accepted");
    expect(refusal("black-list", list(1, [0]))).toBe("SPECIAL_KEY_REFUSED");
    expect(refusal("black-list", list(1, [5]).subarray(0, 7))).toBe("SPECIAL_KEY_REFUSED");
    // and no system writes such a key, nor cuts a key number to 32 bits
    expect(() => encodeSpecialKey({ kind: "black-list", mode: 1, keys: fiftyOne })).toThrow(
      SpecialKeyRefused,
    );
    for (const bad of [2 ** 32 + 5, -5, 1.5, 10_000_000])
      expect(() => encodeSpecialKey({ kind: "black-list", mode: 2, keys: [bad] })).toThrow(SpecialKeyRefused);
    expect(refusal("black-list", Uint8Array.of(1, 3, 0, 0))).toBe("SPECIAL_KEY_REFUSED");
    expect(refusal("black-list", Uint8Array.of(2, 1, 0, 0))).toBe("SPECIAL_KEY_REFUSED");
    const setup = (params: SystemParameters) =>
      encodeSpecialKey({ kind: "setup", parameters: params, pricing: shopPricing() });
    expect(refusal("setup", setup(parameters()))).toBe("accepted");
    // a setup key deflated by zlib (keys written before the package took fflate) still reads
    const byZlib = deflateRawSync(
      new TextEncoder().encode(JSON.stringify({ v: 1, parameters: parameters(), pricing: shopPricing() })),
    );
    expect(refusal("setup", new Uint8Array(byZlib))).toBe("accepted");
    expect(() => setup(parameters({ maxLoadableCredit: -1 }))).toThrow(SpecialKeyRefused);
    const written = (parameters: unknown, v = 1, pricing: unknown = shopPricing()) =>
      deflateSync(new TextEncoder().encode(JSON.stringify({ v, parameters, pricing })));
    for (const pricing of [{}, { ...shopPricing(), cash: "free" }, { ...shopPricing(), keys: [] }])
      expect(refusal("setup", written(parameters(), 1, pricing))).toBe("SPECIAL_KEY_REFUSED");
    // any one setting replaced by anything at all: taken or refused, never a crash
    const settings = (o: object) => fc.constantFrom(...Object.keys(o));
    fc.assert(
      fc.property(
        settings(shopPricing()),
        settings(parameters()),
        fc.jsonValue(),
        fc.boolean(),
        (pk, qk, v, which) => {
          const p = which ? { ...parameters(), [qk]: v } : parameters();
          const q = which ? shopPricing() : { ...shopPricing(), [pk]: v };
          expect(refusal("setup", written(p, 1, q))).not.toBe("crashed");
        },
      ),
    );
    expect(refusal("setup", written(parameters()))).toBe("accepted");
    expect(refusal("setup", written(parameters({ maxLoadableCredit: -1 })))).toBe("SPECIAL_KEY_REFUSED");
    expect(refusal("setup", written(parameters(), 2))).toBe("SPECIAL_KEY_REFUSED");
    for (const odd of [
      "everything",
      {},
      { numeric: {} },
      { ...parameters(), blackList: "all" },
      { ...parameters(), numeric: null },
      { ...parameters(), blackList: [{ toString: "" }] }, // found by a long property run
      null,
    ])
      expect(refusal("setup", written(odd))).toBe("SPECIAL_KEY_REFUSED");
    expect(refusal("setup", Uint8Array.of(1, 2, 3))).toBe("SPECIAL_KEY_REFUSED");
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.constantFrom("setup" as const, "black-list" as const),
        (b, k) => {
          expect(refusal(k, b)).not.toBe("crashed");
        },
      ),
    );
  });

  it("keeps a 500-key list off the setup key (manual 4.10.11) but a 50-key list on it", () => {
    const keys = [11, 22, 33];
    const five = { ...parameters({ blackList: 2 }), blackList: keys };
    const fifty = { ...parameters({ blackList: 1 }), blackList: keys };
    const back = (p: typeof five) =>
      decodeSpecialKey("setup", encodeSpecialKey({ kind: "setup", parameters: p, pricing: shopPricing() }));
    expect(back(five)).toMatchObject({ parameters: { blackList: [] } });
    expect(back(fifty)).toMatchObject({ parameters: { blackList: keys } });
  });
});

describe("setup key (manual 4.10.11)", () => {
  it("carries one system's parameters and prices to another, whole", async () => {
    const source = rig({ overprice: 1, maxLoadableCredit: 2_000, blackList: 1 });
    const pricing = { ...shopPricing(), cash: shopPricing().cash.map((p) => p + 10) };
    expect(validateConfig(pricing)).toEqual([]);
    const params = {
      ...parameters({ overprice: 1, maxLoadableCredit: 2_000, blackList: 1 }),
      blackList: [7, 8],
    };
    const card = await specialKey(source, "setup");
    await load(source, card, { kind: "setup", parameters: params, pricing });
    expect(source.pay.statistics.get(S.keyWrites).period).toBe(1);

    const target = rig();
    const outcome = await target.pay.insertKey(card, at("08:00"));
    expect(outcome).toMatchObject({ ok: true, function: "setup" });
    expect(carried(outcome)).toEqual({ kind: "setup", parameters: setupKeyCopy(params), pricing });
  });

  it("held in the reader while the programmer is connected, it applies nothing", async () => {
    const r = rig();
    const card = await specialKey(r, "setup");
    await load(r, card, { kind: "setup", parameters: parameters(), pricing: shopPricing() });
    await r.pay.connectProgrammer(at("08:00"));
    expect(carried(await r.pay.insertKey(card, at("08:00")))).toBeUndefined();
  });

  it("only loads the kind of key that is in the reader, with the programmer connected", async () => {
    const r = rig();
    const card = await specialKey(r, "black-list");
    const content = { kind: "setup" as const, parameters: parameters(), pricing: shopPricing() };
    await expect(r.pay.loadSpecialKey(content, at("08:00"))).rejects.toMatchObject({ code: "NO_KEY" });
    await r.pay.connectProgrammer(at("08:00"));
    await r.pay.insertKey(card, at("08:00"));
    await expect(r.pay.loadSpecialKey(content, at("08:00"))).rejects.toMatchObject({ code: "NO_KEY" });
    expect(r.pay.statistics.get(S.keyWrites).period).toBe(0);
  });

  it("a blank or foreign-format setup key counts ERR 10 and hands back nothing", async () => {
    const r = rig();
    const blank = await specialKey(r, "setup");
    expect(await r.pay.insertKey(blank, at("08:00"))).toMatchObject({
      ok: false,
      reason: "REFUSED",
      err: 10,
    });
    await r.pay.removeKey(at("08:00"));
    const junk = await specialKey(r, "setup", "4K", 901);
    await r.purses.writePayload(junk, await r.purses.read(junk), Uint8Array.of(0x7b, 0x7d));
    expect(await r.pay.insertKey(junk, at("08:01"))).toMatchObject({ ok: false, err: 10 });
    expect(r.pay.statistics.get("E10").period).toBe(2);
  });
});

describe("black-list key (manual 4.12)", () => {
  it("carries a 500-key list, which only such a key sets", async () => {
    const r = rig();
    const keys = Array.from({ length: 500 }, (_, i) => 1_000 + 7 * i);
    const card = await specialKey(r, "black-list");
    await load(r, card, { kind: "black-list", mode: 2, keys });
    expect(carried(await r.pay.insertKey(card, at("08:00")))).toEqual({ kind: "black-list", mode: 2, keys });
  });

  it("does not fit a 1K card with 500 keys, and refuses to load rather than cut the list", async () => {
    const r = rig();
    const card = await specialKey(r, "black-list", "1K");
    await r.pay.connectProgrammer(at("07:00"));
    await r.pay.insertKey(card, at("07:00"));
    const keys = Array.from({ length: 500 }, (_, i) => i + 1);
    await expect(
      r.pay.loadSpecialKey({ kind: "black-list", mode: 2, keys }, at("07:00")),
    ).rejects.toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
    });
    await r.pay.loadSpecialKey({ kind: "black-list", mode: 1, keys: keys.slice(0, 50) }, at("07:00"));
  });
});

describe("data key (manual 7.3.4)", () => {
  async function dayOfSales(backup: 0 | 1 = 0) {
    const overrides = { saleType: 0, statisticsBackup: backup }; // multiple vend: two sales a key
    const r = rig(overrides, shopPricing(), parameters(overrides), undefined, WHO);
    const customer = await r.key(301, 500);
    await r.pay.insertKey(customer, at("08:00"));
    for (const line of [1, 2]) {
      await r.pay.vendRequest({ line }, at("08:01"));
      await r.pay.vendSuccess(at("08:01"));
    }
    await r.pay.removeKey(at("08:02"));
    return r;
  }

  it("collects the statistics onto the key as a valid EVA-DTS audit, then clears the period", async () => {
    const r = await dayOfSales();
    const card = await specialKey(r, "data");
    const outcome = await r.pay.insertKey(card, at("09:00"));
    expect(outcome).toMatchObject({ ok: true, function: "data", carried: { kind: "data", backup: false } });
    expect(r.pay.statistics.get(V.keyVends)).toEqual({ period: 0, historic: 2 });

    const file = parse(await dataKeyAudit(r.purses, card));
    expect(validate(file).filter((f) => f.severity === "error")).toEqual([]);
    expect(cashlessSales(file)).toMatchObject({ countInit: 2, valueInit: 45 + 55, countReset: 2 });
  });

  it("refuses a second collection within 2 minutes, and the period stays", async () => {
    const r = await dayOfSales();
    const first = await specialKey(r, "data");
    await r.pay.insertKey(first, at("09:00"));
    await r.pay.removeKey(at("09:00"));
    const customer = await r.key(302, 500);
    await r.pay.insertKey(customer, at("09:01"));
    await r.pay.vendRequest({ line: 1 }, at("09:01"));
    await r.pay.vendSuccess(at("09:01"));
    await r.pay.removeKey(at("09:01"));
    const second = await specialKey(r, "data", "4K", 901);
    expect(await r.pay.insertKey(second, at("09:01"))).toMatchObject({ ok: false, reason: "REFUSED" });
    expect(r.pay.statistics.get(V.keyVends).period).toBe(1);
  });

  it("with BACKUP ON (40116) takes the last collection again and clears nothing", async () => {
    const r = await dayOfSales(1);
    const card = await specialKey(r, "data");
    // nothing was ever collected on this system: there is nothing to back up
    expect(await r.pay.insertKey(card, at("09:00"))).toMatchObject({ ok: false, reason: "REFUSED" });
    await r.pay.removeKey(at("09:00"));
    const collected = r.pay.statistics.collect(at("09:10"));
    r.pay.statistics.confirm(collected);
    const customer = await r.key(302, 500);
    await r.pay.insertKey(customer, at("09:20"));
    await r.pay.vendRequest({ line: 1 }, at("09:20"));
    await r.pay.vendSuccess(at("09:20"));
    await r.pay.removeKey(at("09:20"));

    const outcome = await r.pay.insertKey(card, at("09:30"));
    expect(outcome).toMatchObject({ ok: true, carried: { kind: "data", backup: true } });
    const taken = carried(outcome);
    expect(taken?.kind === "data" && taken.collection.period).toEqual(collected.period);
    expect(r.pay.statistics.get(V.keyVends)).toEqual({ period: 1, historic: 3 });
    expect(cashlessSales(parse(await dataKeyAudit(r.purses, card)))).toMatchObject({ countInit: 2 });
  });

  it("a key pulled out while the audit is written counts ERR 10 and the period stays", async () => {
    for (let atWrite = 1; atWrite <= 6; atWrite++) {
      const r = await dayOfSales();
      const card = await specialKey(r, "data");
      card.armTear({ atWrite, mode: "during", keep: 5 });
      expect(await r.pay.insertKey(card, at("09:00"))).toMatchObject({ ok: false, err: 10 });
      card.disarmTear();
      expect(r.pay.statistics.get(V.keyVends).period).toBe(2);
      expect(r.pay.statistics.get("E10").period).toBe(1);
      // the collection was not confirmed: another key collects it, without the 2-minute wait
      await r.pay.removeKey(at("09:00"));
      card.insert();
      expect(await r.pay.insertKey(card, at("09:00"))).toMatchObject({ ok: true, function: "data" });
      expect(r.pay.statistics.get(V.keyVends).period).toBe(0);
    }
  });

  it("is refused by a reader that has no audit identity", async () => {
    const r = rig();
    expect(await r.pay.insertKey(await specialKey(r, "data"), at("09:00"))).toMatchObject({
      ok: false,
      reason: "SPECIAL_KEY",
    });
  });
});
