import type { CoinTube } from "./audit.js";
import type { CashAcceptance } from "./cash-acceptance.js";
import {
  acceptedCoinTypes,
  billsAllowed,
  type ChangerSettings,
  escrowAllowed,
  exactAmountNeeded,
  planPayout,
  type Tube,
} from "./change-rules.js";
import type { SystemParameters } from "./parameters.js";

/** Change to pay: the amount, and with the reader's own changer the coins of each tube type. */
export interface Change {
  readonly paid: number;
  readonly coins: readonly { readonly type: number; readonly count: number }[];
}

export const NO_CHANGE: Change = { paid: 0, coins: [] };

/** The MDB coin and bill types 1-16, as the per-type parameters number them. */
export const MDB_TYPES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16] as const;

/** The reader's own changer's settings (manual 4.8, 20017-20068) around its safety coins. */
export function changerSettings(params: SystemParameters, safetyCoins: number): ChangerSettings {
  const n = params.numeric;
  return {
    safetyCoins,
    coinEnables: MDB_TYPES.map((i) => n[`mdbCoinEnabled${i}`] === 1),
    exactChangeCoins: MDB_TYPES.map((i) => n[`exactChangeCoin${i}`] === 1),
    escrowLever: n.escrowLever === 1,
    maxChange: n.maxChange,
    minTubeLevel: n.minTubeLevel,
    exactChange: n.exactChange as 0 | 1 | 2,
  };
}

/**
 * How the reader pays change. Without a changer of its own the bus pays whatever is asked (the
 * VMC's changer). With the reader's own MDB changer ("Rendiresto Plus MDB", manual 4.8) it pays
 * what its tubes can, up to the max change, and its tubes decide which cash may come in.
 */
export class ChangePayer {
  /** The changer's tubes as last reported. */
  private tubes: readonly Tube[] = [];

  constructor(
    /** The reader's own changer, if it drives one. */
    readonly own: ChangerSettings | undefined,
    private readonly payOut: (amount: number, coins?: Change["coins"]) => void = () => {},
  ) {}

  /** The changer reports its tubes (MDB TUBE STATUS). */
  report(tubes: readonly Tube[]): void {
    this.tubes = tubes.map((t) => ({ ...t }));
  }

  /** The coins in the tubes as the audit's CA17 gives them: without the safety coins (manual 7.5). */
  get coinTubes(): readonly CoinTube[] {
    const own = this.own;
    if (own === undefined) return [];
    return this.tubes.map((t) => ({ value: t.value, count: Math.max(0, t.count - own.safetyCoins) }));
  }

  /**
   * The change that can be paid for `amount` now. Nothing changes until `give`, which comes
   * after the commit that takes it from the credit.
   */
  plan(amount: number): Change {
    if (amount <= 0) return NO_CHANGE;
    if (this.own === undefined) return { paid: amount, coins: [] };
    const plan = planPayout(amount, this.tubes, this.own);
    const coins = this.tubes.map((t, i) => ({ type: t.type, count: plan.coins[i] as number }));
    return { paid: plan.paid, coins: coins.filter((c) => c.count > 0) };
  }

  /** Pays `change` out and takes its coins off the tubes. */
  give(change: Change): void {
    if (change.paid === 0) return;
    this.tubes = this.tubes.map((t) => {
      const used = change.coins.find((c) => c.type === t.type);
      return used === undefined ? t : { ...t, count: t.count - used.count };
    });
    this.payOut(change.paid, this.own === undefined ? undefined : change.coins);
  }

  /** The escrow lever may pay back now (before any sale only with ESCROW ON, 4.8.3). */
  mayReturn(soldSinceCash: boolean): boolean {
    return this.own === undefined || escrowAllowed(this.own, soldSinceCash);
  }

  /** "Exact amount only" (4.8.6): the tubes cannot pay change, so a cash sale must use all of it. */
  get exactAmountOnly(): boolean {
    return this.own !== undefined && exactAmountNeeded(this.tubes, this.own);
  }

  /** What the tubes add to the acceptance: bills refused without change, coin types by level. */
  limit(acceptance: CashAcceptance): CashAcceptance {
    if (this.own === undefined) return acceptance;
    return {
      ...acceptance,
      bills:
        acceptance.bills === true && !billsAllowed(this.tubes, this.own) ? "NO_CHANGE" : acceptance.bills,
      coinTypes: acceptedCoinTypes(this.tubes, this.own),
    };
  }
}
