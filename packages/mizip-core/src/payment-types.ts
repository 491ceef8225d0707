import type { KeyFunction, PurseSystem } from "@vendkit/mifare-purse";
import type { Charge, PricingConfig, RefusalReason } from "@vendkit/pricing";
import type { AuditIdentity } from "./audit.js";
import type { CashAcceptance } from "./cash-acceptance.js";
import type { ErrorCode } from "./diagnostics.js";
import { PRICE_SYSTEMS, type SystemParameters } from "./parameters.js";
import type { SpecialKeyContent } from "./special-keys.js";
import type { Collection } from "./statistics.js";
import type { Storage } from "./storage.js";

/** The payment system's public types: its options and ports, vend decisions, key outcomes, errors. */

export interface PaymentPorts {
  /** The credit the VMC should show: the key's, the machine's, or undefined for none. */
  display?(credit: number | undefined): void;
  /** Which cash the coin and bill peripherals may accept now. */
  acceptance?(a: CashAcceptance): void;
  /**
   * Pay `amount` out as change (the bus asks the changer). With the reader's own changer,
   * `coins` says how many of each tube's coin type make it.
   */
  payOut?(amount: number, coins?: readonly { readonly type: number; readonly count: number }[]): void;
}

export interface PaymentSystemOptions {
  readonly storage: Storage;
  readonly purses: PurseSystem;
  readonly parameters: SystemParameters;
  readonly pricing: PricingConfig;
  readonly ports?: PaymentPorts;
  /**
   * "Rendiresto Plus MDB" (manual 4.8): the reader drives an MDB coin changer. The coin types
   * enabled (20017-20032), escrow lever, max change, min tube level, exact change (20049-20052)
   * and the coins still accepted when change is short (20053-20068) are parameters; this is the
   * changer's own setting: the safety coins it keeps in each tube.
   */
  readonly changer?: {
    readonly safetyCoins: number;
  };
  /** Who the reader is in its audits: needed to collect onto a data key (manual 7.3.4). */
  readonly auditIdentity?: AuditIdentity;
}

export interface VendRequest {
  /** Selection / price line (price holding, out-of-table lines under prices on VMC). */
  readonly line?: number;
  /** The price the VMC asks (prices on VMC, price system). */
  readonly price?: number;
  /** A test vend the VMC asked for: free, counted as ERR 15. */
  readonly test?: boolean;
}

export type VendRefusal =
  | RefusalReason
  | "READER_OUT_OF_SERVICE"
  | "VEND_IN_PROGRESS"
  | "REINSERT_KEY"
  | "KEY_WRITE_FAILED"
  /** Change is short and exact change is ENABLED: only the exact amount sells (4.8.6). */
  | "EXACT_CHANGE";

export type VendDecision =
  | { readonly approved: true; readonly amount: number; readonly charge: Charge }
  | { readonly approved: false; readonly reason: VendRefusal; readonly detail: string };

/** What a special key did at insertion: settings for the caller to keep, or a collection taken. */
export type Carried =
  | SpecialKeyContent
  | { readonly kind: "data"; readonly backup: boolean; readonly collection: Collection };

export type KeyOutcome =
  | {
      readonly ok: true;
      readonly function: KeyFunction;
      readonly credit: number;
      /** A recharge key: the recharges it holds, shown when it goes in (manual 3.5). */
      readonly rechargesLeft?: number;
      /** Setup and black-list keys: the settings they carry; data keys: the collection written. */
      readonly carried?: Carried;
    }
  | {
      readonly ok: false;
      readonly reason: "KEY_ALREADY_IN" | "READER_OUT_OF_SERVICE" | "REFUSED" | "UNREADABLE" | "SPECIAL_KEY";
      /** The error code counted (manual 7.5 list 14), when the refusal counts one. */
      readonly err?: ErrorCode;
      readonly detail: string;
    };

export class PaymentError extends Error {
  constructor(
    readonly code:
      | "VEND_IN_PROGRESS"
      | "NO_VEND"
      | "INVALID_AMOUNT"
      | "NO_KEY"
      | "PROGRAMMING_REFUSED"
      /** The load would put the key above the maximum loadable credit (40000, manual 4.10.2). */
      | "CREDIT_LIMIT",
    message: string,
  ) {
    super(message);
    this.name = "PaymentError";
  }
}

/**
 * The pricing a payment system sells by: the tables and EXTRA functions of `pricing`, with the
 * price system (30002) and the base coin (30003) from the parameters, the one store they live
 * in.
 */
export function sellingPricing(params: SystemParameters, pricing: PricingConfig): PricingConfig {
  const n = params.numeric;
  return {
    ...pricing,
    priceSystem: PRICE_SYSTEMS[n.priceSystem] ?? "prices-on-vmc",
    baseCoin: n.baseCoin,
  };
}

/** Lowest credit with negative credit ON: −327.68 in a 2-decimal currency (manual 4.10.1). */
export const NEGATIVE_CREDIT_FLOOR = -32_768;
