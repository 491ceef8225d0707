/**
 * "Rendiresto Plus MDB" (MiZip Plus manual 4.8): the reader drives an MDB coin changer itself and
 * decides what change it can promise. Pure functions over the tube levels the changer reports.
 * Money is in the smallest unit.
 */

/** One tube of the changer: the coin type (1..16) it holds, that coin's value and the count. */
export interface Tube {
  readonly type: number;
  readonly value: number;
  readonly count: number;
}

export interface ChangerSettings {
  /** 20049: the escrow lever returns coins before a sale too (after a sale it always does). */
  readonly escrowLever: boolean;
  /** 20050: change above this is not paid (4.8.4). */
  readonly maxChange: number;
  /** 20051: below this many coins in a tube (over the changer's own safety coins), "no change". */
  readonly minTubeLevel: number;
  /** Coins per tube the changer keeps and never pays out (its own setting, 4.8.5 note). */
  readonly safetyCoins: number;
  /** 20052: 0 disabled, 1 coins accepted without level, 2 exact amount only (4.8.6). */
  readonly exactChange: 0 | 1 | 2;
  /** Coin types 1..16 enabled (4.8.2; index 0 is type 1). */
  readonly coinEnables: readonly boolean[];
  /** 20053-20068: coin types still accepted in the no-change condition with mode 1. */
  readonly exactChangeCoins: readonly boolean[];
}

/**
 * "Manca resto" (4.8.5): some tube holds fewer than the minimum level plus the changer's safety
 * coins, so change cannot be promised. The manual's example: safety 2, level 7, the message
 * shows when a tube holds fewer than 9. (Which tube it watches is not said; we watch each.)
 */
export function noChange(tubes: readonly Tube[], s: ChangerSettings): boolean {
  return tubes.some((t) => t.count < s.minTubeLevel + s.safetyCoins);
}

/** The coin types (1..16) the changer may accept now. */
export function acceptedCoinTypes(tubes: readonly Tube[], s: ChangerSettings): number[] {
  const short = noChange(tubes, s);
  const out: number[] = [];
  for (let type = 1; type <= 16; type++) {
    if (!s.coinEnables[type - 1]) continue;
    // 4.8.6: with "coins accepted without level", only the chosen coins while change is short
    if (short && s.exactChange === 1 && !s.exactChangeCoins[type - 1]) continue;
    out.push(type);
  }
  return out;
}

/** Bills are refused while change is short (4.8.6, last line). */
export const billsAllowed = (tubes: readonly Tube[], s: ChangerSettings): boolean => !noChange(tubes, s);

/** Exact change ENABLED sells, while change is short, only for the exact amount (4.8.6). */
export function exactAmountNeeded(tubes: readonly Tube[], s: ChangerSettings): boolean {
  return s.exactChange === 2 && noChange(tubes, s);
}

/** Escrow lever (4.8.3): before any sale only with the parameter ON; after a sale always. */
export const escrowAllowed = (s: ChangerSettings, soldSinceCoins: boolean): boolean =>
  s.escrowLever || soldSinceCoins;

export interface Payout {
  /** Coins to pay per tube, in the order of `tubes`. */
  readonly coins: readonly number[];
  /** What they add up to (≤ the amount asked; the rest stays as credit). */
  readonly paid: number;
}

/**
 * The coins to pay `amount` as change: exactly when the tubes allow it, else the most they can
 * pay below it, with the fewest coins; nothing at all above the maximum change (4.8.4). Safety
 * coins are never paid. Exact over every combination (a bounded change-making table, amount ×
 * coins in the tubes steps), so 60 from tubes of 50 and 20 pays 3 × 20, where taking the 50
 * first would strand 10.
 */
export function planPayout(amount: number, tubes: readonly Tube[], s: ChangerSettings): Payout {
  const none = { coins: tubes.map(() => 0), paid: 0 };
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount > s.maxChange) return none;
  // Tube by tube: fewest[v] is the fewest coins making v from the tubes so far, and
  // take[i][v] how many of tube i that answer uses.
  let fewest = new Float64Array(amount + 1).fill(Number.POSITIVE_INFINITY);
  fewest[0] = 0;
  const take = tubes.map((t) => {
    const spare = t.value > 0 ? Math.max(0, t.count - s.safetyCoins) : 0;
    const next = fewest.slice();
    const k = new Int32Array(amount + 1);
    if (spare > 0)
      for (let v = t.value; v <= amount; v++)
        for (let n = 1; n <= spare && n * t.value <= v; n++) {
          const through = (fewest[v - n * t.value] as number) + n;
          if (through < (next[v] as number)) {
            next[v] = through;
            k[v] = n;
          }
        }
    fewest = next;
    return k;
  });
  let best = amount;
  while (best > 0 && !Number.isFinite(fewest[best] as number)) best--;
  const coins = tubes.map(() => 0);
  for (let i = tubes.length - 1, v = best; i >= 0; i--) {
    const n = (take[i] as Int32Array)[v] as number;
    coins[i] = n;
    v -= n * (tubes[i] as Tube).value;
  }
  return { coins, paid: best };
}
