import type { PricingConfig } from "@vendkit/pricing";
import { describe, expect, it } from "vitest";
import { auditFile } from "./audit.js";
import { S, V } from "./counters.js";
import { formatTransaction } from "./maxi-box.js";
import { withClock } from "./parameters.js";
import { NEGATIVE_CREDIT_FLOOR, PaymentError } from "./payment-types.js";
import { PowerCut } from "./storage.js";
import { at, CHANGER, CHANGER_PARAMETERS, parameters, rig, shopPricing, tubes } from "./test-support.js";

const period = (r: ReturnType<typeof rig>, name: string) => r.pay.statistics.get(name).period;

describe("the VMC's own cash on an MDB installation (manual 10.2.1)", () => {
  it("counts coins dispensed by hand at the reader's changer (S122, CA4)", async () => {
    const r = rig();
    await r.pay.manualDispense(60, at("09:00"));
    expect(period(r, S.manualDispense)).toBe(60);
    await expect(r.pay.manualDispense(-1, at("09:00"))).rejects.toMatchObject({ code: "INVALID_AMOUNT" });
  });

  it("REVALUE loads the VMC's coins and bills onto the sale key, up to the maximum loadable credit", async () => {
    const r = rig({ maxiBox: 1, maxLoadableCredit: 1000 });
    expect(r.pay.revalueLimit).toBe(0); // no key
    expect(await r.pay.revalue(100, at("09:00"))).toBe(false);
    const card = await r.key(180, 850);
    await r.pay.insertKey(card, at("09:00"));
    expect(r.pay.revalueLimit).toBe(150);
    expect(await r.pay.revalue(200, at("09:00"))).toBe(false); // above 40000: the VMC keeps its cash
    expect(await r.pay.revalue(100, at("09:00"))).toBe(true);
    expect((await r.read(card)).credit).toBe(950);
    expect(r.shown.display.at(-1)).toBe(950);
    expect([
      period(r, S.cashRecharges),
      period(r, V.revalued),
      period(r, S.coinsIn),
      period(r, S.billsIn),
    ]).toEqual([100, 100, 0, 0]);
    expect(r.pay.maxiBox.keyTransactions(180).recharges.bySource["machine-credit"]).toBe(1);
    // not while a vend is open
    await r.pay.vendRequest({ line: 1 }, at("09:01"));
    expect(r.pay.revalueLimit).toBe(0);
    expect(await r.pay.revalue(10, at("09:01"))).toBe(false);
    await expect(r.pay.revalue(0, at("09:01"))).rejects.toMatchObject({ code: "INVALID_AMOUNT" });
  });

  it("counts the VMC's own cash sales (CASH SALE) as cash sales of their line", async () => {
    const r = rig({ maxiBox: 1 });
    expect(await r.pay.countCashSale({ line: 2, price: 60 }, at("09:00"))).toBe(true);
    expect(period(r, S.cashSales)).toBe(60);
    expect(period(r, "S26")).toBe(1); // cash line 2
    expect(r.pay.machineCredit).toBe(0);
  });
});

describe("the reader's clock (manual 8.1)", () => {
  const rome = (overrides: Parameters<typeof parameters>[0] = {}) =>
    withClock(parameters(overrides), { timeZone: "Europe/Rome" });
  const happy = (): PricingConfig => {
    const p = shopPricing();
    return {
      ...p,
      happyHours: {
        enabled: true,
        bands: p.happyHours.bands.map((b, i) =>
          i === 0 ? { ...b, mode: "global", discount: 50, start: 480, end: 540 } : b,
        ),
      },
    };
  };

  it("prices a happy hour 08:00-09:00 by Rome's clock, on both sides of the change to summer time", async () => {
    const price = async (instant: string) => {
      const r = rig({}, happy(), rome());
      await r.pay.insertKey(await r.key(170, 500), Date.parse(instant));
      const d = await r.pay.vendRequest({ line: 1 }, Date.parse(instant));
      return d.approved ? d.amount : undefined;
    };
    // Saturday 28 March 2026 07:30 UTC is 08:30 in Rome (CET); Sunday 29 March it is 09:30 (CEST)
    expect(await price("2026-03-28T07:30:00Z")).toBeLessThan(45);
    expect(await price("2026-03-29T07:30:00Z")).toBe(45);
    expect(await price("2026-03-29T06:30:00Z")).toBeLessThan(45);
    // and back on 25 October: 07:30 UTC is 08:30 in Rome again
    expect(await price("2026-10-24T07:30:00Z")).toBe(45);
    expect(await price("2026-10-25T07:30:00Z")).toBeLessThan(45);
    // UTC, the default: the band is 08:00-09:00 UTC
    const r = rig({}, happy());
    await r.pay.insertKey(await r.key(171, 500), Date.parse("2026-03-29T07:30:00Z"));
    expect(await r.pay.vendRequest({ line: 1 }, Date.parse("2026-03-29T07:30:00Z"))).toMatchObject({
      amount: 45,
    });
  });

  it("stamps the audit and the Maxi Box lines with Rome's local time", async () => {
    const r = rig({ maxiBox: 1 }, shopPricing(), rome({ maxiBox: 1 }));
    const at = Date.parse("2026-07-01T22:30:00Z"); // 00:30 on 2 July in Rome
    await r.pay.insertKey(await r.key(172, 500), at);
    await r.pay.vendRequest({ line: 1 }, at);
    await r.pay.vendSuccess(at);
    const entry = r.pay.maxiBox.entries()[0];
    expect(entry !== undefined && formatTransaction(entry, 2, 2, "Europe/Rome")).toBe(
      "02.07 00:30:00 SEL. 001 0.45 OK",
    );
    const audit = new TextDecoder().decode(
      auditFile(
        r.pay.statistics.snapshot(at),
        rome(),
        shopPricing(),
        { serial: "S", model: "M", softwareVersion: "1" },
        "dex-6.0",
      ),
    );
    expect(audit).toMatch(/\*260702\*0030/);
  });
});

describe("key sales (manual 3.1)", () => {
  it("charges the key level's price, counts the sale and logs it in the Maxi Box", async () => {
    const r = rig({ maxiBox: 1 });
    const card = await r.key(101, 500);
    expect(await r.pay.insertKey(card, at("09:00"))).toEqual({ ok: true, function: "sale", credit: 500 });
    const d = await r.pay.vendRequest({ line: 2 }, at("09:00"));
    expect(d).toMatchObject({ approved: true, amount: 55 });
    expect((await r.read(card)).credit).toBe(445); // charged before the product is released
    await r.pay.vendSuccess(at("09:01"));
    expect(period(r, S.keySales)).toBe(55);
    expect(period(r, "S231")).toBe(1); // key 0, line 2
    expect(period(r, S.keyWrites)).toBe(1);
    expect(r.pay.maxiBox.keyTransactions(101).entries).toMatchObject([
      { kind: "sale", keyNumber: 101, selection: 2, amount: 55, sale: "no-discount" },
    ]);
    expect(r.pay.pendingKeyWrites).toEqual([]);
    expect(r.shown.display.at(-1)).toBe(445);
  });

  it("uses the key's own level (key 1 is ten less)", async () => {
    const r = rig();
    const card = await r.key(102, 500, { priceLevel: 1 });
    await r.pay.insertKey(card, at("09:00"));
    expect(await r.pay.vendRequest({ line: 1 }, at("09:00"))).toMatchObject({ approved: true, amount: 40 });
    await r.pay.vendSuccess(at("09:00"));
    expect(period(r, "S290")).toBe(1);
  });

  it("refuses a price above the credit, unless negative credit is ON (manual 4.10.1)", async () => {
    const off = rig();
    await off.pay.insertKey(await off.key(103, 20), at("09:00"));
    expect(await off.pay.vendRequest({ line: 1 }, at("09:00"))).toMatchObject({
      approved: false,
      reason: "INSUFFICIENT_FUNDS",
    });
    const on = rig({ negativeCredit: 1 });
    const card = await on.key(103, 20);
    await on.pay.insertKey(card, at("09:00"));
    expect(await on.pay.vendRequest({ line: 1 }, at("09:00"))).toMatchObject({ approved: true, amount: 45 });
    await on.pay.vendSuccess(at("09:00"));
    expect((await on.read(card)).credit).toBe(-25);
    expect(NEGATIVE_CREDIT_FLOOR).toBe(-32_768);
  });

  it("single vend asks for the key again after each vend; multiple vend does not (4.2.1)", async () => {
    const single = rig({ saleType: 1 });
    const card = await single.key(104, 500);
    await single.pay.insertKey(card, at("09:00"));
    await single.pay.vendRequest({ line: 1 }, at("09:00"));
    await single.pay.vendSuccess(at("09:00"));
    expect(await single.pay.vendRequest({ line: 1 }, at("09:01"))).toMatchObject({ reason: "REINSERT_KEY" });
    await single.pay.removeKey(at("09:01"));
    await single.pay.insertKey(card, at("09:01"));
    expect(await single.pay.vendRequest({ line: 1 }, at("09:01"))).toMatchObject({ approved: true });

    const multiple = rig({ saleType: 0 });
    const other = await multiple.key(105, 500);
    await multiple.pay.insertKey(other, at("09:00"));
    for (let i = 0; i < 3; i++) {
      expect(await multiple.pay.vendRequest({ line: 1 }, at("09:00"))).toMatchObject({ approved: true });
      await multiple.pay.vendSuccess(at("09:00"));
    }
    expect((await multiple.read(other)).credit).toBe(500 - 3 * 45);
  });

  it("gives a key's charge back, counting no sale or failure, when the bus could not pass the approval on", async () => {
    const r = rig({ failedVendRefund: 0, maxiBox: 1 });
    const card = await r.key(107, 500);
    await r.pay.insertKey(card, at("09:00"));
    expect(await r.pay.vendRequest({ line: 5 }, at("09:00"))).toMatchObject({ approved: true, amount: 75 });
    expect((await r.read(card)).credit).toBe(425);
    await r.pay.vendWithdrawn(at("09:00"));
    expect((await r.read(card)).credit).toBe(500);
    expect([period(r, "E8"), period(r, S.keySales), period(r, S.failedKeyVends)]).toEqual([0, 0, 0]);
    expect(r.pay.maxiBox.entries()).toEqual([]);
    expect(r.pay.pendingKeyWrites).toEqual([]);
    // and with cash nothing was taken
    await r.pay.removeKey(at("09:01"));
    await r.pay.coin(100, at("09:01"));
    await r.pay.vendRequest({ line: 2 }, at("09:01"));
    await r.pay.vendWithdrawn(at("09:01"));
    expect(r.pay.machineCredit).toBe(100);
    await expect(r.pay.vendWithdrawn(at("09:01"))).rejects.toMatchObject({ code: "NO_VEND" });
  });

  it("refunds a failed vend with refund ON, keeps the charge with refund OFF (4.10.5)", async () => {
    const on = rig({ failedVendRefund: 1 });
    const a = await on.key(106, 500);
    await on.pay.insertKey(a, at("09:00"));
    await on.pay.vendRequest({ line: 5 }, at("09:00"));
    await on.pay.vendFailure(at("09:00"));
    expect((await on.read(a)).credit).toBe(500);
    expect(period(on, "E8")).toBe(1);
    expect(period(on, S.keySales)).toBe(0);
    expect(on.pay.pendingKeyWrites).toEqual([]);

    const off = rig({ failedVendRefund: 0 });
    const b = await off.key(106, 500);
    await off.pay.insertKey(b, at("09:00"));
    await off.pay.vendRequest({ line: 5 }, at("09:00"));
    await off.pay.vendFailure(at("09:00"));
    expect((await off.read(b)).credit).toBe(425);
    expect(period(off, S.failedKeyVends)).toBe(75);
    expect(period(off, "E8")).toBe(1);
  });

  it("refunds a failed vend on the next insertion when the key left during the vend", async () => {
    const r = rig({ failedVendRefund: 1 });
    const card = await r.key(107, 500);
    const uid = await card.uid();
    await r.pay.insertKey(card, at("09:00"));
    await r.pay.vendRequest({ line: 1 }, at("09:00"));
    card.remove();
    await r.pay.removeKey(at("09:00"));
    await r.pay.vendFailure(at("09:00"));
    expect(r.pay.pendingKeyWrites).toMatchObject([{ kind: "sale", phase: "refund-due" }]);
    expect(r.pay.pendingKeyWrite(uid)).toMatchObject({ kind: "sale", phase: "refund-due" });
    expect(r.pay.pendingKeyWrite(Uint8Array.of(0x04, 1, 0, 0x5a))).toBeUndefined();
    card.insert();
    expect(await r.pay.insertKey(card, at("09:05"))).toMatchObject({ ok: true, credit: 500 });
    expect(r.pay.pendingKeyWrites).toEqual([]);
    expect(r.pay.pendingKeyWrite(uid)).toBeUndefined();
  });

  it("sells free with a free key when free keys are ON, counting the list price (4.10.10)", async () => {
    const r = rig({ freeKey: 1 });
    const card = await r.key(108, 0, { keyFunction: "free" });
    await r.pay.insertKey(card, at("09:00"));
    expect(await r.pay.vendRequest({ line: 2 }, at("09:00"))).toMatchObject({ approved: true, amount: 0 });
    await r.pay.vendSuccess(at("09:00"));
    expect(period(r, S.freeSales)).toBe(60); // a free key's list price is the cash price
    expect(period(r, S.keySales)).toBe(0);
    const off = rig({ freeKey: 0 });
    expect(
      await off.pay.insertKey(await off.key(108, 0, { keyFunction: "free" }), at("09:00")),
    ).toMatchObject({
      ok: false,
      err: 6,
    });
    expect(period(off, "E6")).toBe(1);
  });

  it("refuses keys with wrong codes or black-listed, counting ERR 2 and ERR 13", async () => {
    const r = rig({}, shopPricing(), { ...parameters({ blackList: 1 }), blackList: [110] });
    const wrong = await r.key(109, 500, { customerCode: 77 });
    expect(await r.pay.insertKey(wrong, at("09:00"))).toMatchObject({ ok: false, reason: "REFUSED", err: 2 });
    await r.pay.removeKey(at("09:00"));
    const listed = await r.key(110, 500);
    expect(await r.pay.insertKey(listed, at("09:00"))).toMatchObject({ ok: false, err: 13 });
    expect(period(r, "E2")).toBe(1);
    expect(period(r, "E13")).toBe(1);
    expect(r.pay.keyCredit).toBeUndefined();
  });
});

describe("cash (manual 3.2-3.4, 4.10.6)", () => {
  it("sells from coins and zeroes the rest as overprice when overprice is ON", async () => {
    const r = rig({ overprice: 1 });
    await r.pay.coin(100, at("09:00"), 3);
    expect(r.pay.machineCredit).toBe(100);
    expect(period(r, S.coinsIn)).toBe(100);
    expect(period(r, "S13")).toBe(1); // coin type 3
    expect(await r.pay.vendRequest({ line: 2 }, at("09:00"))).toMatchObject({ approved: true, amount: 60 });
    await r.pay.vendSuccess(at("09:00"));
    expect(period(r, S.cashSales)).toBe(60);
    expect(period(r, S.overprice)).toBe(40);
    expect(period(r, "S26")).toBe(1); // cash line 2
    expect(r.pay.machineCredit).toBe(0);
  });

  it("keeps the rest for 3 minutes, then counts it as overprice", async () => {
    const r = rig({ overprice: 2 });
    await r.pay.coin(100, at("09:00"));
    await r.pay.vendRequest({ line: 1 }, at("09:00"));
    await r.pay.vendSuccess(at("09:00"));
    await r.pay.tick(at("09:02"));
    expect(r.pay.machineCredit).toBe(50);
    await r.pay.tick(at("09:03"));
    expect(r.pay.machineCredit).toBe(0);
    expect(period(r, S.overprice)).toBe(50);
  });

  it("refuses a cash vend above the credit and pays the credit back on return", async () => {
    const r = rig({ overprice: 0 });
    await r.pay.bill(50, at("09:00"), 1);
    expect(await r.pay.vendRequest({ line: 5 }, at("09:00"))).toMatchObject({ reason: "INSUFFICIENT_FUNDS" });
    expect(await r.pay.returnCredit(at("09:01"))).toBe(50);
    expect(r.shown.paidOut).toEqual([50]);
    expect(period(r, "S19")).toBe(1);
  });

  it("recharges an inserted key with coins and bills, and loads credit left in the machine", async () => {
    const r = rig({ overprice: 0, billAcceptor: 2, maxiBox: 1 });
    await r.pay.coin(30, at("09:00"));
    const card = await r.key(110, 100);
    expect(await r.pay.insertKey(card, at("09:01"))).toMatchObject({ credit: 130 });
    await r.pay.coin(50, at("09:01"));
    await r.pay.bill(500, at("09:01"));
    expect((await r.read(card)).credit).toBe(680);
    expect(period(r, S.cashRecharges)).toBe(580);
    expect(r.pay.machineCredit).toBe(0);
    expect(r.pay.maxiBox.keyTransactions(110).recharges.bySource).toMatchObject({
      coins: 1,
      bills: 1,
      "machine-credit": 1,
    });
  });

  it("keeps coins as cash credit when coins are for sales only (4.6.1)", async () => {
    const r = rig({ coinValidator: 1 });
    const card = await r.key(111, 100);
    await r.pay.insertKey(card, at("09:00"));
    expect(r.pay.acceptance.coins).toBe("KEY_IN_SALE_ONLY");
    await r.pay.coin(50, at("09:00"));
    expect((await r.read(card)).credit).toBe(100);
    expect(r.pay.machineCredit).toBe(50);
  });

  it("rejects a coin value that is not a whole amount > 0 with a typed error", async () => {
    const r = rig();
    await expect(r.pay.coin(-5, at("09:00"))).rejects.toBeInstanceOf(PaymentError);
    await expect(r.pay.coin(0.5, at("09:00"))).rejects.toMatchObject({ code: "INVALID_AMOUNT" });
    expect(period(r, S.coinsIn)).toBe(0);
  });
});

describe("the maximum loadable credit on every path that loads a key (40000, manual 4.10.2)", () => {
  it("cash at insert, cash moved onto a key, a recharge key and the programmer stop at the maximum; nothing is lost", async () => {
    const r = rig({ overprice: 0, billAcceptor: 2, maxLoadableCredit: 1000, rechargeKey: 1 });
    // cash waiting in the machine: only what fits goes on the key, the rest stays cash credit
    await r.pay.coin(200, at("09:00"));
    await r.pay.coin(200, at("09:00"));
    const card = await r.key(150, 800);
    expect(await r.pay.insertKey(card, at("09:01"))).toMatchObject({ credit: 1000 });
    expect(r.pay.machineCredit).toBe(200);
    // a full key takes no coin: the acceptor is told, and a coin that comes all the same stays cash
    expect(r.pay.acceptance.coins).toBe("KEY_FULL");
    await r.pay.coin(50, at("09:02"));
    expect([(await r.read(card)).credit, r.pay.machineCredit]).toEqual([1000, 250]);
    // the programmer's credit load is refused above the maximum, typed
    await expect(r.pay.programmerRecharge(10, at("09:03"))).rejects.toMatchObject({ code: "CREDIT_LIMIT" });
    await r.pay.removeKey(at("09:03"));
    // a recharge key's value waits for room: 100 fits on a key at 900, 200 keep waiting
    const recharge = await r.key(
      151,
      0,
      { keyFunction: "recharge", rechargeValue: 300 },
      { rechargesLeft: 1 },
    );
    await r.pay.insertKey(recharge, at("09:04"));
    await r.pay.tick(at("09:04") + 3_000); // it stays in: one use is taken
    await r.pay.removeKey(at("09:04") + 3_000);
    // the return button pays the cash credit back and cancels a waiting recharge-key value (ERR 11)
    await r.pay.returnCredit(at("09:04"));
    expect(r.pay.rechargeKeyCredit).toBe(0);
    const again = await r.key(153, 0, { keyFunction: "recharge", rechargeValue: 300 }, { rechargesLeft: 1 });
    await r.pay.insertKey(again, at("09:05"));
    await r.pay.tick(at("09:05") + 3_000);
    await r.pay.removeKey(at("09:05") + 3_000);
    const second = await r.key(152, 900);
    expect(await r.pay.insertKey(second, at("09:06"))).toMatchObject({ credit: 1000 });
    expect(r.pay.rechargeKeyCredit).toBe(200);
    expect(period(r, S.rechargeKeyCredit)).toBe(100);
  });

  it("a lowered maximum takes no credit off a key; the key only stops taking loads", async () => {
    const r = rig({ maxLoadableCredit: 500 });
    const card = await r.key(160, 800);
    expect(await r.pay.insertKey(card, at("09:00"))).toMatchObject({ credit: 800 });
    expect(r.pay.acceptance.coins).toBe("KEY_FULL");
    await expect(r.pay.programmerRecharge(10, at("09:00"))).rejects.toMatchObject({ code: "CREDIT_LIMIT" });
    expect((await r.read(card)).credit).toBe(800);
  });
});

describe("conversion table (manual 4.4.6)", () => {
  const converting = () => {
    const base = shopPricing();
    const numbers = base.conversion.numbers.map((n, i) => (i < 5 ? 201 + i : n));
    return { ...base, conversion: { mode: "dec" as const, numbers } };
  };

  it("on MDB with price holding, sells the line the machine's number stands for, and nothing else", async () => {
    const pricing = converting();
    const r = rig({ saleType: 0 }, pricing, parameters({ saleType: 0 }));
    await r.pay.insertKey(await r.key(170, 500), at("09:00"));
    expect(await r.pay.vendRequest({ line: 205 }, at("09:00"))).toMatchObject({ approved: true, amount: 75 });
    await r.pay.vendSuccess(at("09:00"));
    expect(await r.pay.vendRequest({ line: 5 }, at("09:00"))).toMatchObject({
      approved: false,
      reason: "LINE_NOT_SELLABLE",
    });
    expect(period(r, "S234")).toBe(1); // key 0, line 5
    expect(await r.pay.countCashSale({ line: 202 }, at("09:01"))).toBe(true);
    expect(await r.pay.countCashSale({ line: 2 }, at("09:01"))).toBe(false);
    expect(period(r, S.cashSales)).toBe(60);
    const audit = new TextDecoder().decode(
      auditFile(
        r.pay.statistics.collect(at("09:30")),
        parameters(),
        pricing,
        { serial: "1", model: "M", softwareVersion: "1" },
        "dex-6.0-plus",
      ),
    );
    expect(audit).toContain("LA1*7*201**201\r\n");
    expect(audit).toContain("LA1*7*205**205\r\n");
    expect(audit).not.toContain("LA1*7*206*");
  });

  it("is not used in Executive, nor with prices on the VMC", async () => {
    const exe = rig({ protocol: 0 }, converting(), parameters({ protocol: 0 }));
    await exe.pay.insertKey(await exe.key(171, 500), at("09:00"));
    expect(await exe.pay.vendRequest({ line: 5 }, at("09:00"))).toMatchObject({ approved: true, amount: 75 });
    // prices on the VMC is parameter 30002 = 0: the pricing's own field is not what decides
    const r = rig({ priceSystem: 0 }, converting());
    await r.pay.insertKey(await r.key(172, 500), at("09:00"));
    expect(await r.pay.vendRequest({ price: 80 }, at("09:00"))).toMatchObject({ approved: true, amount: 75 });
  });
});

describe("out-of-table sales (manual 7.5 list 11, n = 5, 6, 31-34)", () => {
  it("counts cash, key and free-key sales at a price no line has, by value and by number", async () => {
    const r = rig({}, shopPricing(), parameters({ freeKey: 1, saleType: 0, priceSystem: 0 }));
    await r.pay.coin(100, at("09:00"));
    await r.pay.vendRequest({ price: 70 }, at("09:00"));
    await r.pay.vendSuccess(at("09:00"));
    await r.pay.returnCredit(at("09:00"));
    await r.pay.insertKey(await r.key(150, 500), at("09:01"));
    await r.pay.vendRequest({ price: 90 }, at("09:01"));
    await r.pay.vendSuccess(at("09:01"));
    await r.pay.vendRequest({ price: 50 }, at("09:01")); // line 1's price: in the table
    await r.pay.vendSuccess(at("09:01"));
    await r.pay.removeKey(at("09:02"));
    await r.pay.insertKey(await r.key(151, 0, { keyFunction: "free" }), at("09:03"));
    await r.pay.vendRequest({ price: 35 }, at("09:03"));
    await r.pay.vendSuccess(at("09:03"));
    const counts = [S.cashOutOfTable, V.cashOutOfTableVends, S.keyOutOfTable, V.keyOutOfTableVends];
    expect(counts.map((c) => period(r, c))).toEqual([70, 1, 90, 1]);
    expect([period(r, V.freeOutOfTableVends), period(r, V.freeOutOfTable)]).toEqual([1, 35]);
  });
});

describe("loyalty credit and bonus-1 credit (manual 7.5 list 11, n = 27, 35)", () => {
  /** The shop's prices with 5 of loyalty credit per sale and `bonus` of bonus-1 credit a day for key 0. */
  const withExtras = (bonus: number) => {
    const base = shopPricing();
    return {
      ...base,
      loyalty: {
        ...base.loyalty,
        mode: "on" as const,
        type: "credit" as const,
        creditPerLine: base.cash.map(() => 5),
      },
      bonus1: {
        ...base.bonus1,
        usage: "recharge-and-sale" as const,
        levels: base.bonus1.levels.map((l, i) => (i === 0 ? { ...l, enabled: true, credit: bonus } : l)),
      },
    };
  };

  it("counts the loyalty credit a sale gives back, and bonus-1 credit lapsed at a new period", async () => {
    const r = rig({}, withExtras(100));
    // 30 of bonus-1 credit stamped with a period long gone: it lapses, 100 comes in its place
    const card = await r.key(160, 500, {}, { bonus1: { mode: "credit", amount: 30, period: 0 } });
    await r.pay.insertKey(card, at("09:00"));
    await r.pay.vendRequest({ line: 1 }, at("09:00"));
    await r.pay.vendSuccess(at("09:00"));
    expect([period(r, S.loyaltyCredit), period(r, V.bonusCreditLapsed)]).toEqual([5, 30]);
    expect((await r.read(card)).bonus1.amount).toBe(100 - 45);
  });

  it("Tab. 8.2.1: the machine is shown the key's credit plus the bonus-1 credit it can spend", async () => {
    const r = rig({}, withExtras(100));
    const card = await r.key(162, 20);
    await r.pay.insertKey(card, at("09:00"));
    expect([r.pay.keyCredit, r.pay.keyFunds, r.shown.display.at(-1)]).toEqual([20, 120, 120]);
    // 0.45 only the bonus covers: approved, the bonus pays it
    expect(await r.pay.vendRequest({ line: 1 }, at("09:00"))).toMatchObject({ approved: true, amount: 45 });
    await r.pay.vendSuccess(at("09:00"));
    expect(r.shown.display.at(-1)).toBe(20 + 5 + 55); // loyalty 0.05 back, 0.55 of bonus left
  });

  it("a failed vend kept with refund OFF counts the bonus spent and the loyalty given with it (4.10.5)", async () => {
    const r = rig({ failedVendRefund: 0 }, withExtras(20));
    const card = await r.key(161, 500);
    await r.pay.insertKey(card, at("09:00"));
    await r.pay.vendRequest({ line: 1 }, at("09:00"));
    await r.pay.vendFailure(at("09:00"));
    // line 1 at key price 45: 20 of bonus-1 credit and 25 of credit; 5 of loyalty comes back
    const key = await r.read(card);
    expect([key.credit, key.bonus1.amount]).toEqual([500 - 25 + 5, 0]);
    expect([period(r, S.failedKeyVends), period(r, V.bonusCreditSpent), period(r, S.loyaltyCredit)]).toEqual([
      25, 20, 5,
    ]);
    expect(period(r, S.keySales)).toBe(0);
  });
});

describe("special keys and vends", () => {
  it("3.5: a recharge key out within 3 s shows its count; left in, it moves one use to the next sale key", async () => {
    const r = rig({ rechargeKey: 1, maxiBox: 1 });
    const recharge = await r.key(
      120,
      0,
      { keyFunction: "recharge", rechargeValue: 300 },
      { rechargesLeft: 2 },
    );
    // taken out within 3 seconds it only shows how many recharges it holds
    expect(await r.pay.insertKey(recharge, at("09:00"))).toMatchObject({ ok: true, rechargesLeft: 2 });
    await r.pay.tick(at("09:00") + 2_999);
    await r.pay.removeKey(at("09:00") + 2_999);
    expect([r.pay.rechargeKeyCredit, (await r.read(recharge)).rechargesLeft]).toEqual([0, 2]);
    // left in, it gives one
    expect(await r.pay.insertKey(recharge, at("09:00"))).toMatchObject({ ok: true, function: "recharge" });
    await r.pay.tick(at("09:00") + 3_000);
    expect(r.pay.rechargeKeyCredit).toBe(300);
    expect((await r.read(recharge)).rechargesLeft).toBe(1);
    await r.pay.tick(at("09:00") + 9_000); // once per insertion
    expect(r.pay.rechargeKeyCredit).toBe(300);
    await r.pay.removeKey(at("09:00"));
    const sale = await r.key(121, 50);
    expect(await r.pay.insertKey(sale, at("09:01"))).toMatchObject({ credit: 350 });
    expect(r.pay.rechargeKeyCredit).toBe(0);
    expect(period(r, S.programmedCredit)).toBe(300);
    expect([period(r, S.rechargeKeyCredit), period(r, S.programmerCredit)]).toEqual([300, 0]);
    expect(r.pay.maxiBox.keyTransactions(121).recharges.bySource["recharge-key"]).toBe(1);
  });

  it("cancels a waiting recharge-key value on return, counting ERR 11", async () => {
    const r = rig({ rechargeKey: 1 });
    const recharge = await r.key(
      122,
      0,
      { keyFunction: "recharge", rechargeValue: 300 },
      { rechargesLeft: 1 },
    );
    await r.pay.insertKey(recharge, at("09:00"));
    await r.pay.tick(at("09:00") + 3_000);
    await r.pay.removeKey(at("09:00") + 3_000);
    await r.pay.returnCredit(at("09:01"));
    expect(r.pay.rechargeKeyCredit).toBe(0);
    expect(period(r, "E11")).toBe(1);
  });

  it("approves test vends free and counts them as ERR 15", async () => {
    const r = rig();
    expect(await r.pay.vendRequest({ line: 3, test: true }, at("09:00"))).toMatchObject({
      approved: true,
      amount: 0,
    });
    await r.pay.vendSuccess(at("09:00"));
    expect(period(r, "E15")).toBe(1);
    expect(period(r, S.cashSales)).toBe(0);
  });

  it("loads the changer's tubes with the programming key, refused while cash credit is in (4.8.7)", async () => {
    const r = rig();
    const prog = await r.key(123, 0, { keyFunction: "programming" });
    expect(await r.pay.insertKey(prog, at("09:00"))).toMatchObject({ ok: true, function: "programming" });
    await r.pay.coin(200, at("09:00"));
    expect(period(r, S.tubeFill)).toBe(200);
    expect(r.pay.machineCredit).toBe(0);
    await r.pay.removeKey(at("09:01"));
    await r.pay.coin(50, at("09:01"));
    expect(await r.pay.insertKey(prog, at("09:02"))).toMatchObject({ ok: false, reason: "REFUSED" });
  });

  it("8.8: an out-of-service band stops keys only under MDB; the reader's cash too under Executive master or with its own changer", async () => {
    const pricing = shopPricing();
    const bands = pricing.outOfService.bands.map((b, i) =>
      i === 0 ? { enabled: true, start: 600, end: 660 } : b,
    );
    const banded = { ...pricing, outOfService: { enabled: true, stopsCash: false, bands } };
    const mdb = rig({ billAcceptor: 2 }, banded);
    await mdb.pay.tick(at("10:10"));
    expect(mdb.pay.acceptance).toMatchObject({ coins: true, bills: true });
    await mdb.pay.coin(100, at("10:10"));
    expect(await mdb.pay.vendRequest({ line: 1 }, at("10:10"))).toMatchObject({ approved: true });
    await mdb.pay.vendSuccess(at("10:10"));
    const card = await mdb.key(124, 500);
    await mdb.pay.insertKey(card, at("10:15"));
    expect(await mdb.pay.vendRequest({ line: 1 }, at("10:15"))).toMatchObject({ reason: "OUT_OF_SERVICE" });
    expect(await mdb.pay.vendRequest({ line: 1 }, at("11:00"))).toMatchObject({ approved: true });

    for (const r of [
      rig({ protocol: 0 }, banded, parameters({ protocol: 0 })),
      rig({}, banded, parameters(CHANGER_PARAMETERS), CHANGER),
    ]) {
      await r.pay.tubeStatus(tubes(20, 20, 20, 20), at("09:00"));
      await r.pay.coin(100, at("09:00"));
      await r.pay.tick(at("10:10"));
      expect(r.pay.acceptance).toEqual({ coins: "DISABLED", bills: "DISABLED" });
      expect(await r.pay.vendRequest({ line: 1 }, at("10:10"))).toMatchObject({ reason: "OUT_OF_SERVICE" });
    }
  });

  it("stops selling when the Maxi Box is ON and full (4.15)", async () => {
    const r = rig({ maxiBox: 1 });
    for (let i = 0; i < r.pay.maxiBox.capacity; i++)
      r.pay.maxiBox.record({ kind: "error", at: at("08:00"), error: 1 }, "on");
    expect(r.pay.state).toEqual({ state: "maxi-box-full" });
    expect(await r.pay.vendRequest({ line: 1, test: true }, at("09:00"))).toMatchObject({
      reason: "READER_OUT_OF_SERVICE",
    });
    expect(r.pay.acceptance.coins).toBe("DISABLED");
  });

  it("refuses a second vend while one is open, and an outcome with no vend", async () => {
    const r = rig();
    await r.pay.coin(200, at("09:00"));
    await r.pay.vendRequest({ line: 1 }, at("09:00"));
    expect(await r.pay.vendRequest({ line: 1 }, at("09:00"))).toMatchObject({ reason: "VEND_IN_PROGRESS" });
    await r.pay.vendSuccess(at("09:00"));
    await expect(r.pay.vendSuccess(at("09:00"))).rejects.toMatchObject({ code: "NO_VEND" });
  });
});

describe("a key pulled out mid-write, and power cuts", () => {
  for (const atWrite of [1, 2, 3])
    for (const mode of ["after", "during"] as const)
      it(`a charge torn at block write ${atWrite} (${mode}) is refused and leaves the key as it was`, async () => {
        const r = rig({ maxiBox: 1 });
        const card = await r.key(130, 500);
        await r.pay.insertKey(card, at("09:00"));
        card.armTear({ atWrite, mode, keep: 5 });
        expect(await r.pay.vendRequest({ line: 1 }, at("09:00"))).toMatchObject({
          reason: "KEY_WRITE_FAILED",
        });
        // a tear before the last block fails the write (ERR 9), on it the read-back (ERR 12)
        expect(period(r, "E9") + period(r, "E12")).toBe(1);
        card.insert();
        await r.pay.insertKey(card, at("09:01"));
        expect((await r.read(card)).credit).toBe(500);
        expect(period(r, S.keySales)).toBe(0);
        expect(r.pay.pendingKeyWrites).toEqual([]);
      });

  for (const atWrite of [1, 3])
    it(`a coin recharge torn at block write ${atWrite} is loaded once, on the next insertion`, async () => {
      const r = rig({ maxiBox: 1 });
      const card = await r.key(131, 100);
      await r.pay.insertKey(card, at("09:00"));
      card.armTear({ atWrite, mode: "after" });
      await r.pay.coin(200, at("09:00"));
      expect(period(r, S.coinsIn)).toBe(200);
      card.insert();
      await r.pay.insertKey(card, at("09:02"));
      expect((await r.read(card)).credit).toBe(300);
      expect(period(r, S.cashRecharges)).toBe(200);
      expect(r.pay.maxiBox.keyTransactions(131).recharges.total).toBe(1);
      expect(r.pay.pendingKeyWrites).toEqual([]);
    });

  it("a key taken out and put back while its product vends is charged once", async () => {
    const r = rig({ saleType: 0 });
    const card = await r.key(133, 500);
    await r.pay.insertKey(card, at("09:00"));
    await r.pay.vendRequest({ line: 1 }, at("09:00"));
    await r.pay.removeKey(at("09:00"));
    await r.pay.insertKey(card, at("09:00"));
    expect(r.pay.pendingKeyWrites).toMatchObject([{ phase: "charged" }]);
    await r.pay.vendSuccess(at("09:01"));
    expect(period(r, S.keySales)).toBe(45);
    expect((await r.read(card)).credit).toBe(455);
    expect(r.pay.pendingKeyWrites).toEqual([]);
  });

  it("gives the benefit of the doubt, counted as ERR 12, when the key was used elsewhere first", async () => {
    const here = rig();
    const card = await here.key(134, 500);
    await here.pay.insertKey(card, at("09:00"));
    card.armTear({ atWrite: 3, mode: "after" }); // the charge lands, its read-back does not
    expect(await here.pay.vendRequest({ line: 1 }, at("09:00"))).toMatchObject({
      reason: "KEY_WRITE_FAILED",
    });
    const errorsBefore = here.pay.statistics.get("E12").period;
    // another reader of the same operator sells from the key before it comes back
    const elsewhere = rig();
    card.insert();
    await elsewhere.pay.insertKey(card, at("09:10"));
    await elsewhere.pay.vendRequest({ line: 2 }, at("09:10"));
    await elsewhere.pay.vendSuccess(at("09:10"));
    await elsewhere.pay.removeKey(at("09:10"));
    expect((await here.read(card)).credit).toBe(500 - 45 - 55);
    await here.pay.insertKey(card, at("09:20"));
    expect((await here.read(card)).credit).toBe(500 - 55); // our refused charge came back
    expect(here.pay.statistics.get("E12").period).toBe(errorsBefore + 1);
    expect(here.pay.pendingKeyWrites).toEqual([]);
  });

  it("a power cut while the product is vending counts the sale once, at power-up", async () => {
    const r = rig({ maxiBox: 1 });
    const card = await r.key(132, 500);
    await r.pay.insertKey(card, at("09:00"));
    await r.pay.vendRequest({ line: 1 }, at("09:00"));
    r.storage.cutPowerOnNextCommit();
    await expect(r.pay.vendSuccess(at("09:00"))).rejects.toBeInstanceOf(PowerCut);
    const pay = await r.reboot(at("09:05"));
    expect(pay.statistics.get(S.keySales).period).toBe(45);
    expect(pay.statistics.get(S.powerRestores).period).toBe(1);
    await r.reboot(at("09:06"));
    expect(period(r, S.keySales)).toBe(45);
    expect(r.pay.maxiBox.keyTransactions(132).sales.total).toBe(1);
    expect((await r.read(card)).credit).toBe(455);
  });

  it("keeps machine credit across a power cut except in MDB, where it becomes overprice", async () => {
    const exe = rig({ protocol: 0, overprice: 0 });
    await exe.pay.coin(70, at("09:00"));
    expect((await exe.reboot(at("09:01"))).machineCredit).toBe(70);
    const mdb = rig({ protocol: 2, overprice: 0 });
    await mdb.pay.coin(70, at("09:00"));
    expect((await mdb.reboot(at("09:01"))).machineCredit).toBe(0);
    expect(period(mdb, S.overprice)).toBe(70);
  });
});

describe("Rendiresto Plus MDB: the reader's own changer (manual 4.8)", () => {
  const withChanger = (overrides: Parameters<typeof parameters>[0]) =>
    rig({}, shopPricing(), parameters({ ...CHANGER_PARAMETERS, ...overrides }), CHANGER);

  it("pays the rest of a single vend back at once, in coins the tubes hold", async () => {
    const r = withChanger({ saleType: 1, overprice: 1 });
    await r.pay.tubeStatus(tubes(20, 20, 20, 20), at("09:00"));
    await r.pay.coin(200, at("09:00"));
    expect(await r.pay.vendRequest({ line: 2 }, at("09:00"))).toMatchObject({ approved: true, amount: 60 });
    await r.pay.vendSuccess(at("09:00"));
    expect(r.shown.paidOut).toEqual([140]);
    expect(r.shown.coinsOut).toEqual([
      [
        { type: 3, count: 2 },
        { type: 4, count: 2 },
      ],
    ]);
    expect(period(r, S.overprice)).toBe(0);
    expect(r.pay.machineCredit).toBe(0);
  });

  it("4.2.1: with the reader's own MDB changer a key sells on even under single vend", async () => {
    const r = withChanger({ saleType: 1 });
    await r.pay.tubeStatus(tubes(20, 20, 20, 20), at("09:00"));
    const card = await r.key(131, 500);
    await r.pay.insertKey(card, at("09:00"));
    for (let i = 0; i < 2; i++) {
      expect(await r.pay.vendRequest({ line: 1 }, at("09:00"))).toMatchObject({ approved: true });
      await r.pay.vendSuccess(at("09:00"));
    }
    expect((await r.read(card)).credit).toBe(500 - 2 * 45);
  });

  it("returns coins before a sale only with the escrow lever ON (4.8.3)", async () => {
    const off = withChanger({ escrowLever: 0 });
    await off.pay.tubeStatus(tubes(20, 20, 20, 20), at("09:00"));
    await off.pay.coin(100, at("09:00"));
    expect(await off.pay.returnCredit(at("09:00"))).toBe(0);
    expect(off.pay.machineCredit).toBe(100);
    const on = withChanger({ escrowLever: 1 });
    await on.pay.tubeStatus(tubes(20, 20, 20, 20), at("09:00"));
    await on.pay.coin(100, at("09:00"));
    expect(await on.pay.returnCredit(at("09:00"))).toBe(100);
  });

  it("after a multiple-vend sale the lever returns the rest, but never above the max change (4.8.4)", async () => {
    const r = withChanger({ saleType: 0, overprice: 0, billAcceptor: 2 });
    await r.pay.tubeStatus(tubes(20, 20, 20, 20), at("09:00"));
    await r.pay.bill(500, at("09:00"));
    await r.pay.vendRequest({ line: 1 }, at("09:00"));
    await r.pay.vendSuccess(at("09:00"));
    expect(await r.pay.returnCredit(at("09:01"))).toBe(0); // 450 > max change 200
    expect(r.pay.machineCredit).toBe(450);
    for (const line of [5, 5, 5, 1]) {
      await r.pay.vendRequest({ line }, at("09:02"));
      await r.pay.vendSuccess(at("09:02"));
    }
    expect(await r.pay.returnCredit(at("09:03"))).toBe(160); // 450 − 3 × 80 − 50
    expect(r.pay.machineCredit).toBe(0);
  });

  it("enables the coin types and MDB bill types the parameters enable (20017-20032, 21006-21021)", async () => {
    const r = withChanger({ mdbCoinEnabled3: 0, billAcceptor: 2, billAcceptorType: 5, mdbBillEnabled2: 0 });
    await r.pay.tubeStatus(tubes(20, 20, 20, 20), at("09:00"));
    expect(r.pay.acceptance.coinTypes).toEqual([1, 2, 4, 5, 6]);
    expect(r.pay.acceptance.billTypes).toEqual([1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    const parallel = withChanger({ billAcceptor: 2, billAcceptorType: 0 });
    expect(parallel.pay.acceptance.billTypes).toBeUndefined();
  });

  it("with change short: bills off, chosen coins only, or the exact amount only (4.8.6)", async () => {
    const chosen = withChanger({ exactChange: 1, billAcceptor: 2 });
    await chosen.pay.tubeStatus(tubes(3, 20, 20, 20), at("09:00"));
    expect(chosen.pay.acceptance).toMatchObject({ bills: "NO_CHANGE", coinTypes: [1, 2] });
    await chosen.pay.tubeStatus(tubes(20, 20, 20, 20), at("09:00"));
    expect(chosen.pay.acceptance).toMatchObject({ bills: true, coinTypes: [1, 2, 3, 4, 5, 6] });

    const exact = withChanger({ exactChange: 2 });
    await exact.pay.tubeStatus(tubes(3, 20, 20, 20), at("09:00"));
    await exact.pay.coin(100, at("09:00"));
    expect(await exact.pay.vendRequest({ line: 1 }, at("09:00"))).toMatchObject({ reason: "EXACT_CHANGE" });
    expect(await exact.pay.vendRequest({ line: 2 }, at("09:00"))).toMatchObject({ reason: "EXACT_CHANGE" });
    await exact.pay.returnCredit(at("09:00"));
    const fresh = withChanger({ exactChange: 2, escrowLever: 1 });
    await fresh.pay.tubeStatus(tubes(3, 20, 20, 20), at("09:00"));
    await fresh.pay.coin(50, at("09:00"));
    expect(await fresh.pay.vendRequest({ line: 1 }, at("09:00"))).toMatchObject({
      approved: true,
      amount: 50,
    });
  });
});

describe("cash paid through an Executive changer (RENDIRESTO, manual 4.3.3)", () => {
  it("counts the changer's cash sale with its line, moving no credit", async () => {
    const r = rig({ maxiBox: 1 });
    expect(await r.pay.countCashSale({ line: 2 }, at("09:00"))).toBe(true);
    expect(period(r, S.cashSales)).toBe(60);
    expect(period(r, "S26")).toBe(1);
    expect(r.pay.machineCredit).toBe(0);
    expect(r.pay.maxiBox.entries()).toMatchObject([{ kind: "sale", selection: 2, amount: 60 }]);
    expect(await r.pay.countCashSale({ line: 99 }, at("09:00"))).toBe(false); // beyond the lines in use
  });
});

describe("the programmer (manual 9, 9.5.1)", () => {
  it("recharges a key and sets a recharge key's uses, with the password once it is programmed", async () => {
    const r = rig({}, shopPricing(), { ...parameters({ password: 4711, rechargeKey: 1 }) });
    await r.pay.connectProgrammer(at("09:00"));
    expect(await r.pay.vendRequest({ line: 1, test: true }, at("09:00"))).toMatchObject({
      reason: "READER_OUT_OF_SERVICE",
    });
    const card = await r.key(140, 100);
    await r.pay.insertKey(card, at("09:00"));
    await expect(r.pay.programmerRecharge(500, at("09:00"))).rejects.toMatchObject({
      code: "PASSWORD_REQUIRED",
    });
    expect(await r.pay.programmerRecharge(500, at("09:00"), 4711)).toBe(600);
    expect(period(r, S.programmedCredit)).toBe(500);
    expect([period(r, S.programmerCredit), period(r, S.rechargeKeyCredit)]).toEqual([500, 0]);
    expect(r.pay.maxiBox.keyTransactions(140).recharges.bySource.programmer).toBe(0); // Maxi Box OFF
    await r.pay.removeKey(at("09:01"));
    const recharge = await r.key(
      141,
      0,
      { keyFunction: "recharge", rechargeValue: 200 },
      { rechargesLeft: 3 },
    );
    await r.pay.insertKey(recharge, at("09:01"));
    expect(r.pay.rechargeKeyCredit).toBe(0); // reading it for key management takes no use
    await expect(r.pay.setRechargeKeyUses(50, at("09:01"), 1)).rejects.toMatchObject({
      code: "WRONG_PASSWORD",
    });
    expect(await r.pay.setRechargeKeyUses(50, at("09:01"), 4711)).toBe(true);
    expect((await r.read(recharge)).rechargesLeft).toBe(50);
    await r.pay.removeKey(at("09:02"));
    await r.pay.disconnectProgrammer(at("09:02"));
    expect(await r.pay.vendRequest({ line: 1, test: true }, at("09:02"))).toMatchObject({ approved: true });
  });

  it("is refused with a key in, and with cash credit in MDB; in Executive the credit becomes overprice", async () => {
    const mdb = rig({ protocol: 2, overprice: 0 });
    const card = await mdb.key(142, 100);
    await mdb.pay.insertKey(card, at("09:00"));
    await expect(mdb.pay.connectProgrammer(at("09:00"))).rejects.toMatchObject({
      code: "PROGRAMMING_REFUSED",
    });
    await mdb.pay.removeKey(at("09:00"));
    await mdb.pay.coin(50, at("09:00"));
    await expect(mdb.pay.connectProgrammer(at("09:00"))).rejects.toMatchObject({
      code: "PROGRAMMING_REFUSED",
    });
    const exe = rig({ protocol: 0, overprice: 0 });
    await exe.pay.coin(50, at("09:00"));
    await exe.pay.connectProgrammer(at("09:00"));
    expect(exe.pay.machineCredit).toBe(0);
    expect(period(exe, S.overprice)).toBe(50);
  });
});
