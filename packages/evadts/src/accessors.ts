import type { AuditFile } from "./audit-file.js";
import { Fields } from "./fields.js";
import { tagKey } from "./scan-kernel.js";

/** Value and number counters, since initialisation (historic) and since the last reset (period). */
export interface Counters {
  readonly valueInit: number | undefined;
  readonly countInit: number | undefined;
  readonly valueReset: number | undefined;
  readonly countReset: number | undefined;
}

const CA2 = tagKey("CA2");
const CA3 = tagKey("CA3");
const EA1 = tagKey("EA1");
const EA2 = tagKey("EA2");
const ID1 = tagKey("ID1");
const ID4 = tagKey("ID4");
const LA1 = tagKey("LA1");
const PA1 = tagKey("PA1");
const PA2 = tagKey("PA2");
const PA3 = tagKey("PA3");
const PA4 = tagKey("PA4");
const PA7 = tagKey("PA7");
const VA1 = tagKey("VA1");
const VA2 = tagKey("VA2");
const CASH = ["CA2", "CA3", "CA4"].map(tagKey);
const IDENTITY = ["ID1", "ID4", "ID5"].map(tagKey);
const VENDS = ["VA1", "VA2", "VA3"].map(tagKey);
const CASHLESS = [tagKey("DA2")];

/** Counters from a value-first segment (VA1, CA2, DA2, TA2: value, number, value, number). */
function valueFirst(f: Fields): Counters {
  return { valueInit: f.int(1), countInit: f.int(2), valueReset: f.int(3), countReset: f.int(4) };
}
/** Counters from a number-first segment (PA2, PA3, PA4: number, value, number, value). */
function numberFirst(f: Fields): Counters {
  return { countInit: f.int(1), valueInit: f.int(2), countReset: f.int(3), valueReset: f.int(4) };
}

/**
 * The reader every accessor uses: accessors run to completion and never call one another while
 * reading, so one is enough (a reader holds two small typed arrays: costly to make per call).
 */
const reader = new Fields();

/**
 * The first segment with each of the identifiers (packed keys), loaded one after another into
 * `read` in the order given, after one pass over the file that stops when all are found.
 */
function firstOf(file: AuditFile, wanted: readonly number[], read: (tag: number, f: Fields) => void): void {
  const { keys, count } = file.index;
  const at = wanted.map(() => -1);
  let missing = wanted.length;
  for (let i = 0; i < count && missing > 0; i++) {
    const k = wanted.indexOf(keys[i] as number);
    if (k !== -1 && at[k] === -1) {
      at[k] = i;
      missing--;
    }
  }
  wanted.forEach((tag, k) => {
    if ((at[k] as number) !== -1) read(tag, reader.load(file.index, at[k] as number));
  });
}

export interface ProductSalesByMedium {
  /** CA cash, DA/DB cashless 1/2, TA tokens... (PA702). */
  readonly medium: string;
  readonly priceList: number | undefined;
  readonly price: number | undefined;
  readonly sales: Counters;
}

export interface Product {
  /** PA101: the selection or price line. */
  readonly id: string;
  readonly price: number | undefined;
  readonly name: string | undefined;
  readonly paid: Counters | undefined;
  readonly test: Counters | undefined;
  readonly free: Counters | undefined;
  readonly byMedium: readonly ProductSalesByMedium[];
  readonly line: number;
}

/** Products: each PA1 with the PA2/PA3/PA4/PA7 that follow it. */
export function products(file: AuditFile): Product[] {
  const out: Product[] = [];
  const { keys, count } = file.index;
  const f = reader;
  let current: { -readonly [K in keyof Product]: Product[K] } | undefined;
  let byMedium: ProductSalesByMedium[] = [];
  for (let i = 0; i < count; i++) {
    const key = keys[i] as number;
    if (key === PA1) {
      f.load(file.index, i);
      const name = f.str(3)?.trimEnd();
      byMedium = [];
      current = {
        id: f.str(1) ?? "",
        price: f.int(2),
        name: name === "" ? undefined : name,
        paid: undefined,
        test: undefined,
        free: undefined,
        byMedium,
        line: i + 1,
      };
      out.push(current);
    } else if (current === undefined) continue;
    else if (key === PA2) current.paid = numberFirst(f.load(file.index, i));
    else if (key === PA3) current.test = numberFirst(f.load(file.index, i));
    else if (key === PA4) current.free = numberFirst(f.load(file.index, i));
    else if (key === PA7) {
      f.load(file.index, i);
      byMedium.push({
        medium: f.str(2) ?? "",
        priceList: f.int(3),
        price: f.int(4),
        sales: { countInit: f.int(5), valueInit: f.int(6), countReset: f.int(7), valueReset: f.int(8) },
      });
    }
  }
  return out;
}

export interface CashTotals {
  /** CA2: cash sales. */
  readonly sales: Counters | undefined;
  /** CA3: cash in, since the last reset and since initialisation. */
  readonly cashIn:
    | {
        readonly inReset: number | undefined;
        readonly toBoxReset: number | undefined;
        readonly toTubesReset: number | undefined;
        readonly billsReset: number | undefined;
        readonly inInit: number | undefined;
        readonly toBoxInit: number | undefined;
        readonly toTubesInit: number | undefined;
        readonly billsInit: number | undefined;
      }
    | undefined;
  /** CA4: cash dispensed (change), since reset and since initialisation. */
  readonly dispensed:
    | {
        readonly reset: number | undefined;
        readonly manualReset: number | undefined;
        readonly init: number | undefined;
      }
    | undefined;
}

/** Cash totals from CA2, CA3 and CA4. Bills prefer the 6.0 elements CA309/CA310 when present. */
export function cashTotals(file: AuditFile): CashTotals {
  const totals: { -readonly [K in keyof CashTotals]: CashTotals[K] } = {
    sales: undefined,
    cashIn: undefined,
    dispensed: undefined,
  };
  firstOf(file, CASH, (tag, f) => {
    if (tag === CA2) totals.sales = valueFirst(f);
    else if (tag === CA3)
      totals.cashIn = {
        inReset: f.int(1),
        toBoxReset: f.int(2),
        toTubesReset: f.int(3),
        billsReset: f.int(9) ?? f.int(4),
        inInit: f.int(5),
        toBoxInit: f.int(6),
        toTubesInit: f.int(7),
        billsInit: f.int(10) ?? f.int(8),
      };
    else totals.dispensed = { reset: f.int(1), manualReset: f.int(2), init: f.int(3) };
  });
  return totals;
}

export interface AuditEvent {
  readonly id: string;
  readonly date: string | undefined;
  readonly time: string | undefined;
  readonly duration: number | undefined;
  readonly line: number;
}

export interface EventCounter {
  readonly id: string;
  readonly countReset: number | undefined;
  readonly countInit: number | undefined;
  readonly active: boolean | undefined;
  readonly line: number;
}

/** Events: EA1 occurrences and EA2 counters. */
export function events(file: AuditFile): { occurrences: AuditEvent[]; counters: EventCounter[] } {
  const occurrences: AuditEvent[] = [];
  const counters: EventCounter[] = [];
  const { keys, count } = file.index;
  const f = reader;
  for (let i = 0; i < count; i++) {
    const key = keys[i] as number;
    if (key === EA1) {
      f.load(file.index, i);
      occurrences.push({
        id: f.str(1) ?? "",
        date: f.str(2) || undefined,
        time: f.str(3) || undefined,
        duration: f.int(4),
        line: i + 1,
      });
    } else if (key === EA2) {
      f.load(file.index, i);
      const active = f.int(4);
      counters.push({
        id: f.str(1) ?? "",
        countReset: f.int(2),
        countInit: f.int(3),
        active: active === undefined ? undefined : active !== 0,
        line: i + 1,
      });
    }
  }
  return { occurrences, counters };
}

export interface PriceListEntry {
  readonly list: number | undefined;
  readonly product: string;
  readonly price: number | undefined;
  readonly vendsInit: number | undefined;
  readonly vendsReset: number | undefined;
  readonly line: number;
}

/** Price lists from LA1 (list, product or price line, price, vends since init and reset). */
export function priceLists(file: AuditFile): PriceListEntry[] {
  const out: PriceListEntry[] = [];
  const { keys, count } = file.index;
  const f = reader;
  for (let i = 0; i < count; i++) {
    if (keys[i] !== LA1) continue;
    f.load(file.index, i);
    out.push({
      list: f.int(1),
      product: f.str(2) ?? "",
      price: f.int(3),
      vendsInit: f.int(4),
      vendsReset: f.int(5),
      line: i + 1,
    });
  }
  return out;
}

export interface Identification {
  readonly machineSerial: string | undefined;
  readonly machineModel: string | undefined;
  readonly assetNumber: string | undefined;
  /** ID401: digits after the decimal point in every money value. */
  readonly decimals: number | undefined;
  readonly currency: string | undefined;
  readonly date: string | undefined;
  readonly time: string | undefined;
}

/** Who the machine is and when it was read (ID1, ID4, ID5). */
export function identification(file: AuditFile): Identification {
  const id: { -readonly [K in keyof Identification]: Identification[K] } = {
    machineSerial: undefined,
    machineModel: undefined,
    assetNumber: undefined,
    decimals: undefined,
    currency: undefined,
    date: undefined,
    time: undefined,
  };
  firstOf(file, IDENTITY, (tag, f) => {
    if (tag === ID1) {
      id.machineSerial = f.str(1) || undefined;
      id.machineModel = f.str(2) || undefined;
      id.assetNumber = f.str(6) || undefined;
    } else if (tag === ID4) {
      // ID401 is one digit: a longer value is no decimal point position (validate reports it)
      const decimals = f.int(1);
      id.decimals = decimals !== undefined && decimals >= 0 && decimals <= 9 ? decimals : undefined;
      id.currency = f.str(3) || undefined;
    } else {
      id.date = f.str(1) || undefined;
      id.time = f.str(2) || undefined;
    }
  });
  return id;
}

/** Paid, test and free vend totals (VA1, VA2, VA3). */
export function vendTotals(file: AuditFile): {
  paid: Counters | undefined;
  test: Counters | undefined;
  free: Counters | undefined;
} {
  const totals: { paid: Counters | undefined; test: Counters | undefined; free: Counters | undefined } = {
    paid: undefined,
    test: undefined,
    free: undefined,
  };
  firstOf(file, VENDS, (tag, f) => {
    totals[tag === VA1 ? "paid" : tag === VA2 ? "test" : "free"] = valueFirst(f);
  });
  return totals;
}

/** Cashless device 1 sales (DA2). */
export function cashlessSales(file: AuditFile): Counters | undefined {
  let sales: Counters | undefined;
  firstOf(file, CASHLESS, (_, f) => {
    sales = valueFirst(f);
  });
  return sales;
}
