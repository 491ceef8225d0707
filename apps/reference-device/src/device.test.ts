import { mkdtempSync, readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cashlessSales, parse, validate } from "@vendkit/evadts";
import { STATISTICS_COUNTERS as S, VENDKIT_COUNTERS as V } from "@vendkit/mizip-core";
import { describe, expect, it } from "vitest";
import { serveConsole } from "./console.js";
import { consoleClient } from "./console-client.js";
import { Device } from "./device.js";
import { ExecutiveLink } from "./executive-link.js";
import { ExecutiveSlaveLink } from "./executive-slave-link.js";
import type { DurableKey } from "./key-store.js";
import type { MdbLink } from "./mdb-link.js";
import { RendirestoLink } from "./rendiresto-link.js";
import { SqliteStorage } from "./sqlite-storage.js";

const dir = () => mkdtempSync(join(tmpdir(), "vendkit-device-"));

describe("the reference device over MDB", () => {
  it("sells from a key and from coins through MDB frames, and keeps it all across a restart", async () => {
    const data = dir();
    const device = await Device.open(data);
    expect((await device.insertKey(0)).ok).toBe(true);
    expect(await device.select(1)).toBe(50);
    expect(await device.select(5)).toBe(150);
    await device.removeKey();
    await device.cash.coin(100);
    expect(await device.select(2)).toBe(60);
    expect(await device.select(4)).toBeUndefined(); // overprice ON took the 0.40 left
    expect((await device.state()).statistics[S.overprice]).toBe(40);
    const before = await device.state();
    expect(before.keys[0]?.credit).toBe(300);
    expect(before.statistics[S.keySales]).toBe(200);
    expect(before.statistics[S.cashSales]).toBe(60);
    expect(before.maxiBoxEntries).toBe(3);
    device.close();

    const again = await Device.open(data);
    const after = await again.state();
    expect(after.keys).toEqual(before.keys);
    expect(after.statistics[S.keySales]).toBe(200);
    expect(after.statistics[S.powerRestores]).toBe(2);
    expect(after.statistics[S.powerFailures]).toBe(1); // the first start followed none
    // MDB: a power cycle counts the cash credit left as overprice (manual 9)
    expect(after.machineCredit).toBe(0);
    expect(after.statistics[S.overprice]).toBe((before.statistics[S.overprice] ?? 0) + before.machineCredit);
    again.close();
  });

  it("Tab. 8.2.1: the VMC is told the key's credit plus its bonus-1 credit, and sells what only the bonus covers", async () => {
    const device = await Device.open(dir());
    // bonus 1: recharge and sale (50000), as credit (50002), 1.00 a day for key level 0 (50011)
    for (const [number, value] of [
      [50000, 2],
      [50002, 1],
      [50011, 100],
    ] as const)
      await device.settings.setParameter(number, value);
    const link = device.link as MdbLink;
    const funds: number[] = [];
    const pollFor = link.vmc.pollFor.bind(link.vmc);
    link.vmc.pollFor = (types, tries) => {
      const r = pollFor(types, tries);
      if (r?.type === "begin-session") funds.push(r.funds);
      return r;
    };
    await device.insertKey(2); // no credit of its own
    expect(funds).toEqual([100]);
    expect(await device.select(1)).toBe(50);
    await device.removeKey();
    expect((await device.state()).keys[2]?.credit).toBe(0);
    device.close();
  });

  it("10.2.1: the VMC's own coins go onto the key by REVALUE up to 40000; its own cash sales are counted", async () => {
    const device = await Device.open(dir());
    await device.settings.setParameter(40000, 700);
    expect(await device.vmcCash(100)).toBe(false); // no key: the VMC keeps it as its own credit
    await device.insertKey(0); // 5.00
    expect(await device.vmcCash(100)).toBe(true);
    expect(await device.vmcCash(200)).toBe(false); // 8.00 would be above 7.00
    expect(await device.select(5)).toBe(150); // the VMC's session holds what the revalue added
    await device.removeKey();
    expect((await device.state()).keys[0]?.credit).toBe(450);
    await device.vmcCashSale(2);
    expect(device.pay.statistics.get(S.cashSales).period).toBe(60);
    expect(device.pay.statistics.get(S.cashRecharges).period).toBe(100);
    expect(device.pay.statistics.get(S.coinsIn).period).toBe(0);
    device.close();
    const exe = await Device.open(dir(), { protocol: "executive-master" });
    await expect(exe.vmcCash(100)).rejects.toMatchObject({ code: "DEVICE_SETUP" });
    exe.close();
  });

  it("refuses a vend above the key's credit; coins onto the key update the VMC's session funds", async () => {
    const device = await Device.open(dir());
    await device.insertKey(2); // the empty demo key
    expect(await device.select(1)).toBeUndefined();
    expect((await device.state()).statistics[S.keySales]).toBe(0);
    await device.cash.coin(100);
    expect(await device.select(1)).toBe(50); // the MDB session now holds 1.00 (UPDATE CREDIT)
    expect((await device.state()).keys[2]?.credit).toBe(50);
    device.close();
  });
});

describe("the MDB protocol parameters (manual 4.2)", () => {
  it("configure the reader the VMC sets up: level, currency, decimals, response time, inter-byte time", async () => {
    const where = dir();
    const programmed = await Device.open(where);
    for (const [number, value] of [
      [30010, 0],
      [30013, 0x1756],
      [30004, 1],
      [30011, 9],
      [30012, 5],
    ] as const)
      await programmed.settings.setParameter(number, value);
    programmed.close();
    // the VMC reads them at its next SETUP: when the device starts again
    const device = await Device.open(where);
    const link = device.link as MdbLink;
    const config = link.vmc.initialise().config;
    expect(config).toMatchObject({
      type: "reader-config",
      level: 1,
      currency: 0x1756,
      decimals: 1,
      maxResponseTime: 9,
    });
    // a POLL whose check byte comes 3 ms after its address byte is one block within 5 ms
    const pollWithGap = (l: MdbLink) => {
      l.reader.receive([0x112], 1_000_000);
      return l.reader.receive([0x012], 1_000_003).send.length;
    };
    expect(pollWithGap(link)).toBeGreaterThan(0);
    device.close();
    const demo = await Device.open(dir());
    expect((demo.link as MdbLink).vmc.initialise().config).toMatchObject({
      level: 3,
      decimals: 2,
      currency: 0x1978,
    });
    expect(pollWithGap(demo.link as MdbLink)).toBe(0); // 1 ms: the block timed out
    demo.close();
  });
});

describe("Executive VEND DELAY (parameter 30006, manual 4.3.8)", () => {
  it("waits past 60 s for a machine that takes 90 s to vend only when ON", async () => {
    for (const vendDelay of [0, 1]) {
      const where = dir();
      const programmed = await Device.open(where, { protocol: "executive-master" });
      await programmed.settings.setParameter(30006, vendDelay);
      programmed.close();
      const device = await Device.open(where); // the link takes it when the device starts
      // the simulated machine takes 90 s to deliver
      ((device.link as ExecutiveLink).vmc as unknown as { o: { vendMs: number } }).o.vendMs = 90_000;
      await device.insertKey(1);
      const amount = await device.select(1);
      await device.removeKey();
      // OFF: the reader gives up at 60 s and counts a failed vend (refund OFF: the charge stays)
      expect([amount, device.pay.statistics.get("E8").period]).toEqual(vendDelay ? [50, 0] : [undefined, 1]);
      expect((await device.state()).keys[1]?.credit).toBe(950);
      device.close();
    }
  });
});

describe("Executive NON DA RESTO (parameter 40110, manual 4.10.13)", () => {
  it("keeps the machine's no-change message on in EXECUTIVE MASTER, with or without credit", async () => {
    const where = dir();
    const programmed = await Device.open(where, { protocol: "executive-master" });
    await programmed.settings.setParameter(40110, 1);
    programmed.close();
    const on = await Device.open(where);
    const vmc = (on.link as ExecutiveLink).vmc;
    expect([vmc.shown, vmc.exactOnly]).toEqual([0, true]);
    await on.insertKey(0);
    expect([vmc.shown, vmc.exactOnly]).toEqual([500, true]);
    on.close();
    const off = await Device.open(dir(), { protocol: "executive-master" });
    const plain = (off.link as ExecutiveLink).vmc;
    expect([plain.shown, plain.exactOnly]).toEqual([undefined, false]);
    await off.insertKey(0);
    expect([plain.shown, plain.exactOnly]).toEqual([500, false]);
    off.close();
  });
});

describe("statistics BACKUP (parameter 40116, manual 7.2)", () => {
  it("re-reads the last collection without touching today's data, then turns itself OFF", async () => {
    let now = Date.parse("2026-11-23T08:00:00Z");
    const device = await Device.open(dir(), { clock: () => now });
    await device.insertKey(0);
    await device.select(1); // 0.50
    const first = device.audits.collect();
    device.audits.confirm(first);
    now += 10 * 60_000;
    await device.select(2); // 0.60, today's period
    await device.removeKey();
    await device.settings.setParameter(40116, 1);
    const again = device.audits.collect();
    expect(again.backup).toBe(true);
    expect(again.collection.period[S.keySales]).toBe(50);
    expect(new TextDecoder("latin1").decode(again.bytes)).toBe(new TextDecoder("latin1").decode(first.bytes));
    device.audits.confirm(again);
    expect(device.settings.params.numeric.statisticsBackup).toBe(0);
    expect((await device.state()).statistics[S.keySales]).toBe(110); // historic 0.50 + 0.60 — nothing cleared twice
    now += 10 * 60_000;
    const next = device.audits.collect();
    expect([next.backup, next.collection.period[S.keySales]]).toEqual([false, 60]);
    device.close();
  });
});

describe("check audit (parameter 40006, manual 4.10.8 and 5.1)", () => {
  it("locks the reader on altered statistics until a collection and a historic reset", async () => {
    let now = Date.parse("2026-11-23T08:00:00Z");
    const data = dir();
    const device = await Device.open(data, { clock: () => now });
    await device.settings.setParameter(40006, 1);
    await device.insertKey(0);
    expect(await device.select(1)).toBe(50);
    await device.removeKey();
    // someone alters the statistics record behind the reader's back
    const storage = new SqliteStorage(join(data, "device.sqlite"));
    const bytes = storage.get("stats/current") as Uint8Array;
    const text = new TextDecoder().decode(bytes.subarray(0, -4)).replace('"S6":50', '"S6":950');
    storage.commit(
      new Map([
        ["stats/current", new Uint8Array([...new TextEncoder().encode(text), ...bytes.subarray(-4)])],
      ]),
    );
    storage.close();
    expect(device.pay.state.state).toBe("audit-integrity");
    expect(await device.insertKey(1)).toMatchObject({ ok: false, reason: "READER_OUT_OF_SERVICE" });
    await device.removeKey();
    // the collection (to be thrown away) alone does not release it; the historic reset does
    const taken = device.audits.collect();
    device.audits.confirm(taken);
    expect(device.pay.state.state).toBe("audit-integrity");
    device.audits.resetHistoric();
    expect(device.pay.state.state).not.toBe("audit-integrity");
    now += 60_000;
    expect(await device.insertKey(1)).toMatchObject({ ok: true });
    device.close();
  });
});

describe("the programmer's settings", () => {
  it("keeps parameters and prices across a restart, refusing what is out of range by number", async () => {
    const data = dir();
    const device = await Device.open(data);
    await device.settings.setParameter(40003, 0);
    await device.settings.setPrice(0, 2, 45);
    await expect(device.settings.setPrice("cash", 1, 70_000)).rejects.toMatchObject({
      code: "PARAMETER_ERROR",
      parameter: 10001,
    });
    await device.insertKey(0);
    await expect(device.settings.setPrice("cash", 1, 40)).rejects.toMatchObject({ code: "DEVICE_SETUP" });
    expect(await device.select(2)).toBe(45);
    await device.removeKey();
    await expect(device.settings.setCodes({ readerCode: "toolong1" })).rejects.toMatchObject({
      parameter: 4,
    });
    await device.settings.setParameter(41000, 1);
    await device.settings.setCodes({ blackList: [2] });
    expect(await device.insertKey(1)).toMatchObject({ ok: false, err: 13 });
    await device.removeKey();
    await device.settings.setParameter(40115, 4711);
    expect(await device.formatKey(0)).toBe(4711);
    expect((await device.state()).keys[0]).toMatchObject({ keyNumber: 4711, credit: 455 });
    expect(device.settings.params.numeric.formatKeyNumber).toBe(4712);
    await expect(device.settings.setParameter(40115, 0)).rejects.toMatchObject({ parameter: 40115 });
    device.close();
    const again = await Device.open(data);
    expect((await again.state()).keys[0]).toMatchObject({ keyNumber: 4711, credit: 455 });
    expect(again.settings.params.blackList).toEqual([2]);
    expect(again.settings.params.numeric.overprice).toBe(0);
    expect(again.settings.pricing.keys[0].prices[1]).toBe(45);
    expect(again.settings.pricing.cash[0]).toBe(50);
    again.close();
  });
});

describe("upgrades", () => {
  it("gives parameters a newer release added their defaults, keeping the programmed ones", async () => {
    const data = dir();
    const first = await Device.open(data);
    await first.settings.setParameter(40003, 2);
    first.close();
    // the stored set as an older release wrote it, without the coin values
    const storage = new SqliteStorage(join(data, "device.sqlite"));
    const old = JSON.parse(new TextDecoder().decode(storage.get("device/parameters")));
    delete old.numeric.coin5Value;
    storage.commit(new Map([["device/parameters", new TextEncoder().encode(JSON.stringify(old))]]));
    storage.close();
    const again = await Device.open(data);
    expect(again.settings.params.numeric.overprice).toBe(2);
    expect(again.settings.params.numeric.coin5Value).toBe(100);
    expect((await again.state()).parameterErrors).toEqual([]);
    again.close();
  });

  it("gives pricing settings a newer release added their defaults, keeping the programmed prices", async () => {
    const data = dir();
    const first = await Device.open(data);
    await first.settings.setPrice("cash", 2, 65);
    first.close();
    // the stored pricing as a release before selection names (4.4.7) wrote it
    const storage = new SqliteStorage(join(data, "device.sqlite"));
    const old = JSON.parse(new TextDecoder().decode(storage.get("device/pricing")));
    delete old.names;
    storage.commit(new Map([["device/pricing", new TextEncoder().encode(JSON.stringify(old))]]));
    storage.close();
    const again = await Device.open(data);
    expect(again.settings.pricing.cash[1]).toBe(65);
    expect(again.settings.pricing.names.slice(0, 2)).toEqual(["SEL.001", "SEL.002"]);
    await again.settings.setName(1, "ESPRESSO");
    await expect(again.settings.setName(2, "TOO*MANY")).rejects.toMatchObject({ parameter: 15002 });
    expect(again.settings.pricing.names.slice(0, 2)).toEqual(["ESPRESSO", "SEL.002"]);
    again.close();
  });

  it("keeps a stored pricing it cannot use as it was while parameters change", async () => {
    const data = dir();
    const first = await Device.open(data);
    await first.settings.setPrice("cash", 2, 65);
    first.close();
    const raw = () => {
      const storage = new SqliteStorage(join(data, "device.sqlite"));
      const bytes = storage.get("device/pricing");
      storage.close();
      return bytes;
    };
    const storage = new SqliteStorage(join(data, "device.sqlite"));
    const stored = JSON.parse(new TextDecoder().decode(storage.get("device/pricing")));
    stored.cash[0] = 70_000; // out of range: this release will not sell from it
    storage.commit(new Map([["device/pricing", new TextEncoder().encode(JSON.stringify(stored))]]));
    storage.close();
    const kept = raw();
    const again = await Device.open(data);
    expect(again.settings.pricing.cash[1]).toBe(60); // the demo prices run meanwhile
    await again.settings.setParameter(40003, 0);
    again.close();
    expect(raw()).toEqual(kept);
  });
});

describe("the parallel validator and bill acceptor", () => {
  it("takes coins and bills by line at their programmed values, counted per type", async () => {
    const device = await Device.open(dir());
    // a line with no value, or none at all, credits nothing
    await expect(device.cash.insertCoin(7)).rejects.toThrow(/no value/);
    await expect(device.cash.insertBill(9)).rejects.toMatchObject({ code: "INVALID_AMOUNT" });
    await device.settings.setParameter(20006, 120); // coin line 5 worth 1.20 (a token, say)
    await device.settings.setParameter(21002, 200); // bill line 1 worth 2.00
    await device.cash.insertCoin(5);
    await device.cash.insertBill(1);
    expect(device.pay.machineCredit).toBe(320);
    expect(device.pay.statistics.get("S15").period).toBe(1); // coin 5
    expect(device.pay.statistics.get("S19").period).toBe(1); // bill 1
    device.close();
  });
});

describe("one store: the price system (30002) and the base coin (30003) are parameters, read where they act", () => {
  it("30002 decides how a sale is priced: the VMC's price, or the reader's table under price holding", async () => {
    const device = await Device.open(dir());
    await device.settings.setPrice("cash", 2, 70); // the reader's table says 0.70; the VMC asks 0.60
    await device.cash.coin(100);
    expect(await device.select(2)).toBe(60); // 0 = prices on the VMC: out of table at the VMC's price
    await device.settings.setParameter(30002, 2); // price holding: the selection names the line
    await device.cash.coin(100);
    expect(await device.select(2)).toBe(70);
    expect(device.settings.pricing.priceSystem).toBe("price-holding");
    // the EXTRA settings do not hold a second copy
    await expect(device.settings.setPricing({ priceSystem: "prices-on-vmc" })).rejects.toMatchObject({
      parameter: 30002,
    });
    await expect(device.settings.setPricing({ baseCoin: 5 })).rejects.toMatchObject({ parameter: 30003 });
    device.close();
  });

  it("30003 is the base coin of every price and the MDB scale factor: the VMC sees money in its units", async () => {
    const where = dir();
    const device = await Device.open(where);
    await expect(device.settings.setParameter(30003, 7)).rejects.toMatchObject({ parameter: 30003 });
    await device.settings.setParameter(30003, 10);
    device.close();
    // the VMC reads the reader's configuration at its next SETUP: the next start
    const again = await Device.open(where);
    const link = again.link;
    if (!("vmc" in link) || !("reader" in link)) throw new Error("not the MDB link");
    const seen = () =>
      (link as MdbLink).vmc.log.flatMap((l) => (l.reply.kind === "responses" ? l.reply.responses : []));
    expect(seen().find((r) => r.type === "reader-config")).toMatchObject({ scale: 10, decimals: 2 });
    await again.insertKey(0); // 5.00
    expect(
      seen()
        .filter((r) => r.type === "begin-session")
        .at(-1),
    ).toMatchObject({ funds: 50 });
    expect(await again.select(2)).toBe(60); // asked as 6 units of 0.10, charged 0.60
    expect(
      seen()
        .filter((r) => r.type === "vend-approved")
        .at(-1),
    ).toMatchObject({ amount: 6 });
    again.close();
  });
});

describe("the protocol lives in 30000 (manual 4.2, 4.3)", () => {
  it("8.1: the programmer sets the time zone and the clock; the audit reads it, a restart keeps it", async () => {
    const host = Date.parse("2026-03-29T06:30:00Z"); // Rome has just gone to summer time: 08:30
    const where = dir();
    const device = await Device.open(where, { clock: () => host });
    expect(device.settings.clockText).toBe("29/03/26 06:30"); // UTC until a zone is set
    await device.settings.setClock({ timeZone: "Europe/Rome" });
    expect(device.settings.clockText).toBe("29/03/26 08:30");
    await device.settings.setClock({ dateTime: { year: 2026, month: 3, day: 29, hour: 10, minute: 0 } });
    await device.settings.setClock({ hourFormat: "12h", dateFormat: "mm/dd/yy" });
    expect(device.settings.clockText).toBe("03/29/26 10:00 AM");
    await expect(device.settings.setClock({ timeZone: "Europe/Atlantis" })).rejects.toMatchObject({
      code: "PARAMETER_ERROR",
      parameter: "clock",
    });
    await expect(
      device.settings.setClock({ dateTime: { year: 2026, month: 2, day: 30, hour: 10, minute: 0 } }),
    ).rejects.toMatchObject({ parameter: "clock" });
    // the audit's date and time are the reader's
    expect(new TextDecoder().decode(device.audits.securityRead())).toMatch(/ID5\*20260329\*1000/);
    // the console's clock menu
    const server = await serveConsole(device, 0);
    const c = await consoleClient(server);
    try {
      const set = await c.post("/api/clock", {
        hourFormat: "24h",
        dateTime: { year: 2026, month: 3, day: 29, hour: 11, minute: 15 },
      });
      expect(await set.json()).toEqual({ ok: true, shown: "03/29/26 11:15" });
      const bad = await c.post("/api/clock", { timeZone: "Nowhere" });
      expect([bad.status, ((await bad.json()) as { parameter: unknown }).parameter]).toEqual([400, "clock"]);
    } finally {
      server.close();
    }
    device.close();
    const again = await Device.open(where, { clock: () => host });
    expect(again.settings.clockText).toBe("03/29/26 11:15");
    again.close();
  });

  it("4.2: a protocol change from the programmer collects the statistics first, into an audit file", async () => {
    let now = Date.parse("2026-11-30T09:00:00Z");
    const where = dir();
    const device = await Device.open(where, { clock: () => now });
    await device.insertKey(1);
    await device.select(2);
    await device.removeKey();
    const file = await device.settings.setParameter(30000, 0);
    expect(file).toMatch(/audits\/before-protocol-change-2026-11-30T09-00-00-000Z\.eva$/);
    const audit = parse(readFileSync(file as string));
    expect(validate(audit).filter((f) => f.severity === "error")).toEqual([]);
    expect(cashlessSales(audit)).toMatchObject({ valueReset: 60, countReset: 1 });
    expect(device.pay.statistics.get(S.keySales)).toEqual({ period: 0, historic: 60 });
    // changing it back within 2 minutes: the data is already collected, nothing new to write
    now += 60_000;
    expect(await device.settings.setParameter(30000, 2)).toBeUndefined();
    // other parameters collect nothing
    now += 180_000;
    expect(await device.settings.setParameter(40003, 0)).toBeUndefined();
    device.close();
  });

  it("--protocol sets it; a change from the programmer takes effect at the next start", async () => {
    const where = dir();
    const first = await Device.open(where);
    expect([first.settings.params.numeric.protocol, first.link.name]).toEqual([2, "MDB cashless level 3"]);
    await first.settings.setParameter(30000, 0);
    expect(first.link.name).toBe("MDB cashless level 3"); // still MDB until it starts again
    first.close();
    const second = await Device.open(where);
    expect(second.link).toBeInstanceOf(ExecutiveLink);
    // 20001 VALIDATOR TYPE = changer with Executive master is RENDIRESTO (4.6.4)
    await second.settings.setParameter(20001, 4);
    second.close();
    const third = await Device.open(where);
    expect(third.link).toBeInstanceOf(RendirestoLink);
    third.close();
    // an explicit choice at start wins and is kept
    const fourth = await Device.open(where, { protocol: "executive-slave" });
    expect(fourth.settings.params.numeric.protocol).toBe(1);
    fourth.close();
    const fifth = await Device.open(where);
    expect(fifth.link).toBeInstanceOf(ExecutiveSlaveLink);
    fifth.close();
  });
});

describe("what the acceptor takes follows the parameters (21000, 40000, manual 4.7.1, 4.10.2)", () => {
  it("with bills disabled (21000 = 0) a bill is given back and becomes no credit", async () => {
    const device = await Device.open(dir());
    await device.settings.setParameter(21000, 0);
    await expect(device.cash.insertBill(1)).rejects.toMatchObject({
      code: "CASH_REFUSED",
      reason: "DISABLED",
    });
    expect(device.pay.machineCredit).toBe(0);
    expect(device.pay.statistics.get("S19").period).toBe(0);
    await device.settings.setParameter(21000, 1); // recharges only: with no key the bill goes back too
    await expect(device.cash.insertBill(1)).rejects.toMatchObject({ reason: "NO_KEY_RECHARGE_ONLY" });
    await device.insertKey(2);
    await device.cash.insertBill(1);
    expect(device.pay.keyCredit).toBe(500);
    device.close();
  });

  it("40000 stops cash at insert, cash moved onto the key and the programmer's load; nothing is lost", async () => {
    const device = await Device.open(dir());
    await device.settings.setParameter(40000, 600);
    // demo key 2 holds 10.00, above a maximum lowered to 6.00: it keeps it and takes nothing more
    await device.insertKey(1);
    await expect(device.cash.insertCoin(5)).rejects.toMatchObject({
      code: "CASH_REFUSED",
      reason: "KEY_FULL",
    });
    await expect(device.programmerRecharge(100)).rejects.toMatchObject({ code: "CREDIT_LIMIT" });
    await device.removeKey();
    // 2.00 of cash waiting in the machine: demo key 1 (5.00) takes 1.00, the rest stays cash credit
    await device.cash.insertCoin(6);
    await device.insertKey(0);
    const s = await device.state();
    expect([s.keys[0]?.credit, s.keys[1]?.credit, device.pay.machineCredit]).toEqual([600, 1000, 100]);
    device.close();
  });
});

describe("key formatting", () => {
  it("waits until a write the reader left open on the key is settled", async () => {
    const device = await Device.open(dir());
    await device.insertKey(0);
    device.keys[0]?.card.armTear({ atWrite: 1, mode: "after" }); // pulled during the charge
    expect(await device.select(1)).toBeUndefined();
    await device.removeKey();
    await device.settings.setParameter(40115, 99);
    await expect(device.formatKey(0)).rejects.toThrow(/pending/);
    await device.insertKey(0); // settles it
    await device.removeKey();
    expect(await device.formatKey(0)).toBe(99);
    expect((await device.state()).keys[0]).toMatchObject({ keyNumber: 99, credit: 500 });
    device.close();
  });
});

describe("key formatting (manual 9.5.2) and EURO (4.16)", () => {
  it("keeps the number and credit with both OFF; programs a credit with the password", async () => {
    const device = await Device.open(dir());
    await device.settings.setParameter(40101, 0);
    expect(await device.formatKey(1)).toBe(2); // demo key 2 keeps its number and its 10.00
    expect((await device.state()).keys[1]).toMatchObject({ keyNumber: 2, credit: 1000 });
    await expect(device.formatKey(1, { credit: 100 })).rejects.toThrow(/PROGRAM\. CREDITO is OFF/);
    await device.settings.setParameter(40100, 1);
    await expect(device.formatKey(1)).rejects.toThrow(/give the credit/);
    await device.settings.setParameter(9, 4242);
    await expect(device.formatKey(1, { credit: 100 })).rejects.toMatchObject({ code: "PASSWORD_REQUIRED" });
    await expect(device.formatKey(1, { credit: 100_000, password: 4242 })).rejects.toThrow(/not 0\.\./);
    await device.formatKey(1, { credit: 100, password: 4242 });
    expect((await device.state()).keys[1]).toMatchObject({ keyNumber: 2, credit: 100 });
    device.close();
  });

  it("takes over the previous operator's keys, in the formatting menu and with EURO ON", async () => {
    const device = await Device.open(dir());
    await device.settings.setParameter(0, 22_222_222); // the operator's new code: the demo keys carry 00000001
    await device.settings.setParameter(8, 7);
    expect(await device.insertKey(0)).toMatchObject({ ok: false, err: 2 });
    await device.removeKey();
    await expect(device.formatKey(0)).rejects.toThrow(/^E 2/);
    await device.settings.setParameter(8, 1);
    await device.settings.setParameter(40101, 0);
    await device.formatKey(0);
    expect(await device.insertKey(0)).toMatchObject({ ok: true, credit: 500 });
    await device.removeKey();
    // EURO ON, rate 1.00000: the next old key is taken over as it is inserted
    expect(await device.insertKey(1)).toMatchObject({ ok: false, err: 2 });
    await device.removeKey();
    await device.settings.setParameter(40107, 1);
    expect(await device.insertKey(1)).toMatchObject({ ok: true, credit: 1000 });
    await device.removeKey();
    const taken = device.keys[1] as DurableKey;
    taken.card.insert();
    expect((await device.purses.read(taken)).identity.operatorCode).toBe(22_222_222);
    taken.card.remove();
    device.close();
  });

  it("a key pulled out while it is formatted is as it was, and formats again", async () => {
    for (let atWrite = 1; atWrite <= 3; atWrite++) {
      const device = await Device.open(dir());
      await device.settings.setParameter(40115, 500);
      device.keys[0]?.card.armTear({ atWrite, mode: "during", keep: 4 });
      await expect(device.formatKey(0)).rejects.toThrow(/^FORMATT\. ERRATA/);
      device.keys[0]?.card.disarmTear();
      expect((await device.state()).keys[0]).toMatchObject({ keyNumber: 1, credit: 500 });
      expect(device.settings.params.numeric.formatKeyNumber).toBe(500);
      expect(await device.formatKey(0)).toBe(500);
      expect((await device.state()).keys[0]).toMatchObject({ keyNumber: 500, credit: 500 });
      device.close();
    }
  });
});

describe("special keys (manual 4.10.11, 4.12, 7.3.4)", () => {
  it("a setup key carries the settings back; this device's identity and bus stay", async () => {
    const device = await Device.open(dir());
    await device.settings.setParameter(40003, 0); // overprice OFF
    await device.settings.setPrice("cash", 1, 70);
    await device.settings.setName(1, "RISTRETT");
    await device.loadSpecialKey("setup");
    await device.settings.setParameter(40003, 1);
    await device.settings.setPrice("cash", 1, 90);
    await device.settings.setCodes({ machineCode: "MACH02", readerCode: "RDR002" });
    // a twelve-character machine code here, six on the key's system: the code and its size stay
    await device.settings.setParameter(15, 1);
    await device.settings.setCodes({ machineCode: "MACHINE00002" });
    const outcome = await device.insertSpecialKey("setup");
    expect(outcome).toMatchObject({ ok: true, function: "setup", carried: { kind: "setup" } });
    await device.removeKey();
    expect(device.settings.params.numeric.overprice).toBe(0);
    expect(device.settings.pricing.cash[0]).toBe(70);
    expect(device.settings.pricing.names[0]).toBe("RISTRETT");
    expect([device.settings.params.machineCode, device.settings.params.readerCode]).toEqual([
      "MACHINE00002",
      "RDR002",
    ]);
    expect(device.settings.params.numeric.machineCodeSize).toBe(1);
    expect((await device.state()).parameterErrors).toEqual([]);
    expect(device.settings.params.numeric.protocol).toBe(2); // MDB, as started
    await device.insertKey(0);
    expect(await device.select(1)).toBe(50); // the rebuilt payment system sells on (prices on VMC)
    device.close();
  });

  it("a black-list key sets a 500-key list, which survives a restart and refuses a listed key", async () => {
    const data = dir();
    const device = await Device.open(data);
    const keys = [...Array.from({ length: 499 }, (_, i) => 10_000 + i), 2];
    await expect(device.settings.setParameter(41000, 2)).rejects.toMatchObject({ parameter: 41000 });
    await device.loadSpecialKey("black-list", { mode: 2, keys });
    expect(await device.insertSpecialKey("black-list")).toMatchObject({ ok: true, function: "black-list" });
    await device.removeKey();
    expect(device.settings.params.numeric.blackList).toBe(2);
    expect(device.settings.params.blackList).toEqual(keys);
    device.close();
    const again = await Device.open(data);
    expect(again.settings.params.blackList).toHaveLength(500);
    expect(await again.insertKey(1)).toMatchObject({ ok: false, err: 13 });
    again.close();
  });

  it("a data key takes the collection; the office reads a valid audit off it, even after a restart", async () => {
    let now = Date.parse("2026-11-23T08:00:00Z");
    const data = dir();
    const device = await Device.open(data, { clock: () => now });
    await device.insertKey(0);
    await device.select(1); // 0.50
    await device.select(2); // 0.60
    await expect(device.readDataKey()).rejects.toMatchObject({ code: "DEVICE_SETUP" }); // blank
    now += 60_000;
    expect(await device.insertSpecialKey("data")).toMatchObject({ ok: true, carried: { kind: "data" } });
    await device.removeKey();
    expect(device.pay.statistics.get(S.keySales)).toEqual({ period: 0, historic: 110 });
    device.close();

    const again = await Device.open(data, { clock: () => now });
    const file = parse(await again.readDataKey());
    expect(validate(file).filter((f) => f.severity === "error")).toEqual([]);
    expect(cashlessSales(file)).toMatchObject({ valueInit: 110, countInit: 2, valueReset: 110 });
    // within 2 minutes of that collection a second one is refused, and ERR 10 is not counted
    now += 30_000;
    expect(await again.insertSpecialKey("data")).toMatchObject({ ok: false, reason: "REFUSED" });
    again.close();
  });

  it("a blank setup key counts ERR 10 and changes nothing", async () => {
    const device = await Device.open(dir());
    const before = device.settings.params;
    expect(await device.insertSpecialKey("setup")).toMatchObject({ ok: false, err: 10 });
    expect(device.settings.params).toBe(before);
    device.close();
  });
});

describe("the reference device as Executive master (manual 4.3.1)", () => {
  it("shows the credit on the VMC, sells from a key and from coins, and counts a jammed vend", async () => {
    const device = await Device.open(dir(), { protocol: "executive-master" });
    const link = device.link;
    if (!(link instanceof ExecutiveLink)) throw new Error("not an Executive link");
    await device.insertKey(1);
    expect(link.vmc.shown).toBe(1000);
    expect(await device.select(4)).toBe(100);
    expect(link.vmc.shown).toBe(900);
    expect(link.vmc.delivered).toEqual([4]);
    link.vmc.failVends = true;
    expect(await device.select(1)).toBeUndefined();
    link.vmc.failVends = false;
    await device.removeKey();
    expect(link.vmc.shown).toBeUndefined();
    await device.cash.coin(100);
    expect(link.vmc.shown).toBe(100);
    expect(await device.select(2)).toBe(60);
    const s = await device.state();
    expect(s.statistics[S.keySales]).toBe(100);
    expect(s.statistics[S.failedKeyVends]).toBe(50); // failed-vend refund OFF: charged, counted
    expect(s.statistics[S.cashSales]).toBe(60);
    expect(s.keys[1]?.credit).toBe(850);
    device.close();
  });

  it("keeps the audit pairs the VMC hands over, raw, across a restart, and serves them with the statistics", async () => {
    const where = dir();
    const device = await Device.open(where, { protocol: "executive-master" });
    expect(device.audits.vmcAuditPairs).toEqual([]);
    for (let n = 0; n < 2; n++) {
      await device.cash.coin(100);
      expect(await device.select(2)).toBe(60);
    }
    // the simulated VMC queues (selection, delivered count) after each vend; the master reads them
    expect(device.audits.vmcAuditPairs).toEqual([{ address: 2, value: 2, times: 2, at: expect.any(Number) }]);
    const server = await serveConsole(device, 0);
    try {
      const port = (server.address() as AddressInfo).port;
      const st = (await (await fetch(`http://127.0.0.1:${port}/api/statistics`)).json()) as {
        vmcAuditPairs: unknown[];
      };
      expect(st.vmcAuditPairs).toEqual([{ address: 2, value: 2, times: 2, at: expect.any(Number) }]);
    } finally {
      server.close();
    }
    device.close();
    const again = await Device.open(where, { protocol: "executive-master" });
    expect(again.audits.vmcAuditPairs).toMatchObject([{ address: 2, value: 2, times: 2 }]);
    again.close();
  });
});

describe("the reference device in EXECUTIVE SLAVE (manual 4.3.3, kit 10.1.5)", () => {
  it("answers the changer as its card reader: the key's credit on the VMC, DECREMENT after the vend, REINSTATE on a failure", async () => {
    const device = await Device.open(dir(), { protocol: "executive-slave" });
    expect(device.settings.params.numeric.protocol).toBe(1);
    const link = device.link;
    if (!(link instanceof ExecutiveSlaveLink)) throw new Error("not an Executive slave link");
    await device.insertKey(1);
    expect(link.changer.card).toBe(1000);
    expect(link.vmc.shown).toBe(1000);
    expect(await device.select(4)).toBe(100);
    expect(link.vmc.delivered).toEqual([4]);
    expect(link.changer.card).toBe(900);
    expect(link.vmc.shown).toBe(900);
    link.vmc.failVends = true;
    expect(await device.select(2)).toBeUndefined();
    link.vmc.failVends = false;
    const s = await device.state();
    expect(s.statistics[S.keySales]).toBe(100);
    // REINSTATE reached the payment system as a failed vend: refund OFF, so charged and counted
    expect(s.statistics[S.failedKeyVends]).toBe(60);
    expect(s.keys[1]?.credit).toBe(840);
    await device.removeKey();
    expect(link.changer.card).toBeUndefined();
    // coins are the changer's: it sells from them and counts them, the reader does not
    await device.cash.coin(100);
    expect(link.vmc.shown).toBe(100);
    expect(await device.select(2)).toBe(60);
    expect(link.changer.cash).toBe(40);
    expect((await device.state()).statistics[S.cashSales]).toBe(0);
    device.close();
  });
});

describe("the reference device in RENDIRESTO (manual 4.3.2, kit 10.1.4)", () => {
  it("sells cash through the Executive changer, moves its credit to a key in steps of 100, sells from the key", async () => {
    const device = await Device.open(dir(), { protocol: "executive-rendiresto" });
    const link = device.link;
    if (!(link instanceof RendirestoLink)) throw new Error("not a rendiresto link");
    await device.cash.coin(100);
    expect(link.changer.credit).toBe(100);
    expect(link.vmc.shown).toBe(100);
    expect(await device.select(1)).toBe(50); // the changer approves against its coins
    expect(link.changer.credit).toBe(50);
    expect(await device.select(5)).toBeUndefined(); // 1.50 with 0.50 in: the changer refuses
    await device.insertKey(2); // the empty demo key
    await device.cash.coin(200);
    expect(link.changer.credit).toBe(50); // 2.50 in, two steps of 1.00 moved, 0.50 stays
    expect(device.pay.keyCredit).toBe(200);
    expect(link.vmc.shown).toBe(200);
    expect(await device.select(4)).toBe(100);
    const s = await device.state();
    expect(s.keys[2]?.credit).toBe(100);
    expect(s.statistics[S.cashSales]).toBe(50); // counted by the reader in this mode (4.3.3)
    expect(s.statistics[S.cashRecharges]).toBe(200);
    expect(s.statistics[S.keySales]).toBe(100);
    expect(link.vmc.delivered).toEqual([1, 4]);
    device.close();
  });
});

describe("EXTRA functions and prices programmed by their table 5.2 numbers (manual 5.2, ch. 8)", () => {
  it("prices by number: 10002 is the cash price of line 2 the sale uses under price holding", async () => {
    const device = await Device.open(dir());
    await device.settings.setParameter(30002, 2);
    await device.settings.setParameter(10002, 70);
    await device.cash.coin(100);
    expect(await device.select(2)).toBe(70);
    await expect(device.settings.setParameter(10002, 70_000)).rejects.toMatchObject({ parameter: 10002 });
    await device.settings.setParameter(30003, 10);
    await expect(device.settings.setParameter(10002, 75)).rejects.toMatchObject({ parameter: 10002 }); // not a multiple of 30003
    device.close();
  });

  it("bonus 1 by number: credit for key 0 (50000, 50002, 50011) pays part of the next key sale", async () => {
    const device = await Device.open(dir());
    await device.settings.setParameter(50000, 2); // recharge and sale
    await device.settings.setParameter(50002, 1); // credit
    await device.settings.setParameter(50011, 30); // 0.30 a day for key level 0
    expect((await device.insertKey(0)).ok).toBe(true);
    expect(await device.select(1)).toBe(50);
    await device.removeKey();
    // the key paid 0.20, the bonus the other 0.30
    expect((await device.state()).keys[0]?.credit).toBe(500 - 20);
    expect(device.pay.statistics.get(V.bonusCreditSpent).historic).toBe(30);
    expect((await device.state()).statistics[S.bonus1CreditGiven]).toBe(30); // S1007: what the day gave
    await expect(device.settings.setParameter(50002, 2)).rejects.toMatchObject({ parameter: 50002 });
    device.close();
  });

  it("loyalty by number: points a line gives (52201) buy a line priced in points (52101)", async () => {
    const device = await Device.open(dir());
    await device.settings.setParameter(52000, 1); // ON
    await device.settings.setParameter(52002, 0); // points
    await device.settings.setParameter(52201, 5); // line 1 gives 5 points
    await device.settings.setParameter(52101, 5); // and costs 5 points
    expect((await device.insertKey(0)).ok).toBe(true);
    expect(await device.select(1)).toBe(50); // paid with credit, 5 points given
    expect(await device.select(1)).toBe(0); // paid with the points: nothing off the credit
    await device.removeKey();
    expect((await device.state()).keys[0]?.credit).toBe(500 - 50);
    device.close();
  });

  it("category limits by number (17000, 17001, 17101-17109): a category key 0 may not buy is denied", async () => {
    const device = await Device.open(dir());
    await device.settings.setParameter(17000, 1); // limits per category ON
    await device.settings.setParameter(17002, 2); // line 2 is category B
    await device.settings.setParameter(17101, 1); // key 0's limits ON
    await device.settings.setParameter(17102, 0); // category A: not sellable to key 0
    expect((await device.insertKey(0)).ok).toBe(true);
    expect(await device.select(1)).toBeUndefined(); // line 1, category A
    expect(await device.select(2)).toBe(60); // line 2, category B (no limit)
    device.close();
  });

  it("an out-of-service band by number (55000-55003, times HHMM) stops key sales inside it", async () => {
    let now = Date.parse("2026-03-11T12:00:00Z");
    const device = await Device.open(dir(), { clock: () => now });
    await device.settings.setParameter(55000, 1);
    await device.settings.setParameter(55001, 1);
    await device.settings.setParameter(55002, 1300);
    await device.settings.setParameter(55003, 1400);
    expect((await device.insertKey(0)).ok).toBe(true);
    expect(await device.select(1)).toBe(50); // 12:00, before the band
    await device.removeKey();
    now = Date.parse("2026-03-11T13:30:00Z");
    await device.insertKey(0);
    expect(await device.select(1)).toBeUndefined(); // 13:30, out of service
    await device.removeKey();
    await expect(device.settings.setParameter(55002, 1375)).rejects.toMatchObject({ parameter: 55002 });
    device.close();
  });

  it("a happy hour by number (54000-54003, 54010) takes its global discount off key sales inside it", async () => {
    const now = Date.parse("2026-03-11T10:15:00Z");
    const device = await Device.open(dir(), { clock: () => now });
    await device.settings.setParameter(54000, 1);
    await device.settings.setParameter(54001, 2); // band 1: global discount
    await device.settings.setParameter(54002, 1000);
    await device.settings.setParameter(54003, 1100);
    await device.settings.setParameter(54010, 20);
    expect((await device.insertKey(0)).ok).toBe(true);
    expect(await device.select(1)).toBe(40); // 0.50 less 20 %
    device.close();
  });

  it("promotions by number: ON, the line's discount, the machine and TEMPO MAX reach the pricing sold by", async () => {
    const device = await Device.open(dir());
    await device.settings.setParameter(53000, 1);
    await device.settings.setParameter(53001, 20);
    await device.settings.setParameter(53101, 1);
    await device.settings.setParameter(53102, 45);
    expect(device.settings.pricing.promotions).toMatchObject({ enabled: true, machine: "B", maxMinutes: 45 });
    expect(device.settings.pricing.promotions.lineDiscount[0]).toBe(20);
    await expect(device.settings.setParameter(53102, 0)).rejects.toMatchObject({ parameter: 53102 });
    await expect(device.settings.setParameter(53001, 101)).rejects.toMatchObject({ parameter: 53001 });
    device.close();
  });
});
