import { describe, expect, it } from "vitest";
import { S } from "./counters.js";
import { parallelInput } from "./pulse-input.js";
import { at, parameters, rig } from "./test-support.js";

describe("the parallel validator's and acceptor's pulse lines (manual 4.6.3, 4.7.3)", () => {
  const params = parameters({ coin2Value: 10, coin5Value: 100, bill1Value: 500, billAcceptor: 2 });

  it("credits each pulse at its line's value, counted per type", async () => {
    const r = rig({}, undefined, params);
    const coins = parallelInput("coin", () => params, r.pay);
    const bills = parallelInput("bill", () => params, r.pay);
    await coins.pulse(5, at("09:00"));
    await coins.pulse(2, at("09:00"));
    await bills.pulse(1, at("09:00"));
    expect(r.pay.machineCredit).toBe(610);
    expect([r.pay.statistics.get("S15").period, r.pay.statistics.get("S12").period]).toEqual([1, 1]);
    expect(r.pay.statistics.get(S.billsIn).period).toBe(500);
  });

  it("refuses a line that is out of range or has no value, crediting nothing", async () => {
    const r = rig({}, undefined, params);
    const coins = parallelInput("coin", () => params, r.pay);
    await expect(coins.pulse(9, at("09:00"))).rejects.toMatchObject({ code: "INVALID_AMOUNT" });
    await expect(coins.pulse(1, at("09:00"))).rejects.toThrow(/no value programmed/);
    await expect(parallelInput("bill", () => params, r.pay).pulse(5, at("09:00"))).rejects.toThrow(/1\.\.4/);
    expect(r.pay.machineCredit).toBe(0);
  });

  it("with a binary validator (20001 = 2, 3) reads coin 9 and the national coins 1-6 on lines 9-15 (4.6.3)", async () => {
    const binary = parameters({
      validatorType: 2,
      coin1Value: 5,
      binaryCoin9Value: 1,
      nationalCoinValue6: 2,
    });
    const r = rig({}, undefined, binary);
    const coins = parallelInput("coin", () => binary, r.pay);
    await coins.pulse(9, at("09:00"));
    await coins.pulse(15, at("09:00"));
    await coins.pulse(1, at("09:00"));
    expect(r.pay.machineCredit).toBe(8);
    await expect(coins.pulse(16, at("09:00"))).rejects.toThrow(/1\.\.15/);
    // a standard validator has 8 lines
    const standard = parameters({ validatorType: 0, binaryCoin9Value: 1 });
    await expect(parallelInput("coin", () => standard, r.pay).pulse(9, at("09:00"))).rejects.toThrow(
      /1\.\.8/,
    );
  });

  it("reads the line values as programmed at each pulse", async () => {
    const r = rig({}, undefined, params);
    let now = params;
    const coins = parallelInput("coin", () => now, r.pay);
    await coins.pulse(2, at("09:00"));
    now = parameters({ coin2Value: 20 });
    await coins.pulse(2, at("09:00"));
    expect(r.pay.machineCredit).toBe(30);
  });
});
