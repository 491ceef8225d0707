import { PurseSystem } from "@vendkit/mifare-purse";
import {
  type AuditIdentity,
  defaultParameters,
  PROTOCOL_PARAMETER,
  type Protocol,
  type SystemParameters,
} from "@vendkit/mizip-core";
import { defaultConfig, type PricingConfig } from "@vendkit/pricing";

/**
 * The reference device's embedded defaults, what `npm start` runs on: the demo keys and special
 * keys, the demo prices and names, and the parameters of a demo that sells on and logs all.
 */

/** The embedded defaults: an operator secret for the demo keys only, and the demo prices. */
const DEMO_MASTER_KEY = Uint8Array.from(Buffer.from("d3a1c0de5eed0fa1c0ffee0123456789", "hex"));
export const demoPurses = (operatorCode: number) =>
  new PurseSystem({ masterKey: DEMO_MASTER_KEY, operatorCode, format: 1 });
export const DEMO_KEYS = [
  { keyNumber: 1, credit: 500 },
  { keyNumber: 2, credit: 1000 },
  { keyNumber: 3, credit: 0 },
] as const;
/**
 * The demo special keys (manual 4.10.11, 4.12, 7.3.4), blank 4K cards until the programmer
 * loads them (a 500-key black list needs the room). Kept apart from the customers' keys.
 */
export const SPECIAL_KEYS = [
  { kind: "setup", keyNumber: 9_000_001, uid: "08d30001" },
  { kind: "black-list", keyNumber: 9_000_002, uid: "08d30002" },
  { kind: "data", keyNumber: 9_000_003, uid: "08d30003" },
] as const;
export type SpecialKind = (typeof SPECIAL_KEYS)[number]["kind"];
/** Who the reference device is in its audits (EVA-DTS ID1/DA1). */
export const AUDIT_IDENTITY: AuditIdentity = {
  manufacturer: "VKT",
  serial: "VKT0000001",
  model: "VENDKIT REFERENCE",
  softwareVersion: "0.0.0",
};
/** Selections 1..5 and the prices the simulated VMC asks (prices on VMC). */
export const DEMO_PRICES = [50, 60, 80, 100, 150] as const;
const DEMO_NAMES = ["ESPRESSO", "LUNGO", "CAPPUCC.", "CHOCO", "SOUP"] as const;

export function demoPricing(): PricingConfig {
  const c = defaultConfig();
  const cash = c.cash.map((p, i) => DEMO_PRICES[i] ?? p);
  return {
    ...c,
    lines: DEMO_PRICES.length,
    cash,
    names: c.names.map((n, i) => DEMO_NAMES[i] ?? n),
    keys: [{ mode: "on", prices: cash }, c.keys[1], c.keys[2], c.keys[3]],
  };
}

export function demoParameters(protocol: Protocol): SystemParameters {
  const p = defaultParameters();
  // multiple vend, Maxi Box on overwrite: a demo that sells on and logs everything
  return {
    ...p,
    numeric: {
      ...p.numeric,
      protocol: PROTOCOL_PARAMETER[protocol],
      saleType: 0,
      maxiBox: 2,
      // LINGUA (40105): the demo's console in English (1); 0 puts it in Italian
      language: 1,
      // a standard euro validator (coins 0.05-2.00) and a parallel bill acceptor (5 and 10 euro)
      validatorType: 1,
      coin1Value: 5,
      coin2Value: 10,
      coin3Value: 20,
      coin4Value: 50,
      coin5Value: 100,
      coin6Value: 200,
      bill1Value: 500,
      bill2Value: 1000,
      // bills for sales and recharges (21000 = 2): with the default 0 the acceptor takes none
      billAcceptor: 2,
      maxUsableCredit: 65_535,
      // an MDB reader of level 3 that shows a recharge with the key in at once (UPDATE CREDIT)
      mdbLevel: 2,
      mdbCustomisations: 4,
      // the console shows amounts as 1.50 (SEPARATORE "."; the manual's default is OFF, "150")
      separator: 2,
    },
  };
}
