/**
 * Whether the reader lets coins and bills in right now (MiZip Plus manual 3.2, 3.3, 4.6.1,
 * 4.7.1, 4.10.2, 4.10.4). Money is in the smallest unit.
 */
export interface CashSituation {
  /** Parameter 20000: 0 disabled, 1 sale only, 2 recharge and sale, 3 recharge only. */
  readonly coinMode: number;
  /** Parameter 21000: 0 disabled, 1 recharge only, 2 recharge and sale. */
  readonly billMode: number;
  /** Credit on the inserted key, or undefined when no key is in. */
  readonly keyCredit: number | undefined;
  /** Parameter 40000. */
  readonly maxLoadableCredit: number;
  /** Cash credit waiting in the machine (no key). */
  readonly machineCredit: number;
  /** The highest price programmed in the reader. */
  readonly highestPrice: number;
  /** Parameter 40118, 0 = no limit. */
  readonly rechargeLimit: number;
  /** Cash taken since the last collection. */
  readonly cashIn: number;
  /** A product is being vended. */
  readonly vending: boolean;
  /** Parameter 59900, the cash interface fitted: 0 coins only, 1 coins and bills (default), 2 bills only. */
  readonly cashInterface?: number;
}

export type CashRefusal =
  | "DISABLED"
  | "VENDING"
  | "RECHARGE_LIMIT"
  | "KEY_IN_SALE_ONLY"
  | "NO_KEY_RECHARGE_ONLY"
  | "KEY_FULL"
  | "ENOUGH_FOR_ANY_SALE"
  /** The reader's MDB changer cannot promise change (manual 4.8.6). */
  | "NO_CHANGE";

export interface CashAcceptance {
  readonly coins: true | CashRefusal;
  readonly bills: true | CashRefusal;
  /** With the reader's own MDB changer: the coin types 1..16 it may accept (manual 4.8.2, 4.8.6). */
  readonly coinTypes?: readonly number[];
  /** With an MDB bill acceptor: the bill types 1..16 it may accept (parameters 21006-21021). */
  readonly billTypes?: readonly number[];
}

function decide(s: CashSituation, forSale: boolean, forRecharge: boolean): true | CashRefusal {
  if (!forSale && !forRecharge) return "DISABLED";
  if (s.vending) return "VENDING";
  // 4.10.4: the limit stops coins and bills; keys keep working
  if (s.rechargeLimit > 0 && s.cashIn >= s.rechargeLimit) return "RECHARGE_LIMIT";
  if (s.keyCredit !== undefined) {
    if (!forRecharge) return "KEY_IN_SALE_ONLY";
    return s.keyCredit >= s.maxLoadableCredit ? "KEY_FULL" : true;
  }
  if (!forSale) return "NO_KEY_RECHARGE_ONLY";
  // 3.2: refused once the credit exceeds the highest programmed price
  return s.machineCredit > s.highestPrice ? "ENOUGH_FOR_ANY_SALE" : true;
}

export function cashAcceptance(s: CashSituation): CashAcceptance {
  const wired = s.cashInterface ?? 1;
  const coins = wired !== 2;
  const bills = wired !== 0;
  return {
    coins: decide(
      s,
      coins && (s.coinMode === 1 || s.coinMode === 2),
      coins && (s.coinMode === 2 || s.coinMode === 3),
    ),
    bills: decide(s, bills && s.billMode === 2, bills && (s.billMode === 1 || s.billMode === 2)),
  };
}
