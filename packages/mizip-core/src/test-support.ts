import {
  EMPTY_STATE,
  type Identity,
  type PurseState,
  PurseSystem,
  SimulatedCard,
} from "@vendkit/mifare-purse";
import { defaultConfig, type PricingConfig } from "@vendkit/pricing";
import { defaultParameters, type NumericName, type SystemParameters } from "./parameters.js";
import { PaymentSystem } from "./payment-system.js";
import type { PaymentPorts, PaymentSystemOptions } from "./payment-types.js";
import { MemoryStorage } from "./storage.js";

/** Test and benchmark fixtures for the payment system: a reader, its memory and demo keys. */
export const MASTER = Uint8Array.from(Buffer.from("3c5e0a91d27b48f6a0e1c9b27d5f8e34", "hex"));

/** 2024-03-13 (a Wednesday) at `hh:mm` UTC, in milliseconds. */
export const at = (hhmm: string, plusMs = 0): number => Date.parse(`2024-03-13T${hhmm}:00Z`) + plusMs;

/** Price holding, 5 lines: cash 50, 60, 50, 40, 80; key 0 five less; key 1 ten less. */
export function shopPricing(): PricingConfig {
  const c = structuredClone(defaultConfig()) as { -readonly [K in keyof PricingConfig]: PricingConfig[K] };
  const cash = [...c.cash];
  cash.splice(0, 5, 50, 60, 50, 40, 80);
  const key0 = cash.map((p) => Math.max(0, p - 5));
  const key1 = cash.map((p) => Math.max(0, p - 10));
  return {
    ...c,
    priceSystem: "price-holding",
    lines: 5,
    cash,
    keys: [{ mode: "on", prices: key0 }, { mode: "on", prices: key1 }, c.keys[2], c.keys[3]],
  };
}

/** The defaults, with price holding (30002 = 2) as `shopPricing` sells, and `overrides`. */
export function parameters(overrides: Partial<Record<NumericName, number>> = {}): SystemParameters {
  const p = defaultParameters();
  return { ...p, numeric: { ...p.numeric, priceSystem: 2, ...overrides } };
}

export interface Rig {
  readonly storage: MemoryStorage;
  readonly purses: PurseSystem;
  pay: PaymentSystem;
  readonly shown: {
    display: (number | undefined)[];
    paidOut: number[];
    coinsOut: { type: number; count: number }[][];
  };
  /** A formatted key with this number, credit and function. */
  key(
    keyNumber: number,
    credit: number,
    identity?: Partial<Omit<Identity, "format" | "operatorCode" | "keyNumber">>,
    state?: Partial<PurseState>,
  ): Promise<SimulatedCard>;
  /** The same storage after a power cut: a fresh engine, powered up at `now`. */
  reboot(now: number): Promise<PaymentSystem>;
  /** A key's state as the card holds it now. */
  read(card: SimulatedCard): Promise<PurseState>;
}

export function rig(
  overrides: Partial<Record<NumericName, number>> = {},
  pricing: PricingConfig = shopPricing(),
  params: SystemParameters = parameters(overrides),
  changer?: PaymentSystemOptions["changer"],
  auditIdentity?: PaymentSystemOptions["auditIdentity"],
): Rig {
  const storage = new MemoryStorage();
  const purses = new PurseSystem({ masterKey: MASTER, operatorCode: params.numeric.operatorCode, format: 1 });
  const shown: Rig["shown"] = { display: [], paidOut: [], coinsOut: [] };
  const ports: PaymentPorts = {
    display: (c) => shown.display.push(c),
    payOut: (a, coins) => {
      shown.paidOut.push(a);
      if (coins !== undefined) shown.coinsOut.push(coins.map((c) => ({ ...c })));
    },
  };
  const make = () =>
    new PaymentSystem({ storage, purses, parameters: params, pricing, ports, changer, auditIdentity });
  const r: Rig = {
    storage,
    purses,
    pay: make(),
    shown,
    async key(keyNumber, credit, identity = {}, state = {}) {
      const uid = Uint8Array.of(0x04, keyNumber & 0xff, (keyNumber >> 8) & 0xff, 0x5a);
      const card = new SimulatedCard(uid);
      await purses.format(
        card,
        {
          keyNumber,
          customerCode: params.numeric.customerCode,
          departmentCode: params.numeric.departmentCode,
          priceLevel: 0,
          keyFunction: "sale",
          rechargeValue: 0,
          ...identity,
        },
        { ...EMPTY_STATE, ...state, credit },
      );
      return card;
    },
    async reboot(now) {
      r.pay = make();
      await r.pay.powerUp(now);
      return r.pay;
    },
    async read(card) {
      const wasIn = card.isPresent;
      card.insert();
      const view = await purses.read(card);
      if (!wasIn) card.remove();
      return view.state;
    },
  };
  return r;
}

/** An MDB changer with tubes of 5, 10, 20 and 50 (types 1-4) and 2 safety coins per tube. */
export const CHANGER: NonNullable<PaymentSystemOptions["changer"]> = { safetyCoins: 2 };

/** Its parameters: coin types 1-6 enabled (20017-20032), 1-2 taken when change is short (20053-20068). */
export const CHANGER_PARAMETERS: Partial<Record<NumericName, number>> = Object.fromEntries([
  ...Array.from({ length: 10 }, (_, i) => [`mdbCoinEnabled${i + 7}`, 0]),
  ["exactChangeCoin1", 1],
  ["exactChangeCoin2", 1],
]);

export const tubes = (...counts: number[]) =>
  [5, 10, 20, 50].map((value, i) => ({ type: i + 1, value, count: counts[i] ?? 0 }));
