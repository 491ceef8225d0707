import type { AuditFile } from "./audit-file.js";
import { toInt } from "./decode.js";
import type { Segment } from "./segment.js";

/** Value and number counters, since initialisation (historic) and since the last reset (period). */
export interface Counters {
  readonly valueInit: number | undefined;
  readonly countInit: number | undefined;
  readonly valueReset: number | undefined;
  readonly countReset: number | undefined;
}

const el = (s: Segment | undefined, n: number): string | undefined => s?.elements[n - 1];
const int = (s: Segment | undefined, n: number): number | undefined => toInt(el(s, n));

/** Counters from a value-first segment (VA1, CA2, DA2, TA2: value, number, value, number). */
function valueFirst(s: Segment | undefined): Counters | undefined {
  if (!s) return undefined;
  return { valueInit: int(s, 1), countInit: int(s, 2), valueReset: int(s, 3), countReset: int(s, 4) };
}
/** Counters from a number-first segment (PA2, PA3, PA4: number, value, number, value). */
function numberFirst(s: Segment | undefined): Counters | undefined {
  if (!s) return undefined;
  return { countInit: int(s, 1), valueInit: int(s, 2), countReset: int(s, 3), valueReset: int(s, 4) };
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
  let current: { pa1: Segment; pa2?: Segment; pa3?: Segment; pa4?: Segment; pa7: Segment[] } | undefined;
  const flush = () => {
    if (!current) return;
    const { pa1 } = current;
    const name = el(pa1, 3)?.trimEnd();
    out.push({
      id: el(pa1, 1) ?? "",
      price: int(pa1, 2),
      name: name === "" ? undefined : name,
      paid: numberFirst(current.pa2),
      test: numberFirst(current.pa3),
      free: numberFirst(current.pa4),
      byMedium: current.pa7.map((s) => ({
        medium: el(s, 2) ?? "",
        priceList: int(s, 3),
        price: int(s, 4),
        sales: { countInit: int(s, 5), valueInit: int(s, 6), countReset: int(s, 7), valueReset: int(s, 8) },
      })),
      line: pa1.line,
    });
  };
  for (let i = 0; i < file.length; i++) {
    const tag = file.tag(i);
    if (tag === "PA1") {
      flush();
      current = { pa1: file.segment(i), pa7: [] };
    } else if (current && (tag === "PA2" || tag === "PA3" || tag === "PA4")) {
      current[tag === "PA2" ? "pa2" : tag === "PA3" ? "pa3" : "pa4"] = file.segment(i);
    } else if (current && tag === "PA7") {
      current.pa7.push(file.segment(i));
    }
  }
  flush();
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
  const ca2 = file.first("CA2");
  const ca3 = file.first("CA3");
  const ca4 = file.first("CA4");
  return {
    sales: valueFirst(ca2),
    cashIn: ca3 && {
      inReset: int(ca3, 1),
      toBoxReset: int(ca3, 2),
      toTubesReset: int(ca3, 3),
      billsReset: int(ca3, 9) ?? int(ca3, 4),
      inInit: int(ca3, 5),
      toBoxInit: int(ca3, 6),
      toTubesInit: int(ca3, 7),
      billsInit: int(ca3, 10) ?? int(ca3, 8),
    },
    dispensed: ca4 && { reset: int(ca4, 1), manualReset: int(ca4, 2), init: int(ca4, 3) },
  };
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
  const occurrences = file.all("EA1").map((s) => ({
    id: el(s, 1) ?? "",
    date: el(s, 2) || undefined,
    time: el(s, 3) || undefined,
    duration: int(s, 4),
    line: s.line,
  }));
  const counters = file.all("EA2").map((s) => {
    const active = int(s, 4);
    return {
      id: el(s, 1) ?? "",
      countReset: int(s, 2),
      countInit: int(s, 3),
      active: active === undefined ? undefined : active !== 0,
      line: s.line,
    };
  });
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
  return file.all("LA1").map((s) => ({
    list: int(s, 1),
    product: el(s, 2) ?? "",
    price: int(s, 3),
    vendsInit: int(s, 4),
    vendsReset: int(s, 5),
    line: s.line,
  }));
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
  const id1 = file.first("ID1");
  const id4 = file.first("ID4");
  const id5 = file.first("ID5");
  return {
    machineSerial: el(id1, 1) || undefined,
    machineModel: el(id1, 2) || undefined,
    assetNumber: el(id1, 6) || undefined,
    decimals: int(id4, 1),
    currency: el(id4, 3) || undefined,
    date: el(id5, 1) || undefined,
    time: el(id5, 2) || undefined,
  };
}

/** Paid, test and free vend totals (VA1, VA2, VA3). */
export function vendTotals(file: AuditFile): {
  paid: Counters | undefined;
  test: Counters | undefined;
  free: Counters | undefined;
} {
  return {
    paid: valueFirst(file.first("VA1")),
    test: valueFirst(file.first("VA2")),
    free: valueFirst(file.first("VA3")),
  };
}

/** Cashless device 1 sales (DA2). */
export function cashlessSales(file: AuditFile): Counters | undefined {
  return valueFirst(file.first("DA2"));
}
