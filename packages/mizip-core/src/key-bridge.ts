import { EMPTY_STATE, type PurseState } from "@vendkit/mifare-purse";
import type { KeyState } from "@vendkit/pricing";

/**
 * Pricing reads and changes a key as a `KeyState`; the card keeps it as a `PurseState`. This
 * converts both ways. Loyalty credit lives in the credit itself, so only loyalty points travel
 * as loyalty. A period or day stamp of 0 on the card means "never" (day 0 is 2000-01-01).
 */
export function toKeyState(p: PurseState): KeyState {
  return {
    credit: p.credit,
    bonus1: { amount: p.bonus1.amount, period: p.bonus1.period },
    bonus2: { tokens: p.bonus2.tokens, period: p.bonus2.period },
    loyalty: { points: p.loyalty.mode === "points" ? p.loyalty.amount : 0, period: p.loyalty.period },
    promotion: p.promotion,
    daily: { day: p.daily.day, counts: p.daily.counts, bonusUse: p.bonus2.categoryUse },
  };
}

/** The card state after `k`, keeping what pricing does not know of (`rechargesLeft`, modes). */
export function toPurseState(
  k: KeyState,
  was: PurseState = EMPTY_STATE,
  modes: { bonus1: "credit" | "tokens"; loyalty: "credit" | "points" } = {
    bonus1: was.bonus1.mode,
    loyalty: was.loyalty.mode,
  },
): PurseState {
  const stamp = (n: number) => Math.max(0, n);
  return {
    credit: k.credit,
    bonus1: { mode: modes.bonus1, amount: k.bonus1.amount, period: stamp(k.bonus1.period) },
    bonus2: { tokens: k.bonus2.tokens, period: stamp(k.bonus2.period), categoryUse: k.daily.bonusUse },
    loyalty: {
      mode: modes.loyalty,
      amount: modes.loyalty === "points" ? k.loyalty.points : 0,
      period: stamp(k.loyalty.period),
    },
    promotion: k.promotion,
    daily: { day: stamp(k.daily.day), counts: k.daily.counts },
    rechargesLeft: was.rechargesLeft,
  };
}
