/**
 * The statistics counters the sale engine keeps, by S-number. Names and numbers come from the
 * programmer's statistics menu (manual 9.4.2, "Lettura statistiche"), which lists each counter
 * beside its number; the per-line blocks continue the menu's first ten lines with the ranges
 * table 7.5 gives (cash lines 11..60 at S180..S229; key levels in blocks of 60 from S230).
 * Table 7.5 also numbers price lines 61..100, but its PDF text is flattened so that those
 * ranges cannot be paired with their lists; those lines' counts are kept under vendkit's names.
 *
 * Error counters have no S-number we can read with certainty (the same flattening scrambles
 * list 14): they are kept as `E1`..`E16`, the codes the programmer shows.
 */
export const S = {
  /** INCASSO MONETE: value of coins taken. */
  coinsIn: "S1",
  /** INCASSO BANCON.: value of bills taken. */
  billsIn: "S2",
  /** VENDITE CONTANTE: value of cash sales. */
  cashSales: "S3",
  /** MANC. VEND. CONT.: value of failed cash vends that were charged (refund OFF). */
  failedCashVends: "S4",
  /** SOVRAPPREZZO: credit left in the machine and zeroed (manual 4.10.6). */
  overprice: "S5",
  /** VENDITE CHIAVE: value charged to keys for sales. */
  keySales: "S6",
  /** MANC. VEND. CHIAVE: value of failed key vends that were charged (refund OFF). */
  failedKeyVends: "S7",
  /** VENDITE GRATUITE: list value of what free keys took. */
  freeSales: "S8",
  /**
   * SCONTI PRATICATI: the discounts of key levels 1-3's prices on the cash price (table 7.5 list 11
   * n = 30: "sconti legati ai prezzi chiave Liv. 1,2,3").
   */
  discounts: "S9",
  /** CREDITO PROGRAM.: credit loaded by the programmer or a recharge key. */
  programmedCredit: "S10",
  /** BONUS: sales paid with bonus-1 or bonus-2 tokens (table 7.5 list 11 n = 4: S750 + S811). */
  bonus: "S23",
  /** Sales paid with bonus-1 tokens, or wholly with bonus-1 credit (list 11 n = 19; list 6 per line). */
  bonus1Sales: "S750",
  /** Sales paid with bonus-2 tokens (list 11 n = 20). */
  bonus2Sales: "S811",
  /** Sales paid with loyalty points (list 11 n = 21; list 5 per line). */
  loyaltyPointSales: "S872",
  /** Key sales at a promotion's discount (list 11 n = 22; list 6 per line). */
  promotionSales: "S933",
  /** Bonus-1 credit given to keys at a new period (list 11 n = 26). */
  bonus1CreditGiven: "S1007",
  /** INC. NON TABELLA (cash): value of out-of-table cash sales. */
  cashOutOfTable: "S24",
  /** INC. NON TABELLA (key 0): value of out-of-table key sales. */
  keyOutOfTable: "S35",
  /** PROGRESSIVO ACQ.: collections followed by a reset of the period data (EA301); kept by `Statistics.confirm`. */
  collections: "S47",
  /** NUM. SCRITT. CH.: key writes. */
  keyWrites: "S63",
  /** NUM. LETTURE CH.: key reads. */
  keyReads: "S64",
  /** RIPRIST. ALIMENT.: power restored. */
  powerRestores: "S65",
  /** CADUTE ALIMENT.: power failures (each power-up but the very first follows one). */
  powerFailures: "S66",
  /** RICARICHE CONT.: cash (coins, bills, machine credit) loaded on keys. */
  cashRecharges: "S72",
  /** Value of the change the reader's own changer paid from its tubes (table 7.5, CA401/CA403). */
  changePaid: "S120",
  /**
   * Value of coins loaded into the changer's tubes by hand (table 7.5 list 1: CA1001/CA1002 "manual
   * fill", S121; S118 is CA15, what the tubes hold).
   */
  tubeFill: "S121",
  /** Value of coins paid out of the tubes by hand, at the changer (table 7.5 list 1: CA402/CA404). */
  manualDispense: "S122",
  /** Credit loaded by the programmer (table 7.5 list 11, n = 23); S10 counts it too. */
  programmerCredit: "S1004",
  /** Credit loaded from a recharge key (table 7.5 list 11, n = 24); S10 counts it too. */
  rechargeKeyCredit: "S1005",
  /** Credit given back by loyalty in credit mode (table 7.5 list 11, n = 27). */
  loyaltyCredit: "S1008",
} as const;

/**
 * Counts the audit needs and the programmer's menu does not number (table 7.5 derives them from
 * S-numbers whose pairing the flattened PDF loses): vendkit's own, named V so that they are
 * never mistaken for the manual's S-numbers.
 */
export const V = {
  /** Cash vends (CA202/CA204). */
  cashVends: "V1",
  /** Key vends paid from credit, bonus or an extra, free keys excluded (DA202/DA204). */
  keyVends: "V2",
  /** Free-key vends (VA302/VA304). */
  freeVends: "V3",
  /** Table 7.5 list 11 gives these no S-number: cash sales out of table (n = 31), */
  cashOutOfTableVends: "V4",
  /** key sales out of table (n = 32), */
  keyOutOfTableVends: "V5",
  /** free-key sales out of table (n = 33) and their value (n = 34), */
  freeOutOfTableVends: "V6",
  freeOutOfTable: "V7",
  /** and bonus-1 credit that lapsed unused at the end of its period (n = 35). */
  bonusCreditLapsed: "V8",
  /**
   * The part of RICARICHE CONT. (S72) that came from the VMC's own cash by MDB REVALUE (manual
   * 10.2.1): that cash is in the VMC's changer, never in the reader's coins or bills in.
   */
  revalued: "V9",
  /** Bonus-1 credit spent on sales (what S23 held before table 7.5 was followed). */
  bonusCreditSpent: "V10",
  /** Audit readings, with or without a reset (EA309; S47 counts those with a reset). */
  readings: "V11",
  /** Value of the reader's changer's coins routed to the cash box (CA302/CA306). */
  cashToBox: "V12",
  /** Value of the reader's changer's coins routed to the tubes (CA303/CA307). */
  cashToTubes: "V13",
} as const;

/** What a counter holds: an amount of money in the smallest unit, or a number of things. */
export type CounterUnit = "money" | "count";

/**
 * The unit of each named counter (S and V), so that a console or a report shows money as money
 * and counts as counts: every one is listed, the compiler sees to it.
 */
export const COUNTER_UNITS: { readonly [K in keyof typeof S | keyof typeof V]: CounterUnit } = {
  coinsIn: "money",
  billsIn: "money",
  cashSales: "money",
  failedCashVends: "money",
  overprice: "money",
  keySales: "money",
  failedKeyVends: "money",
  freeSales: "money",
  discounts: "money",
  programmedCredit: "money",
  bonus: "count",
  bonus1Sales: "count",
  bonus2Sales: "count",
  loyaltyPointSales: "count",
  promotionSales: "count",
  bonus1CreditGiven: "money",
  cashOutOfTable: "money",
  keyOutOfTable: "money",
  collections: "count",
  keyWrites: "count",
  keyReads: "count",
  powerRestores: "count",
  powerFailures: "count",
  cashRecharges: "money",
  changePaid: "money",
  tubeFill: "money",
  manualDispense: "money",
  programmerCredit: "money",
  rechargeKeyCredit: "money",
  loyaltyCredit: "money",
  cashVends: "count",
  keyVends: "count",
  freeVends: "count",
  cashOutOfTableVends: "count",
  keyOutOfTableVends: "count",
  freeOutOfTableVends: "count",
  freeOutOfTable: "money",
  bonusCreditLapsed: "money",
  revalued: "money",
  bonusCreditSpent: "money",
  readings: "count",
  cashToBox: "money",
  cashToTubes: "money",
};

/** NUMERO MONETE 1..8: coins of each type taken. */
export function coinCount(type: number): string | undefined {
  return Number.isInteger(type) && type >= 1 && type <= 8 ? `S${10 + type}` : undefined;
}

/**
 * Coins of MDB coin type 1..16 the reader's own changer took (CA11 per type, 7.5 list 1): all of
 * them (`in`), and by where they went. The table's S-numbers for them cannot all be paired
 * surely: vendkit keeps them as `M<type>.<in|box|tubes>`.
 */
export function changerCoinCount(type: number, what: "in" | "box" | "tubes"): string | undefined {
  return Number.isInteger(type) && type >= 1 && type <= 16 ? `M${type}.${what}` : undefined;
}

/** NUMERO BANC. 1..4: bills of each type taken. */
export function billCount(type: number): string | undefined {
  return Number.isInteger(type) && type >= 1 && type <= 4 ? `S${18 + type}` : undefined;
}

/**
 * NUM. VEND. PR. n: sales of price line 1..100, for cash or a key level 0..3. Lines 1..60 have
 * the S-numbers of 9.4.2 and table 7.5; lines 61..100 are kept as `L<list>.<line>` (list 0 cash,
 * 1-4 key levels 0-3), since the table's ranges for them cannot be paired with their lists.
 */
export function lineCount(medium: "cash" | 0 | 1 | 2 | 3, line: number): string | undefined {
  if (!Number.isInteger(line) || line < 1 || line > 100) return undefined;
  if (line > 60) return `L${medium === "cash" ? 0 : medium + 1}.${line}`;
  if (medium === "cash") return line <= 10 ? `S${24 + line}` : `S${169 + line}`;
  return `S${229 + 60 * medium + line}`;
}

/** TOT. BONUS / TOT. GRATIS U.G. 1..5: bonus and free-key value per user group. */
export function userGroupCounter(kind: "bonus" | "free", group: number): string | undefined {
  if (!Number.isInteger(group) || group < 1 || group > 5) return undefined;
  return `S${46 + 2 * group + (kind === "free" ? 1 : 0)}`;
}

/** The counter of error code 1..16 (manual 7.5 list 14). */
export const errorCounter = (code: number): string => `E${code}`;

/** The EVA-DTS product elements table 7.5 list 12 counts per price line. */
export type ProductElement = 201 | 202 | 205 | 206 | 401 | 402;

/**
 * Table 7.5 list 12 (PA2, PA4) per price line 1..100: paid sales (PA201 number, PA202 value),
 * those of them sold at a discount (PA205, PA206) and the free ones — free key, loyalty —
 * (PA401, PA402). The list names them by EVA-DTS element, not by S-number: vendkit keeps them
 * as `P<line>.<element>`.
 */
export function productCounter(line: number, element: ProductElement): string | undefined {
  return Number.isInteger(line) && line >= 1 && line <= 100 ? `P${line}.${element}` : undefined;
}

/**
 * Table 7.5 lists 5 and 6 (LA1*5*n, LA1*6*n): sales of price line 1..100 by how they were
 * paid. List 5: free-key sales (n = line) and loyalty-point sales (n = 100 + line); list 6:
 * bonus-1 and bonus-2 token sales (n = line, 100 + line), promotion sales (200 + line), happy-hour
 * sales (300 + line). The list numbers its entries by n; vendkit keeps them as `L<list>.<n>`
 * (the S-numbers the table gives for lines 1..60 of some of them cannot all be paired surely).
 */
export type ListSale = "free" | "loyalty" | "bonus1" | "bonus2" | "promotion" | "happy-hour";

const LIST_ENTRY: Readonly<Record<ListSale, readonly [list: 5 | 6, offset: number]>> = {
  free: [5, 0],
  loyalty: [5, 100],
  bonus1: [6, 0],
  bonus2: [6, 100],
  promotion: [6, 200],
  "happy-hour": [6, 300],
};

/** The list-5/6 counter of a sale of `line` (1..100) paid as `kind`, with its list and n. */
export function listSaleCounter(
  kind: ListSale,
  line: number,
): { readonly counter: string; readonly list: 5 | 6; readonly n: number } | undefined {
  if (!Number.isInteger(line) || line < 1 || line > 100) return undefined;
  const [list, offset] = LIST_ENTRY[kind];
  return { counter: `L${list}.${offset + line}`, list, n: offset + line };
}
