import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "@vendkit/evadts";
import { BillValidatorSimulator, type BlockPeripheral, CoinChangerSimulator } from "@vendkit/mdb";
import { closeLink, openLink, startQibixxMaster } from "@vendkit/mdb/node";
import { QibixxMasterEmulator } from "@vendkit/mdb/testing";
import { STATISTICS_COUNTERS as S } from "@vendkit/mizip-core";
import { INSTALL_TIMEOUT, ptyPair, socatFor } from "@vendkit/test-support";
import { beforeAll, describe, expect, it } from "vitest";
import { Device } from "./device.js";

const dir = () => mkdtempSync(join(tmpdir(), "vendkit-cash-"));

describe("the reader's own cash devices on its second MDB bus (manual 4.8, kits 10.1.6 and 10.2.3)", () => {
  it("takes coins and bills from its changer and validator, refuses disabled coins, pays the escrow lever from the tubes", async () => {
    const device = await Device.open(dir(), { cashDevices: "sim" });
    const sim = device.cash.sim;
    const bus = device.cash.devices;
    if (sim === undefined || bus === undefined) throw new Error("no simulated cash devices");
    await bus.run(1000); // the changer and the validator initialise; the tubes are read
    expect(device.pay.coinTubes.map((t) => t.count)).toEqual([18, 18, 18, 18]); // 20 less 2 safety coins
    sim.changer.insertCoin(3); // 0.50
    await bus.run(300);
    expect(device.pay.machineCredit).toBe(50);
    // a bill onto the key
    await device.insertKey(2);
    sim.validator.insertBill(0); // 5.00
    await bus.run(500);
    expect(device.pay.keyCredit).toBe(550); // the 0.50 waiting moved onto the key too
    await device.removeKey();
    // the escrow lever, ON: the cash credit comes back from the tubes
    await device.settings.setParameter(20049, 1);
    sim.changer.insertCoin(3);
    await bus.run(300);
    expect(device.pay.machineCredit).toBe(50);
    const before = sim.changer.tubes.slice(0, 4);
    sim.changer.pressEscrowLever();
    await bus.run(500);
    expect(device.pay.machineCredit).toBe(0);
    const paid = before.reduce(
      (a, n, t) => a + (n - (sim.changer.tubes[t] ?? 0)) * (sim.changer.credits[t] ?? 0),
      0,
    );
    expect(paid).toBe(50);
    // 20019 OFF: the changer is told not to take the 0.20 (COIN TYPE); it goes back
    await device.settings.setParameter(20019, 0);
    await bus.run(300);
    sim.changer.insertCoin(2);
    await bus.run(300);
    expect(device.pay.machineCredit).toBe(0);
    // coins dispensed by hand at the changer are counted for CA4 (S122)
    sim.changer.manualDispense(1, 3); // three 0.10
    await bus.run(300);
    expect(device.pay.statistics.get(S.manualDispense).period).toBe(30);
    expect(device.pay.statistics.get(S.coinsIn).period).toBe(100);
    expect(device.pay.statistics.get(S.billsIn).period).toBe(500);
    // the audit names the devices (CA1, BA1) and counts the 0.50s by where they went (CA11)
    const audit = parse(device.audits.securityRead());
    expect(audit.first("CA1")?.elements).toEqual(["VKT000000000042", "CHANGER-SIM", "0100"]);
    expect(audit.first("BA1")?.elements).toEqual(["VKT000000000043", "VALIDATOR-SM", "0100"]);
    // (the parallel validator's lines have their own CA11; the changer's types come after them)
    const fifty = audit.all("CA11").filter((c) => c.elements[0] === "50");
    expect(fifty.at(-1)?.elements.slice(1, 4)).toEqual(["2", "0", "2"]);
    device.close();
  });
});

describe("what the reader's own devices learn and are told at start (manual 4.8.2, 4.8.9)", () => {
  it("writes the coin and bill values they report into 20033-20048 and 21038-21053; sends 21022-21037 as SECURITY", async () => {
    const where = dir();
    const first = await Device.open(where, { cashDevices: "sim" });
    await first.settings.setParameter(21023, 0); // bill type 2 at low security (BASSO)
    first.close();
    const device = await Device.open(where, { cashDevices: "sim" });
    const sim = device.cash.sim;
    if (sim === undefined || device.cash.devices === undefined) throw new Error("no simulated cash devices");
    const sent: number[][] = [];
    const handle = sim.validator.handleBlock.bind(sim.validator);
    sim.validator.handleBlock = (b: Uint8Array) => {
      sent.push([...b]);
      return handle(b);
    };
    const values = (prefix: string) =>
      Array.from(
        { length: 6 },
        (_, i) => device.settings.params.numeric[`${prefix}${i + 1}` as "mdbCoinValue1"],
      );
    expect(values("mdbCoinValue")).toEqual([0, 0, 0, 0, 0, 0]);
    await device.cash.devices.run(1000);
    expect(values("mdbCoinValue")).toEqual([5, 10, 20, 50, 100, 200]);
    expect(values("mdbBillValue").slice(0, 4)).toEqual([500, 1000, 2000, 5000]);
    // SECURITY (0x32): every type high but type 2
    expect(sent.find((b) => b[0] === 0x32)).toEqual([0x32, 0xff, 0xfd]);
    device.close();
  });
});

describe("the reader's own changer through a Qibixx adapter in master mode, over a pty (socat)", () => {
  let available = false;
  beforeAll(() => {
    available = socatFor("the cash-devices serial test");
  }, INSTALL_TIMEOUT);

  it("--changer-serial: the changer's coins reach the payment system through the adapter's lines", async (ctx) => {
    if (!available) return ctx.skip();
    const pair = await ptyPair();
    const readerSide = await openLink({ port: pair.a, baudRate: 115200 });
    const adapterSide = await openLink({ port: pair.b, baudRate: 115200 });
    const changer = new CoinChangerSimulator(undefined, undefined, [20, 20, 20, 20]);
    new QibixxMasterEmulator(
      adapterSide,
      new Map<number, BlockPeripheral>([
        [0x08, changer],
        [0x30, new BillValidatorSimulator()],
      ]),
    );
    try {
      await startQibixxMaster(readerSide);
      const device = await Device.open(dir(), { cashDevices: readerSide });
      const bus = device.cash.devices;
      if (bus === undefined) throw new Error("no cash devices");
      await bus.run(1000);
      changer.insertCoin(4); // 1.00
      await bus.run(300);
      expect(device.pay.machineCredit).toBe(100);
      expect(device.pay.coinTubes.map((t) => t.count)).toEqual([18, 18, 18, 18]);
      device.close();
    } finally {
      closeLink(readerSide);
      closeLink(adapterSide);
      pair.close();
    }
  }, 60_000);
});
