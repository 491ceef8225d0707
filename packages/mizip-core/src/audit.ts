import { buildAudit, type SegmentInput, write } from "@vendkit/evadts";
import type { PricingConfig } from "@vendkit/pricing";
import { wallClock } from "./clock.js";
import {
  billCount,
  changerCoinCount,
  coinCount,
  errorCounter,
  lineCount,
  listSaleCounter,
  type ProductElement,
  productCounter,
  S,
  userGroupCounter,
  V,
} from "./counters.js";
import type { NumericName, SystemParameters } from "./parameters.js";
import type { Collection } from "./statistics.js";

/**
 * The EVA-DTS audit of a collection (MiZip Plus manual 7.1, 7.4, 7.5; digest §13), in the
 * audit modes that speak EVA-DTS. Parameter 40007 numbers the modes: 0 standard, 1 Maxi Key,
 * 2 extended (N&W's own field layouts, which are not public), 3 DDCMP 6.0, 4 DDCMP 6.0 Plus,
 * 5 DEX 6.0, 6 DEX 6.0 Plus. The 6.0 modes carry identification, totals, cash and key sales
 * and the cash and key-0 price lists; Plus adds test and free vends, overpay, tube fill,
 * recharges, the price lists of key levels 1-3 and the error counters.
 *
 * Period data is "since last reset", historic data "since initialisation".
 */
export type AuditMode = "ddcmp-6.0" | "ddcmp-6.0-plus" | "dex-6.0" | "dex-6.0-plus";

export class AuditModeUnsupported extends Error {
  readonly code = "AUDIT_MODE_UNSUPPORTED" as const;
  constructor(readonly parameter: number) {
    super(`audit mode ${parameter} (standard, Maxi Key or extended) is N&W's own format, not EVA-DTS`);
    this.name = "AuditModeUnsupported";
  }
}

/** Parameter 40007 as an EVA-DTS audit mode; throws `AuditModeUnsupported` for 0..2. */
export function auditMode(parameter: number): AuditMode {
  const modes: Record<number, AuditMode> = {
    3: "ddcmp-6.0",
    4: "ddcmp-6.0-plus",
    5: "dex-6.0",
    6: "dex-6.0-plus",
  };
  const mode = modes[parameter];
  if (mode === undefined) throw new AuditModeUnsupported(parameter);
  return mode;
}

/** A coin tube as the audit reports it: its coin's value and the coins a customer could get. */
export interface CoinTube {
  readonly value: number;
  readonly count: number;
}

export interface AuditIdentity {
  /** The payment system's serial number: ID101, DA101 and the DXS communication ID (≤ 10). */
  readonly serial: string;
  /** ID102 / DA102. */
  readonly model: string;
  /** DA103. */
  readonly softwareVersion: string;
  /** ID703: the payment system's maker code (the manual's N&W readers write NIS). */
  readonly manufacturer?: string;
  /** CA1: the reader's own MDB coin changer, as it identified itself, when it drives one. */
  readonly coinMechanism?: DeviceIdentity;
  /** BA1: the reader's own MDB bill validator, likewise. */
  readonly billValidator?: DeviceIdentity;
  /** EA304: who collects (the handheld's ID), when known. */
  readonly collector?: string;
}

const ISO_4217: Readonly<Record<number, string>> = { 978: "EUR", 756: "CHF", 826: "GBP", 840: "USD" };

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** An instant as the audit's date and time, in the reader's local time (manual 8.1). */
function dateTime(at: number, shortDate: boolean, timeZone: string): [string, string] {
  const w = wallClock(at, timeZone);
  const year = shortDate ? pad(w.year % 100, 2) : pad(w.year, 4);
  return [`${year}${pad(w.month, 2)}${pad(w.day, 2)}`, `${pad(w.hour, 2)}${pad(w.minute % 60, 2)}`];
}

/** A peripheral's identification (MDB EXPANSION IDENTIFICATION): serial, model, software version. */
export interface DeviceIdentity {
  readonly serial: string;
  readonly model: string;
  readonly version: string;
}

/** The audit of `collection` as EVA-DTS bytes, envelope (DXS, ST, G85, SE, DXE) included. */
export function auditFile(
  collection: Collection,
  params: SystemParameters,
  pricing: PricingConfig,
  identity: AuditIdentity,
  mode: AuditMode,
  /** The coins in the reader's changer's tubes (`PaymentSystem.coinTubes`), for CA17. */
  coinTubes: readonly CoinTube[] = [],
): Uint8Array {
  const plus = mode.endsWith("plus");
  const [date, time] = dateTime(collection.at, mode.startsWith("dex"), params.clock.timeZone);
  const p = (name: string) => collection.period[name] ?? 0;
  const h = (name: string) => collection.historic[name] ?? 0;
  /** value-first counters: since initialisation, then since the last reset */
  const counters = (value: (f: typeof p) => number, count: (f: typeof p) => number) =>
    [value(h), count(h), value(p), count(p)].map(String);
  const n = params.numeric;
  const body: SegmentInput[] = [];
  const seg = (tag: string, ...elements: (string | number)[]) =>
    body.push({ tag, elements: elements.map(String) });

  // identification: ID104 customer code, ID106 reader + machine code (manual 7.5 list 15)
  const asset = n.machineCodeSize === 1 ? params.machineCode : `${params.readerCode}${params.machineCode}`;
  seg("ID1", identity.serial, identity.model, "", pad(n.customerCode, 5), "", asset);
  const country = n.mdbCountryCode.toString(16).padStart(4, "0");
  seg("ID4", n.decimalPoint, country, ISO_4217[Number.parseInt(country.slice(1), 10)] ?? "");
  seg("ID5", date, time);
  // ID7 (7.5 list 15): the payment system as index 1, category 21, its maker, serial, model, version
  if (plus)
    seg("ID7", 1, 21, identity.manufacturer ?? "", identity.serial, identity.model, identity.softwareVersion);

  const paidValue = (f: typeof p) => f(S.cashSales) + f(S.keySales);
  const paidCount = (f: typeof p) => f(V.cashVends) + f(V.keyVends);
  seg("VA1", ...counters(paidValue, paidCount));
  if (plus) {
    seg(
      "VA2",
      ...counters(
        () => 0,
        (f) => f(errorCounter(15)),
      ),
    );
    seg(
      "VA3",
      ...counters(
        (f) => f(S.freeSales),
        (f) => f(V.freeVends),
      ),
    );
  }

  // manual 7.4: CODICE GETTONIERA (005), "the code of the change-giver, if used": CA101, the
  // coin mechanism's identification (our reading; nothing is sent while it is 000000)
  // the reader's own changer says who it is; otherwise the code programmed (005), if any
  const mech = identity.coinMechanism;
  if (mech !== undefined) seg("CA1", mech.serial, mech.model, mech.version);
  else if (n.coinMechCode > 0) seg("CA1", pad(n.coinMechCode, 6));
  if (identity.billValidator !== undefined)
    seg("BA1", identity.billValidator.serial, identity.billValidator.model, identity.billValidator.version);
  seg(
    "CA2",
    ...counters(
      (f) => f(S.cashSales),
      (f) => f(V.cashVends),
    ),
  );
  const cashIn = (f: typeof p) => f(S.coinsIn) + f(S.billsIn);
  // CA3: in / to box / to tubes / bills, since reset then since init, then 6.0's bills again
  // with the reader's own changer, where its coins went (V12 cash box, V13 tubes)
  const routed = (f: typeof p, c: string) => (coinTubes.length > 0 ? f(c) : "");
  seg(
    "CA3",
    cashIn(p),
    routed(p, V.cashToBox),
    routed(p, V.cashToTubes),
    p(S.billsIn),
    cashIn(h),
    routed(h, V.cashToBox),
    routed(h, V.cashToTubes),
    h(S.billsIn),
    p(S.billsIn),
    h(S.billsIn),
  );
  // CA4 (7.5 list 1): change paid from the tubes by the reader's changer (S120), then what was
  // dispensed by hand at the changer (S122), since reset, then since init
  seg("CA4", p(S.changePaid), p(S.manualDispense), h(S.changePaid), h(S.manualDispense));
  if (plus) {
    seg("CA8", p(S.overprice), h(S.overprice));
    // per coin and bill line of the parallel validator and acceptor (7.5 list 1): value, then
    // the number taken since reset and since initialisation (where they went is not known)
    for (let line = 1; line <= 8; line++) {
      const value = n[`coin${line}Value` as NumericName];
      const count = coinCount(line) as string;
      if (value > 0 || h(count) > 0) seg("CA11", value, p(count), "", "", h(count));
    }
    // the reader's own MDB changer's coin types 1-16, their values as it reported them
    // (20033-20048), in, to the cash box, to the tubes
    for (let type = 1; type <= 16; type++) {
      const count = (what: "in" | "box" | "tubes") => changerCoinCount(type, what) as string;
      const value = n[`mdbCoinValue${type}` as NumericName];
      if (h(count("in")) > 0)
        seg(
          "CA11",
          value,
          ...(["in", "box", "tubes"] as const).map((w) => p(count(w))),
          ...(["in", "box", "tubes"] as const).map((w) => h(count(w))),
        );
    }
    for (let line = 1; line <= 4; line++) {
      const value = n[`bill${line}Value` as NumericName];
      const count = billCount(line) as string;
      if (value > 0 || h(count) > 0) seg("CA14", value, p(count), "", h(count));
    }
    // CA10 (7.5 list 1): coins loaded into the tubes by hand (S121), since reset and since init
    seg("CA10", p(S.tubeFill), h(S.tubeFill));
    // CA15: what the tubes hold now, when the reader drives a changer
    if (coinTubes.length > 0)
      seg(
        "CA15",
        coinTubes.reduce((sum, t) => sum + t.value * t.count, 0),
      );
  }

  // CA17 (7.5 list 1): each tube's coin value and the coins in it above the changer's floor
  coinTubes.forEach((t, i) => {
    seg("CA17", i + 1, t.value, t.count);
  });

  seg("DA1", identity.serial, identity.model, identity.softwareVersion);
  seg(
    "DA2",
    ...counters(
      (f) => f(S.keySales),
      (f) => f(V.keyVends),
    ),
  );
  if (plus) {
    // DA4: credit loaded on keys (7.5 "total recharges"), since init then since reset
    const loaded = (f: typeof p) => f(S.cashRecharges) + f(S.programmedCredit);
    seg("DA4", loaded(h), loaded(p));
    // DA9: failed key vends whose charge stayed on (refund OFF), since reset then since init
    seg("DA9", p(S.failedKeyVends), h(S.failedKeyVends));
  }

  // products (manual 7.5 lists 12-13): PA1*line*cash price*name, PA2 paid and discounted sales,
  // PA4 free ones (Plus); number then value, since initialisation then since the last reset
  const lines = Math.min(pricing.lines, 100);
  for (let line = 1; line <= lines; line++) {
    const pc = (element: ProductElement) => productCounter(line, element) as string;
    const numberValue = (n: ProductElement, v: ProductElement) => [h(pc(n)), h(pc(v)), p(pc(n)), p(pc(v))];
    // 4.4.7: the names go out in the Plus modes only
    if (plus) seg("PA1", line, pricing.cash[line - 1] ?? 0, pricing.names[line - 1] ?? "");
    else seg("PA1", line, pricing.cash[line - 1] ?? 0);
    seg("PA2", ...numberValue(201, 202), ...numberValue(205, 206));
    if (plus) seg("PA4", ...numberValue(401, 402));
  }

  // price lists: LA1*list*line*price*vends since init*vends since reset (manual 7.5 lists 0-4)
  const list = (number: number, medium: "cash" | 0 | 1 | 2 | 3, prices: readonly number[]) => {
    for (let line = 1; line <= lines; line++) {
      const counter = lineCount(medium, line) as string;
      seg("LA1", number, line, prices[line - 1] ?? 0, h(counter), p(counter));
    }
  };
  list(0, "cash", pricing.cash);
  list(1, 0, pricing.keys[0].prices);
  if (plus)
    for (const level of [1, 2, 3] as const)
      if (pricing.keys[level].mode === "on") list(level + 1, level, pricing.keys[level].prices);

  // lists 5 and 6 (7.5 lists 9-10): the lines' free, loyalty, bonus-token, promotion and
  // happy-hour sales, LA1*list*n*price*since init*since reset; list 5 carries the line's cash
  // price, list 6 none (its format leaves LA103 out). Only entries with sales go out.
  if (plus)
    for (const kind of ["free", "loyalty", "bonus1", "bonus2", "promotion", "happy-hour"] as const)
      for (let line = 1; line <= lines; line++) {
        const entry = listSaleCounter(kind, line);
        if (entry === undefined || h(entry.counter) === 0) continue;
        const price = entry.list === 5 ? (pricing.cash[line - 1] ?? 0) : "";
        seg("LA1", entry.list, entry.n, price, h(entry.counter), p(entry.counter));
      }

  // list 7 (7.5 list 11 "dati vari"): LA1*7*n**since init*since reset, for every n the table
  // pairs with a counter kept here; deposits (18), payroll (25), the "revenue of failed sales"
  // with bonus or loyalty (28, 29), credit cards (36) and VMC free vends (37) are not kept
  if (plus) {
    const various: [number, string][] = [
      [1, S.failedCashVends],
      [2, S.overprice],
      [3, S.programmedCredit],
      [4, S.bonus],
      [5, S.cashOutOfTable],
      [6, S.keyOutOfTable],
      [17, S.cashRecharges],
      [19, S.bonus1Sales],
      [20, S.bonus2Sales],
      [21, S.loyaltyPointSales],
      [22, S.promotionSales],
      [23, S.programmerCredit],
      [24, S.rechargeKeyCredit],
      [26, S.bonus1CreditGiven],
      [27, S.loyaltyCredit],
      [30, S.discounts],
      [31, V.cashOutOfTableVends],
      [32, V.keyOutOfTableVends],
      [33, V.freeOutOfTableVends],
      [34, V.freeOutOfTable],
      [35, V.bonusCreditLapsed],
    ];
    // n = 7-16: bonus and free sales of user groups 1-5, only with user groups ON
    if (n.userGroupsOn === 1)
      for (let group = 1; group <= 5; group++)
        for (const kind of ["bonus", "free"] as const)
          various.push([5 + 2 * group + (kind === "free" ? 1 : 0), userGroupCounter(kind, group) as string]);
    for (const [number, counter] of various.sort((a, b) => a[0] - b[0]))
      seg("LA1", 7, number, "", h(counter), p(counter));
    // n = 201-300: the conversion table, each line's machine number in LA104, when it is ON
    if (pricing.conversion.mode !== "off")
      pricing.conversion.numbers.forEach((selection, i) => {
        if (selection > 0) seg("LA1", 7, 201 + i, "", selection);
      });
  }

  if (plus) {
    for (let code = 1; code <= 16; code++) {
      const name = errorCounter(code);
      if (h(name) > 0 || p(name) > 0) seg("EA2", `NE${code}`, p(name), h(name), 0);
    }
    // 7.5 list 14: SA key writes, SB key reads, SC power restores, SD power failures (SE, the
    // programming state "for N&W's use only", and SF, the last error, are not kept)
    for (const [event, counter] of [
      ["NSA", S.keyWrites],
      ["NSB", S.keyReads],
      ["NSC", S.powerRestores],
      ["NSD", S.powerFailures],
    ] as const)
      seg("EA2", event, p(counter), h(counter), 0);
  }
  // EA3 (7.5 list 15): collections with a reset so far (S47), this one's date, time and
  // collector, then the previous collection's date and time
  const [previousDate, previousTime] =
    collection.previous === undefined
      ? ["", ""]
      : dateTime(collection.previous, mode.startsWith("dex"), params.clock.timeZone);
  // EA309 every reading so far, EA310 those with a reset (7.5 list 15; as an N&W Kalea writes it)
  seg(
    "EA3",
    h(S.collections),
    date,
    time,
    identity.collector ?? "",
    previousDate,
    previousTime,
    "",
    "",
    h(V.readings),
    h(S.collections),
  );
  // EA7 (7.5 list 15): power restored, since reset then since init
  if (plus) seg("EA7", p(S.powerRestores), h(S.powerRestores));

  return write(buildAudit(body, { communicationId: identity.serial.slice(0, 10) }));
}
