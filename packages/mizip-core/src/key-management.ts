import type { CardView, KeyFunction, PurseState } from "@vendkit/mifare-purse";
import type { SystemParameters } from "./parameters.js";

/**
 * What the programmer shows of the key in the reader (manual 4.14.1, 9.5.1 LETTURA CHIAVI):
 * number and credit, customer and department codes, discount level, bonus tokens, loyalty points
 * and whether the black list holds it; for a recharge key its uses left and their value.
 */
export interface KeyReport {
  readonly keyNumber: number;
  readonly function: KeyFunction;
  readonly credit: number;
  readonly customerCode: number;
  readonly departmentCode: number;
  readonly level: number;
  /** Bonus-1 tokens, when the key carries bonus 1 as tokens. */
  readonly bonus1Tokens: number | undefined;
  readonly bonus2Tokens: number;
  /** Loyalty points, when the key carries loyalty as points. */
  readonly loyaltyPoints: number | undefined;
  readonly blackListed: boolean;
  /** Recharge keys: uses left and the value each one loads. */
  readonly recharge: { readonly usesLeft: number; readonly value: number } | undefined;
}

export function keyReport(view: CardView, params: SystemParameters): KeyReport {
  const { identity: id, state } = view;
  return {
    keyNumber: id.keyNumber,
    function: id.keyFunction,
    credit: state.credit,
    customerCode: id.customerCode,
    departmentCode: id.departmentCode,
    level: id.priceLevel,
    bonus1Tokens: state.bonus1.mode === "tokens" ? state.bonus1.amount : undefined,
    bonus2Tokens: state.bonus2.tokens,
    loyaltyPoints: state.loyalty.mode === "points" ? state.loyalty.amount : undefined,
    blackListed: params.numeric.blackList !== 0 && params.blackList.includes(id.keyNumber),
    recharge:
      id.keyFunction === "recharge" ? { usesLeft: state.rechargesLeft, value: id.rechargeValue } : undefined,
  };
}

/** What the programmer may change on a sale key besides its credit (manual 4.14.1). */
export interface KeyChanges {
  readonly bonus1Tokens?: number;
  readonly bonus2Tokens?: number;
  readonly loyaltyPoints?: number;
}

/**
 * The key's state with `changes` made, or the reason they cannot be: tokens and points are
 * whole numbers within what the key holds (bonus 1: 0..7, bonus 2: 0..127, points: 0..65535), and
 * only where the key carries them (bonus 1 as tokens, loyalty as points).
 */
export function changedState(state: PurseState, changes: KeyChanges): PurseState | string {
  const bad = (v: number | undefined, max: number) =>
    v !== undefined && (!Number.isInteger(v) || v < 0 || v > max);
  const { bonus1Tokens, bonus2Tokens, loyaltyPoints } = changes;
  if (bonus1Tokens === undefined && bonus2Tokens === undefined && loyaltyPoints === undefined)
    return "nothing to change";
  if (bad(bonus1Tokens, 7)) return `bonus-1 tokens are 0..7, not ${bonus1Tokens}`;
  if (bad(bonus2Tokens, 127)) return `bonus-2 tokens are 0..127, not ${bonus2Tokens}`;
  if (bad(loyaltyPoints, 65_535)) return `loyalty points are 0..65535, not ${loyaltyPoints}`;
  if (bonus1Tokens !== undefined && state.bonus1.mode !== "tokens")
    return "the key carries bonus 1 as credit";
  if (loyaltyPoints !== undefined && state.loyalty.mode !== "points")
    return "the key carries loyalty as credit";
  return {
    ...state,
    bonus1: bonus1Tokens === undefined ? state.bonus1 : { ...state.bonus1, amount: bonus1Tokens },
    bonus2: bonus2Tokens === undefined ? state.bonus2 : { ...state.bonus2, tokens: bonus2Tokens },
    loyalty: loyaltyPoints === undefined ? state.loyalty : { ...state.loyalty, amount: loyaltyPoints },
  };
}
