import { EMPTY_STATE, PurseSystem, SimulatedCard } from "@vendkit/mifare-purse";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { S } from "./counters.js";
import { euroState, toEuro } from "./euro.js";
import { at, MASTER, rig } from "./test-support.js";

const LIRE = { euroRate: 193_627_000, nationalDecimalPoint: 0, decimalPoint: 2 };

describe("toEuro (manual 4.16)", () => {
  it("converts lire at 1936.27 to cents, halves away from zero", () => {
    expect(toEuro(10_000, LIRE)).toBe(516); // 5.1646 €
    expect(toEuro(1_000, LIRE)).toBe(52); // 0.5165 €
    expect(toEuro(-10_000, LIRE)).toBe(-516);
    const two = { euroRate: 200_000, nationalDecimalPoint: 2, decimalPoint: 2 };
    expect([toEuro(3, two), toEuro(-3, two), toEuro(1, two)]).toEqual([2, -2, 1]);
    // a rate of 0.00006 and four decimals: 9.2e15 units, more than a number holds exactly
    const tiny = { euroRate: 6, nationalDecimalPoint: 0, decimalPoint: 4 };
    expect(() => toEuro(55_187_176, tiny)).toThrow(RangeError);
  });

  it("with rate 1.00000 and the same decimals changes nothing; other decimals only shift", () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.nat(4), (amount, d) => {
        expect(toEuro(amount, { euroRate: 100_000, nationalDecimalPoint: d, decimalPoint: d })).toBe(amount);
      }),
    );
    expect(toEuro(5, { euroRate: 100_000, nationalDecimalPoint: 0, decimalPoint: 2 })).toBe(500);
  });

  it("is within half a unit of the exact quotient, and monotone", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 999_999_999 }),
        fc.nat(4),
        fc.nat(4),
        (amount, euroRate, n, d) => {
          const s = { euroRate, nationalDecimalPoint: n, decimalPoint: d };
          const num = BigInt(amount) * 10n ** BigInt(d) * 100_000n;
          const den = 10n ** BigInt(n) * BigInt(euroRate);
          const quotient = (a: number) => {
            const q = (BigInt(a) * 10n ** BigInt(d) * 100_000n) / den;
            return q < 0n ? -q : q;
          };
          const max = BigInt(Number.MAX_SAFE_INTEGER);
          const fits = (a: number) => quotient(a) < max - 1n;
          if (quotient(amount) > max) {
            // beyond what a number holds exactly: refused, never rounded silently
            expect(() => toEuro(amount, s)).toThrow(RangeError);
            return;
          }
          if (!fits(amount)) return; // at the edge either answer is right
          const units = BigInt(toEuro(amount, s));
          const off = 2n * (units * den - num);
          expect(off <= den && off >= -den).toBe(true);
          if (fits(amount + 1)) expect(toEuro(amount + 1, s) >= toEuro(amount, s)).toBe(true);
        },
      ),
    );
  });

  it("converts money amounts on the key and leaves tokens and points alone", () => {
    const state = {
      ...EMPTY_STATE,
      credit: 10_000,
      bonus1: { mode: "tokens" as const, amount: 5, period: 3 },
      loyalty: { mode: "credit" as const, amount: 2_000, period: 0 },
      promotion: { discount: 500, minute: 9, machine: "A" as const },
    };
    expect(euroState(state, LIRE)).toEqual({
      ...state,
      credit: 516,
      loyalty: { mode: "credit", amount: 103, period: 0 },
      promotion: { discount: 26, minute: 9, machine: "A" },
    });
  });
});

describe("keys of the previous operator code with EURO ON (manual 4.16)", () => {
  const PREVIOUS = 55;
  const euro = {
    euro: 1,
    previousOperatorCode: PREVIOUS,
    ...LIRE,
    operatorCode: 12_345_678,
    customerCode: 3,
  };
  /** A key the previous operator formatted (same keys, its own codes), holding lire. */
  async function oldKey(credit: number, keyNumber = 301): Promise<SimulatedCard> {
    const card = new SimulatedCard(Uint8Array.of(0x04, 0x33, keyNumber & 0xff, 0x01));
    const old = new PurseSystem({ masterKey: MASTER, operatorCode: PREVIOUS, format: 1 });
    const holder = {
      keyNumber,
      customerCode: 7,
      departmentCode: 1,
      priceLevel: 0 as const,
      rechargeValue: 0,
    };
    await old.format(card, { ...holder, keyFunction: "sale" }, { ...EMPTY_STATE, credit });
    return card;
  }

  it("takes the key over: this system's codes, its credit in euro, then sells from it", async () => {
    const r = rig(euro);
    const card = await oldKey(10_000);
    expect(await r.pay.insertKey(card, at("09:00"))).toEqual({ ok: true, function: "sale", credit: 516 });
    const view = await r.purses.read(card);
    expect(view.identity).toMatchObject({ keyNumber: 301, operatorCode: 12_345_678, customerCode: 3 });
    expect(r.pay.statistics.get(S.keyWrites).period).toBe(1);
    expect(await r.pay.vendRequest({ line: 1 }, at("09:00"))).toMatchObject({ approved: true, amount: 45 });
    await r.pay.vendSuccess(at("09:01"));
    expect((await r.read(card)).credit).toBe(471);
  });

  it("refuses it with wrong codes (ERR 2) when EURO is OFF, and while the programmer is connected", async () => {
    const off = rig({ ...euro, euro: 0 });
    const card = await oldKey(10_000);
    expect(await off.pay.insertKey(card, at("09:00"))).toMatchObject({ ok: false, err: 2 });
    expect(off.pay.statistics.get("E2").period).toBe(1);

    const on = rig(euro);
    await on.pay.connectProgrammer(at("09:00"));
    expect(await on.pay.insertKey(card, at("09:00"))).toMatchObject({ ok: false, err: 2 });
    const still = await new PurseSystem({ masterKey: MASTER, operatorCode: PREVIOUS, format: 1 }).read(card);
    expect(still.state.credit).toBe(10_000);
  });

  it("refuses, changing nothing, a key whose converted credit would not fit", async () => {
    const r = rig({ ...euro, euroRate: 1, nationalDecimalPoint: 0, decimalPoint: 4 });
    const card = await oldKey(2_000_000_000);
    expect(await r.pay.insertKey(card, at("09:00"))).toMatchObject({ ok: false, reason: "REFUSED", err: 2 });
    const still = await new PurseSystem({ masterKey: MASTER, operatorCode: PREVIOUS, format: 1 }).read(card);
    expect(still.state.credit).toBe(2_000_000_000);
  });

  for (let atWrite = 1; atWrite <= 5; atWrite++)
    for (const mode of ["after", "during"] as const)
      it(`a key pulled out at block write ${atWrite} (${mode}) is converted once, on the next insertion`, async () => {
        const r = rig(euro);
        const card = await oldKey(10_000);
        card.armTear({ atWrite, mode, keep: 7 });
        const first = await r.pay.insertKey(card, at("09:00"));
        card.disarmTear();
        card.insert();
        await r.pay.removeKey(at("09:00"));
        if (!first.ok) expect(first).toMatchObject({ reason: "UNREADABLE" });
        expect(await r.pay.insertKey(card, at("09:01"))).toEqual({ ok: true, function: "sale", credit: 516 });
        expect((await r.purses.read(card)).identity.operatorCode).toBe(12_345_678);
      });
});
