import { cashlessSales, cashTotals, parse, validate } from "@vendkit/evadts";
import { EMPTY_STATE, PurseSystem, SimulatedCard } from "@vendkit/mifare-purse";
import type { PricingConfig } from "@vendkit/pricing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { auditFile } from "./audit.js";
import { errorCounter, S, V } from "./counters.js";
import { toEuro } from "./euro.js";
import type { NumericName } from "./parameters.js";
import { PowerCut } from "./storage.js";
import {
  at,
  CHANGER,
  CHANGER_PARAMETERS,
  MASTER,
  parameters,
  type Rig,
  rig,
  shopPricing,
  tubes,
} from "./test-support.js";

/**
 * Random days at a reader: keys in and out, coins and bills, vends that succeed or fail, the
 * return button, the VMC's own cash onto a key (REVALUE), clock ticks, keys torn out in the
 * middle of any block write and power cut at any commit. After the day every key comes back once
 * (settling what a tear left open), and the books must balance to the unit.
 */
type Op =
  | { op: "insert"; key: number }
  | { op: "remove" }
  | { op: "coin"; value: number }
  | { op: "bill"; value: number }
  | { op: "vend"; line: number }
  | { op: "outcome"; end: "success" | "failure" | "withdrawn" }
  | { op: "return" }
  | { op: "tick"; ms: number }
  | { op: "tear"; atWrite: number; during: boolean }
  | { op: "cut" }
  | { op: "tubes"; counts: number[] }
  | { op: "load"; amount: number }
  | { op: "revalue"; amount: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant("insert" as const), key: fc.nat(4) }), weight: 3 },
  { arbitrary: fc.constant({ op: "remove" as const }), weight: 1 },
  {
    arbitrary: fc.record({ op: fc.constant("coin" as const), value: fc.constantFrom(10, 20, 50, 100, 200) }),
    weight: 3,
  },
  {
    arbitrary: fc.record({ op: fc.constant("bill" as const), value: fc.constantFrom(500, 1000) }),
    weight: 1,
  },
  {
    arbitrary: fc.record({ op: fc.constant("vend" as const), line: fc.integer({ min: 1, max: 5 }) }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("outcome" as const),
      end: fc.constantFrom("success" as const, "failure" as const, "withdrawn" as const),
    }),
    weight: 4,
  },
  { arbitrary: fc.constant({ op: "return" as const }), weight: 1 },
  {
    arbitrary: fc.record({ op: fc.constant("revalue" as const), amount: fc.constantFrom(50, 100, 500) }),
    weight: 1,
  },
  {
    arbitrary: fc.record({ op: fc.constant("tick" as const), ms: fc.integer({ min: 1000, max: 400_000 }) }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("tear" as const),
      atWrite: fc.integer({ min: 1, max: 4 }),
      during: fc.boolean(),
    }),
    weight: 1,
  },
  { arbitrary: fc.constant({ op: "cut" as const }), weight: 1 },
  {
    arbitrary: fc.record({ op: fc.constant("load" as const), amount: fc.constantFrom(50, 300, 2000) }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("tubes" as const),
      counts: fc.array(fc.nat(12), { minLength: 4, maxLength: 4 }),
    }),
    weight: 1,
  },
);

const settingsArb = fc.record({
  failedVendRefund: fc.nat(1),
  overprice: fc.nat(2),
  saleType: fc.nat(1),
  protocol: fc.constantFrom(0, 2),
  negativeCredit: fc.nat(1),
  billAcceptor: fc.nat(2),
  coinValidator: fc.integer({ min: 1, max: 3 }),
  escrowLever: fc.nat(1),
  exactChange: fc.nat(2),
  maxLoadableCredit: fc.constantFrom(300, 1000, 5000),
}) as fc.Arbitrary<Partial<Record<NumericName, number>>>;

/**
 * Sale keys 0-2 with these credits; key 3 is a recharge key (manual 3.5); key 4 a sale key of the
 * previous operator holding lire, taken over at its first insertion with EURO ON (manual 4.16).
 */
const credits = [0, 120, 700];
const RECHARGE = { value: 150, uses: 4 };
const PREVIOUS_OPERATOR = 55;
const LIRE = { euroRate: 193_627_000, nationalDecimalPoint: 0, decimalPoint: 2 };
const OLD_KEY = { lire: 10_000, euro: toEuro(10_000, LIRE) };
const WHO = { serial: "VK00000001", model: "VENDKIT", softwareVersion: "1" };

interface Day {
  r: Rig;
  cards: SimulatedCard[];
  start: number[];
  /** Approved amounts that exceeded the funds the sale could use. */
  overdrawn: number;
  /** Times an operation left the key in the reader above max(40000, what it held at the start). */
  aboveMax: number;
  /** Recharge-key value the return button cancelled (ERR 11), and how many times. */
  cancelled: { value: number; times: number };
}

/** Bonus-1 credit per day for level-0 keys, and loyalty credit given back per line sold. */
const BONUS1_CREDIT = 35;
const LOYALTY_PER_LINE = [5, 0, 10, 0, 3];

/** The shop's prices, with bonus-1 credit and loyalty credit on when `extras`. */
function dayPricing(extras: boolean): PricingConfig {
  const p = shopPricing();
  if (!extras) return p;
  return {
    ...p,
    bonus1: {
      ...p.bonus1,
      usage: "recharge-and-sale",
      type: "credit",
      period: "daily",
      levels: p.bonus1.levels.map((l, i) => ({
        ...l,
        enabled: i === 0,
        credit: i === 0 ? BONUS1_CREDIT : 0,
      })),
    },
    loyalty: {
      ...p.loyalty,
      mode: "on",
      type: "credit",
      creditPerLine: p.loyalty.creditPerLine.map((c, i) => LOYALTY_PER_LINE[i] ?? c),
    },
  };
}

async function live(
  ops: Op[],
  settings: Partial<Record<NumericName, number>>,
  withChanger: boolean,
  extras = false,
): Promise<Day> {
  const r = rig(
    {},
    dayPricing(extras),
    parameters({
      ...(withChanger ? CHANGER_PARAMETERS : {}),
      ...settings,
      maxiBox: 2,
      rechargeKey: 1,
      euro: 1,
      previousOperatorCode: PREVIOUS_OPERATOR,
      ...LIRE,
    }),
    withChanger ? CHANGER : undefined,
  );
  const cards = await Promise.all(credits.map((c, i) => r.key(200 + i, c)));
  cards.push(
    await r.key(
      300,
      0,
      { keyFunction: "recharge", rechargeValue: RECHARGE.value },
      { rechargesLeft: RECHARGE.uses },
    ),
  );
  const old = new SimulatedCard(Uint8Array.of(0x04, 0x33, 0x01, 0x01));
  await new PurseSystem({ masterKey: MASTER, operatorCode: PREVIOUS_OPERATOR, format: 1 }).format(
    old,
    {
      keyNumber: 400,
      customerCode: 7,
      departmentCode: 1,
      priceLevel: 0,
      keyFunction: "sale",
      rechargeValue: 0,
    },
    { ...EMPTY_STATE, credit: OLD_KEY.lire },
  );
  cards.push(old);
  // what each key may hold at most without a load: its start, in euro for the old key
  const held = [...credits, 0, OLD_KEY.euro];
  let now = at("07:00");
  let inserted: SimulatedCard | undefined;
  let overdrawn = 0;
  let aboveMax = 0;
  const cancelled = { value: 0, times: 0 };
  const maxLoadable = settings.maxLoadableCredit ?? 1000;
  const step = async (o: Op) => {
    switch (o.op) {
      case "insert": {
        await r.pay.removeKey(now);
        const card = cards[o.key] as SimulatedCard;
        card.insert();
        inserted = card;
        await r.pay.insertKey(card, now);
        return;
      }
      case "remove":
        inserted?.remove();
        inserted = undefined;
        return r.pay.removeKey(now);
      case "coin":
        return r.pay.coin(o.value, now);
      case "bill":
        return r.pay.bill(o.value, now);
      case "vend": {
        const funds = r.pay.keyCredit ?? r.pay.machineCredit;
        const d = await r.pay.vendRequest({ line: o.line }, now);
        if (d.approved && r.pay.keyCredit === undefined && d.amount > funds) overdrawn++;
        return;
      }
      case "outcome":
        try {
          await (o.end === "success"
            ? r.pay.vendSuccess(now)
            : o.end === "failure"
              ? r.pay.vendFailure(now)
              : r.pay.vendWithdrawn(now));
        } catch (e) {
          if ((e as { code?: string }).code !== "NO_VEND") throw e;
        }
        return;
      case "return": {
        const waiting = r.pay.rechargeKeyCredit;
        await r.pay.returnCredit(now);
        if (waiting > 0 && r.pay.rechargeKeyCredit === 0) {
          cancelled.value += waiting;
          cancelled.times++;
        }
        return;
      }
      case "tick":
        now += o.ms;
        return r.pay.tick(now);
      case "tear":
        inserted?.armTear({ atWrite: o.atWrite, mode: o.during ? "during" : "after", keep: 7 });
        return;
      case "cut":
        r.storage.cutPowerOnNextCommit();
        return;
      case "tubes":
        return r.pay.tubeStatus(tubes(...o.counts), now);
      case "revalue":
        return r.pay.revalue(o.amount, now);
      case "load":
        try {
          await r.pay.programmerRecharge(o.amount, now);
        } catch (e) {
          const code = (e as { code?: string }).code;
          if (code !== "CREDIT_LIMIT" && code !== "NO_KEY" && code !== "VEND_IN_PROGRESS") throw e;
        }
        return;
    }
  };
  /** Runs `f`; after a power cut reboots, and with `retry` runs `f` again on the new engine. */
  const surviving = async (f: () => Promise<unknown>, retry = false) => {
    let next = f;
    for (;;) {
      try {
        await next();
        if (next === f || !retry) return;
        next = f;
      } catch (e) {
        if (!(e instanceof PowerCut)) throw e;
        inserted = undefined;
        next = () => r.reboot(now);
      }
    }
  };
  for (const o of ops) {
    now += 1000;
    await surviving(() => step(o));
    // no operation loads a key above the maximum loadable credit (40000); a key that started
    // above it (a lowered maximum) keeps what it had but takes nothing more
    const k = inserted === undefined ? -1 : cards.indexOf(inserted);
    const credit = r.pay.keyCredit;
    if (k >= 0 && credit !== undefined && credit > Math.max(maxLoadable, held[k] ?? 0)) aboveMax++;
  }
  // close the day: finish an open vend, then every key comes back once
  await surviving(async () => {
    try {
      await r.pay.vendSuccess(now);
    } catch (e) {
      if ((e as { code?: string }).code !== "NO_VEND") throw e;
    }
  });
  for (const card of cards) {
    card.disarmTear();
    card.insert();
    await surviving(() => r.pay.removeKey(now), true);
    await surviving(() => r.pay.insertKey(card, now), true);
  }
  await r.pay.removeKey(now);
  return { r, cards, start: credits, overdrawn, aboveMax, cancelled };
}

describe("the payment system over random days", () => {
  it("balances to the unit: key money, cash, statistics and Maxi Box agree, nothing pending", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { maxLength: 45 }),
        settingsArb,
        fc.boolean(),
        fc.boolean(),
        async (ops, settings, withChanger, extras) => {
          const { r, cards, start, overdrawn, aboveMax, cancelled } = await live(
            ops,
            settings,
            withChanger,
            extras,
          );
          const n = (name: string) => r.pay.statistics.get(name).period;
          expect(r.pay.pendingKeyWrites).toEqual([]);
          expect(overdrawn).toBe(0);
          expect(aboveMax).toBe(0);

          const now = await Promise.all(cards.map((c) => r.read(c)));
          const oldKey = now[start.length + 1] as (typeof now)[number];
          const saleKeys = [...now.slice(0, start.length), oldKey];
          const keyMoney =
            saleKeys.reduce((a, s) => a + s.credit, 0) - start.reduce((a, b) => a + b, 0) - OLD_KEY.lire;
          // the old key came back at least once (at the end of the day), so it is in euro now
          const euroConversion = OLD_KEY.euro - OLD_KEY.lire;
          // programmed credit: the programmer's loads and what recharge keys handed to sale keys;
          // loyalty credit: what sales gave back onto the key
          expect(keyMoney).toBe(
            euroConversion +
              n(S.cashRecharges) +
              n(S.programmedCredit) +
              n(S.loyaltyCredit) -
              n(S.keySales) -
              n(S.failedKeyVends),
          );
          if (!extras) expect(n(S.loyaltyCredit)).toBe(0);
          // bonus-1 credit is not money on the key: each key stamped with today's period was
          // given BONUS1_CREDIT once (S1007), which is still on it, paid part of a sale (V10) or lapsed
          const stamped = saleKeys.filter((s) => s.bonus1.period !== EMPTY_STATE.bonus1.period).length;
          const bonusLeft = saleKeys.reduce((a, s) => a + s.bonus1.amount, 0);
          expect(bonusLeft + n(V.bonusCreditSpent) + n(V.bonusCreditLapsed)).toBe(
            extras ? stamped * BONUS1_CREDIT : 0,
          );
          expect(n(S.bonus1CreditGiven)).toBe(extras ? stamped * BONUS1_CREDIT : 0);
          expect(n(S.programmedCredit)).toBe(n(S.programmerCredit) + n(S.rechargeKeyCredit));
          // recharge key: every use taken off it is on a sale key, still waits for one, or was
          // cancelled by the return button (E11: a recharge key's value is never paid out)
          const usesTaken = RECHARGE.uses - (now[start.length]?.rechargesLeft ?? RECHARGE.uses);
          expect(usesTaken * RECHARGE.value).toBe(
            n(S.rechargeKeyCredit) + r.pay.rechargeKeyCredit + cancelled.value,
          );
          expect(n(errorCounter(11))).toBe(cancelled.times);
          expect(now[start.length]?.credit).toBe(0);
          if (settings.negativeCredit === 0)
            for (const s of saleKeys) expect(s.credit).toBeGreaterThanOrEqual(0);

          const paidOut = r.shown.paidOut.reduce((a, b) => a + b, 0);
          // the change the reader's own changer paid is counted (CA4), none without one
          expect(n(S.changePaid)).toBe(withChanger ? paidOut : 0);
          // the reader's cash in: what the VMC's cash put on keys (REVALUE, V9) never came in here
          expect(n(S.coinsIn) + n(S.billsIn)).toBe(
            n(S.cashSales) +
              n(S.failedCashVends) +
              n(S.overprice) +
              (n(S.cashRecharges) - n(V.revalued)) +
              paidOut +
              r.pay.machineCredit,
          );

          const log = r.pay.maxiBox.entries();
          const sum = (f: (e: (typeof log)[number]) => boolean) =>
            log.filter(f).reduce((a, e) => a + (e.kind === "error" ? 0 : e.amount), 0);
          expect(sum((e) => e.kind === "sale" && e.keyNumber !== undefined && e.error === undefined)).toBe(
            n(S.keySales),
          );
          expect(sum((e) => e.kind === "sale" && e.keyNumber === undefined && e.error === undefined)).toBe(
            n(S.cashSales),
          );
          expect(sum((e) => e.kind === "recharge")).toBe(n(S.cashRecharges) + n(S.programmedCredit));

          // and the EVA-DTS audit of the day is valid and says the same
          const audit = parse(
            auditFile(
              r.pay.statistics.collect(at("23:00")),
              parameters(),
              shopPricing(),
              WHO,
              "ddcmp-6.0-plus",
            ),
          );
          expect(validate(audit).filter((f) => f.severity === "error")).toEqual([]);
          expect(cashTotals(audit).sales?.valueReset).toBe(n(S.cashSales));
          expect(cashlessSales(audit)?.valueReset).toBe(n(S.keySales));
        },
      ),
      { numRuns: 250 },
    );
  }, 120_000);
});
