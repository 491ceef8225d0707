import { type Holder, holderOf, type Identity, type PurseState } from "@vendkit/mifare-purse";

/** What the EURO menu (manual 4.16, 9.7) needs of the system's parameters. */
export interface EuroSettings {
  /** 40106: the conversion rate × 100000 (1936.27 → 193627000; 1.00000 → 100000). */
  readonly euroRate: number;
  /** 40108: decimal places of the national amounts the old keys hold (0..4). */
  readonly nationalDecimalPoint: number;
  /** 002: decimal places of the system's money. */
  readonly decimalPoint: number;
}

/**
 * A national-currency amount from an old key in the system's money: divided by the rate and
 * rounded to the nearest unit, halves away from zero (the euro changeover rule). Exact: the
 * arithmetic is on integers.
 */
export function toEuro(amount: number, s: EuroSettings): number {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount ${amount} is not an integer`);
  if (!Number.isSafeInteger(s.euroRate) || s.euroRate < 1) throw new RangeError(`rate ${s.euroRate}`);
  const num = BigInt(Math.abs(amount)) * 10n ** BigInt(s.decimalPoint) * 100_000n;
  const den = 10n ** BigInt(s.nationalDecimalPoint) * BigInt(s.euroRate);
  const exact = (2n * num + den) / (2n * den);
  if (exact > BigInt(Number.MAX_SAFE_INTEGER))
    throw new RangeError(`${amount} converts beyond a safe integer`);
  const units = Number(exact);
  return amount < 0 ? -units : units;
}

/** A key's state with every money amount converted (credits, bonus and loyalty credit, discount). */
export function euroState(state: PurseState, s: EuroSettings): PurseState {
  return {
    ...state,
    credit: toEuro(state.credit, s),
    bonus1:
      state.bonus1.mode === "credit"
        ? { ...state.bonus1, amount: toEuro(state.bonus1.amount, s) }
        : state.bonus1,
    loyalty:
      state.loyalty.mode === "credit"
        ? { ...state.loyalty, amount: toEuro(state.loyalty.amount, s) }
        : state.loyalty,
    promotion: { ...state.promotion, discount: toEuro(state.promotion.discount, s) },
  };
}

/**
 * Manual 4.16: the identity a key of the previous operator code takes in this system: the
 * system's customer code (the operator code is the system's by `rekey`), its recharge value
 * converted; number, department, level and function stay.
 */
export function euroIdentity(identity: Identity, customerCode: number, s: EuroSettings): Holder {
  return { ...holderOf(identity), customerCode, rechargeValue: toEuro(identity.rechargeValue, s) };
}
