import { Wiring } from "@vendkit/machine";
import { describe, expect, it } from "vitest";
import {
  RECHARGE_STEP_UNITS,
  RendirestoBridge,
  type RendirestoHooks,
  STATISTICS_SPLIT,
} from "./rendiresto.js";
import { ChangerSimulator, VmcSimulator } from "./simulators.js";

/** Changer ⇄ reader ⇄ VMC, one byte time per step. */
function runChain(
  changer: ChangerSimulator,
  bridge: RendirestoBridge,
  vmc: VmcSimulator,
  from: number,
  ms: number,
) {
  new Wiring([
    [changer.master, bridge.changerPort],
    [bridge.vmcPort, vmc],
  ])
    .on(changer.master, (events) => changer.handle(events))
    .run(from, ms);
}

function reader(keyCredit?: number) {
  const log = { recharged: [] as number[], cash: [] as number[], keyVends: [] as number[] };
  let credit = keyCredit;
  const hooks: RendirestoHooks = {
    keyCredit: () => credit,
    keyVend: (price) => {
      if (credit === undefined || credit < price) return false;
      credit -= price;
      log.keyVends.push(price);
      return true;
    },
    keyVendResult: () => {},
    recharged: (amount) => {
      credit = (credit ?? 0) + amount;
      log.recharged.push(amount);
    },
    cashSale: (amount) => log.cash.push(amount),
  };
  return { hooks, log, credit: () => credit };
}

describe("RENDIRESTO: changer master of the reader, reader master of the VMC (manual 4.3.2)", () => {
  it("passes a cash vend to the changer, which approves it against its coins", () => {
    const changer = new ChangerSimulator({ baseCoin: 5, decimals: 2, single: false });
    const r = reader();
    const bridge = new RendirestoBridge(r.hooks, { baseCoin: 5, decimals: 2 });
    const vmc = new VmcSimulator({ priceSystem: "prices-on-vmc", prices: [60, 300], baseCoin: 5 });
    changer.insert(100);
    runChain(changer, bridge, vmc, 0, 500);
    expect(vmc.shown).toBe(100);
    vmc.press(1);
    runChain(changer, bridge, vmc, 501, 4000);
    expect(vmc.delivered).toEqual([1]);
    expect(changer.credit).toBe(40);
    expect(changer.sales).toEqual([60]);
    expect(r.log.cash).toEqual([60]); // the reader counts cash sales in this mode (4.3.3)
    vmc.press(2); // 3.00 with 0.40 in: the changer refuses, nothing is vended
    runChain(changer, bridge, vmc, 4501, 4000);
    expect(vmc.delivered).toEqual([1]);
    expect(changer.credit).toBe(40);
  });

  it("moves the changer's credit onto an inserted key in steps of 100 base units, and sells from the key", () => {
    const changer = new ChangerSimulator({ baseCoin: 1, decimals: 2, single: false });
    const r = reader(500);
    const bridge = new RendirestoBridge(r.hooks, { baseCoin: 1, decimals: 2 });
    const vmc = new VmcSimulator({ priceSystem: "prices-on-vmc", prices: [80], baseCoin: 1 });
    changer.insert(250);
    runChain(changer, bridge, vmc, 0, 3000);
    expect(r.log.recharged).toEqual([RECHARGE_STEP_UNITS, RECHARGE_STEP_UNITS]);
    expect(changer.credit).toBe(50); // less than a step stays in the changer
    expect(r.credit()).toBe(700);
    expect(vmc.shown).toBe(700);
    vmc.press(1);
    runChain(changer, bridge, vmc, 3001, 4000);
    expect(r.log.keyVends).toEqual([80]);
    expect(vmc.delivered).toEqual([1]);
    expect(changer.sales).toEqual([100, 100]); // the transfers, nothing else
  });

  it("a VMC that goes quiet during a cash vend fails it: the changer keeps its credit", () => {
    const changer = new ChangerSimulator({ baseCoin: 5, decimals: 2, single: false });
    const r = reader();
    const bridge = new RendirestoBridge(r.hooks, { baseCoin: 5, decimals: 2 });
    const vmc = new VmcSimulator({ priceSystem: "prices-on-vmc", prices: [60], baseCoin: 5, vendMs: 5000 });
    changer.insert(100);
    runChain(changer, bridge, vmc, 0, 500);
    vmc.press(1);
    runChain(changer, bridge, vmc, 501, 300);
    vmc.slave.silent = true;
    runChain(changer, bridge, vmc, 802, 61_000);
    expect(vmc.delivered).toEqual([]);
    expect(changer.credit).toBe(100);
    expect(changer.sales).toEqual([]);
    expect(r.log.cash).toEqual([]);
    expect(bridge.vmc.isOnline).toBe(false);
    vmc.slave.silent = false;
    runChain(changer, bridge, vmc, 61_803, 500);
    expect(bridge.vmc.isOnline).toBe(true);
    expect(vmc.shown).toBe(100);
  });

  it("shows a key whose credit is no whole number of base coins as the coins it can spend", () => {
    // found by fuzzing (packages/fuzz, executive-rendiresto): 1.23 EUR at a 0.05 base coin
    // stopped the VMC line with OUT_OF_RANGE on every tick
    const changer = new ChangerSimulator({ baseCoin: 5, decimals: 2, single: false });
    const r = reader(123);
    const bridge = new RendirestoBridge(r.hooks, { baseCoin: 5, decimals: 2 });
    const vmc = new VmcSimulator({ priceSystem: "prices-on-vmc", prices: [60], baseCoin: 5 });
    runChain(changer, bridge, vmc, 0, 500);
    expect(vmc.shown).toBe(120);
    vmc.press(1);
    runChain(changer, bridge, vmc, 501, 4000);
    expect(r.log.keyVends).toEqual([60]);
    expect(r.credit()).toBe(63);
  });

  it("a key pulled out between the transfer's request and its VEND gets nothing; the changer keeps the credit", () => {
    // found by fuzzing (packages/fuzz, executive-rendiresto): the 100 units went to no key
    const changer = new ChangerSimulator({ baseCoin: 1, decimals: 2, single: false });
    const r = reader(500);
    let key: number | undefined = 500;
    const hooks = { ...r.hooks, keyCredit: () => key };
    const bridge = new RendirestoBridge(hooks, { baseCoin: 1, decimals: 2 });
    const ask = bridge.vendRequest.bind(bridge);
    bridge.vendRequest = () => {
      const request = ask();
      if (request !== undefined) key = undefined; // out, right after the changer was asked
      return request;
    };
    const vmc = new VmcSimulator({ priceSystem: "prices-on-vmc", prices: [80], baseCoin: 1 });
    changer.insert(150);
    runChain(changer, bridge, vmc, 0, 3000);
    expect(r.log.recharged).toEqual([]);
    expect(changer.credit).toBe(150);
    expect(changer.sales).toEqual([]);
  });

  it("says who counts what in each mode (table of 4.3.3)", () => {
    expect(STATISTICS_SPLIT.rendiresto.reader).toContain("cash sales");
    expect(STATISTICS_SPLIT.slave.reader).not.toContain("cash sales");
    expect(STATISTICS_SPLIT.slave.rechargeKey).toBe(false);
    expect(STATISTICS_SPLIT.rendiresto.coinRecharge).toBe("automatic-100-base-units");
  });
});
