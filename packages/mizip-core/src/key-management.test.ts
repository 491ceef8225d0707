import { EMPTY_STATE } from "@vendkit/mifare-purse";
import { describe, expect, it } from "vitest";
import { S } from "./counters.js";
import { changedState } from "./key-management.js";
import { at, parameters, rig, shopPricing } from "./test-support.js";

describe("key management from the programmer (manual 4.14.1, 9.5.1)", () => {
  it("reads number, credit, codes, level, tokens, points and the black list off the key in", async () => {
    const params = { ...parameters({ blackList: 1 }), blackList: [77] };
    const r = rig({}, shopPricing(), params);
    await r.pay.connectProgrammer(at("09:00"));
    const card = await r.key(
      310,
      420,
      { priceLevel: 1 },
      {
        bonus1: { mode: "tokens", amount: 2, period: 0 },
        bonus2: { ...EMPTY_STATE.bonus2, tokens: 9 },
        loyalty: { mode: "points", amount: 130, period: 0 },
      },
    );
    await r.pay.insertKey(card, at("09:00"));
    expect(r.pay.keyReport).toEqual({
      keyNumber: 310,
      function: "sale",
      credit: 420,
      customerCode: params.numeric.customerCode,
      departmentCode: params.numeric.departmentCode,
      level: 1,
      bonus1Tokens: 2,
      bonus2Tokens: 9,
      loyaltyPoints: 130,
      blackListed: false,
      recharge: undefined,
    });
    await r.pay.removeKey(at("09:01"));
    expect(r.pay.keyReport).toBeUndefined();
    const recharge = await r.key(
      311,
      0,
      { keyFunction: "recharge", rechargeValue: 500 },
      { rechargesLeft: 4 },
    );
    await r.pay.insertKey(recharge, at("09:02"));
    expect(r.pay.keyReport).toMatchObject({ function: "recharge", recharge: { usesLeft: 4, value: 500 } });
  });

  it("changes tokens and points on the key with the password, in one write", async () => {
    const r = rig({}, shopPricing(), parameters({ password: 4711 }));
    await r.pay.connectProgrammer(at("09:00"));
    const card = await r.key(320, 100, {}, { loyalty: { mode: "points", amount: 10, period: 3 } });
    await r.pay.insertKey(card, at("09:00"));
    await expect(r.pay.programmerSetKey({ loyaltyPoints: 50 }, at("09:00"))).rejects.toMatchObject({
      code: "PASSWORD_REQUIRED",
    });
    expect(await r.pay.programmerSetKey({ loyaltyPoints: 50, bonus2Tokens: 4 }, at("09:00"), 4711)).toBe(
      true,
    );
    const state = await r.read(card);
    expect([state.loyalty, state.bonus2.tokens, state.credit]).toEqual([
      { mode: "points", amount: 50, period: 3 },
      4,
      100,
    ]);
    expect(r.pay.statistics.get(S.keyWrites).period).toBe(1);
    // a key carrying bonus 1 as credit has no tokens to set
    await expect(r.pay.programmerSetKey({ bonus1Tokens: 3 }, at("09:00"), 4711)).rejects.toMatchObject({
      code: "INVALID_AMOUNT",
    });
  });

  it("refuses out-of-range or missing changes and leaves the state alone", () => {
    const tokens = { ...EMPTY_STATE, bonus1: { mode: "tokens" as const, amount: 1, period: 0 } };
    expect(changedState(tokens, {})).toBe("nothing to change");
    expect(changedState(tokens, { bonus1Tokens: 8 })).toMatch(/0\.\.7/);
    expect(changedState(tokens, { bonus2Tokens: -1 })).toMatch(/0\.\.127/);
    expect(changedState(tokens, { bonus2Tokens: 1.5 })).toMatch(/0\.\.127/);
    expect(changedState(tokens, { loyaltyPoints: 5 })).toBe("the key carries loyalty as credit");
    expect(changedState(tokens, { bonus1Tokens: 7 })).toMatchObject({ bonus1: { amount: 7 } });
  });

  it("a key pulled out during the change keeps its old tokens or its new ones, counted E9 if not written", async () => {
    const r = rig();
    await r.pay.connectProgrammer(at("09:00"));
    const card = await r.key(330, 100);
    await r.pay.insertKey(card, at("09:00"));
    card.armTear({ atWrite: 1, mode: "during", keep: 3 });
    expect(await r.pay.programmerSetKey({ bonus2Tokens: 6 }, at("09:00"))).toBe(false);
    card.disarmTear();
    card.insert();
    expect([0, 6]).toContain((await r.read(card)).bonus2.tokens);
    expect(r.pay.statistics.get("E9").period).toBe(1);
  });
});
