import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cashlessSales,
  cashTotals,
  events,
  identification,
  type Product,
  priceLists,
  products,
  vendTotals,
} from "./accessors.js";
import type { AuditFile } from "./audit-file.js";
import { decodeSegment, toInt } from "./decode.js";
import { parse } from "./parse.js";
import { formatMoney, summarize } from "./summary.js";
import { goldenFile, REAL_CORPUS_DIR, realCorpus } from "./test-support.js";

const plus = parse(goldenFile("mizip-ddcmp60-plus.eva_dts"));

describe("typed accessors on what a machine should not send", () => {
  it("takes an ID401 of more than one digit as no decimal point position, and summarizes the file", () => {
    // found by fuzzing (packages/fuzz, evadts-file): ID4*20261122 made summarize pad every amount
    // to twenty million digits, a RangeError
    const file = parse("DXS*VKT0000001*VA*V0/6*1\r\nID4*20261122*1978*EUR\r\nPA1*1*120\r\nDXE*1*1\r\n");
    expect(identification(file).decimals).toBeUndefined();
    expect(identification(file).currency).toBe("EUR");
    expect(summarize(file)).toContain("1.20");
  });
});

describe("typed accessors on the MiZip DDCMP 6.0 Plus golden file", () => {
  it("identifies the machine and the reading", () => {
    expect(identification(plus)).toEqual({
      machineSerial: "NIS0012345",
      machineModel: "MIZIP PLUS",
      assetNumber: "000123004567",
      decimals: 2,
      currency: "EUR",
      date: "20261122",
      time: "1830",
    });
  });

  it("groups PA1 with its PA2/PA3/PA4/PA7", () => {
    const list = products(plus);
    expect(list.map((p) => [p.id, p.name, p.price])).toEqual([
      ["1", "ESPRESSO", 50],
      ["2", "CAPPUCCINO", 60],
      ["3", "CIOCCOLATA", 80],
    ]);
    const first = list[0];
    expect(first?.paid).toEqual({ countInit: 170, valueInit: 8050, countReset: 38, valueReset: 1750 });
    expect(first?.test).toEqual({ countInit: 3, valueInit: 150, countReset: 1, valueReset: 50 });
    expect(first?.free).toEqual({ countInit: 10, valueInit: 500, countReset: 2, valueReset: 100 });
    expect(first?.byMedium).toEqual([
      {
        medium: "CA",
        priceList: 0,
        price: 50,
        sales: { countInit: 90, valueInit: 4500, countReset: 20, valueReset: 1000 },
      },
      {
        medium: "DA",
        priceList: 1,
        price: 45,
        sales: { countInit: 80, valueInit: 3600, countReset: 18, valueReset: 810 },
      },
    ]);
    expect(list[1]?.byMedium).toEqual([]);
  });

  it("reads cash totals from CA2, CA3 and CA4, preferring the 6.0 bill elements", () => {
    expect(cashTotals(plus)).toEqual({
      sales: { valueInit: 9800, countInit: 162, valueReset: 2400, countReset: 40 },
      cashIn: {
        inReset: 12500,
        toBoxReset: 7500,
        toTubesReset: 5000,
        billsReset: 2000,
        inInit: 52000,
        toBoxInit: 31000,
        toTubesInit: 21000,
        billsInit: 8000,
      },
      dispensed: { reset: 2100, manualReset: 300, init: 9400 },
    });
    const dex = parse(goldenFile("mizip-dex60.eva_dts"));
    expect(cashTotals(dex).cashIn?.billsReset).toBe(0);
    expect(cashTotals(dex).dispensed).toBeUndefined();
  });

  it("reads events and counters", () => {
    expect(events(plus)).toEqual({
      occurrences: [{ id: "NE1", date: "20261118", time: "0912", duration: 0, line: 79 }],
      counters: [
        { id: "NE1", countReset: 1, countInit: 3, active: false, line: 80 },
        { id: "NE2", countReset: 0, countInit: 1, active: false, line: 81 },
        { id: "NSA", countReset: 0, countInit: 0, active: false, line: 82 },
      ],
    });
  });

  it("reads price lists, including list 7 with no price", () => {
    const lists = priceLists(plus);
    expect(lists).toHaveLength(9);
    expect(lists[0]).toEqual({ list: 0, product: "1", price: 50, vendsInit: 90, vendsReset: 20, line: 53 });
    expect(lists[7]).toEqual({
      list: 7,
      product: "2",
      price: undefined,
      vendsInit: 40,
      vendsReset: 10,
      line: 60,
    });
  });

  it("reads vend totals and cashless sales", () => {
    expect(vendTotals(plus).paid).toEqual({
      valueInit: 18560,
      countInit: 312,
      valueReset: 4560,
      countReset: 78,
    });
    expect(vendTotals(plus).free?.countInit).toBe(24);
    expect(cashlessSales(plus)).toEqual({
      valueInit: 8760,
      countInit: 150,
      valueReset: 2160,
      countReset: 38,
    });
  });
});

describe("decodeSegment", () => {
  it("names and types each element", () => {
    const seg = plus.first("CA17");
    expect(seg).toBeDefined();
    const decoded = decodeSegment(seg as NonNullable<typeof seg>);
    expect(decoded.name).toBe("coin tube");
    expect(decoded.elements.slice(0, 3)).toEqual([
      { id: "CA1701", name: "tube number", type: "N", raw: "1", value: 1 },
      { id: "CA1702", name: "coin value", type: "N", raw: "10", value: 10 },
      { id: "CA1703", name: "number of coins in tube", type: "N", raw: "45", value: 45 },
    ]);
  });

  it("keeps unknown segments as text", () => {
    expect(decodeSegment({ tag: "ZZ1", elements: ["7", ""] })).toEqual({
      tag: "ZZ1",
      name: undefined,
      elements: [
        { id: "ZZ101", name: "element 1", type: "AN", raw: "7", value: "7" },
        { id: "ZZ102", name: "element 2", type: "AN", raw: "", value: undefined },
      ],
    });
  });

  it("reads integers and nothing else", () => {
    expect(toInt("0042")).toBe(42);
    expect(toInt("-5")).toBe(-5);
    for (const bad of ["", "4.2", "8Q", " 1", "99999999999999999999", undefined])
      expect(toInt(bad)).toBeUndefined();
  });
});

describe("summary", () => {
  it("formats money with the file's decimals", () => {
    expect(formatMoney(5, 2)).toBe("0.05");
    expect(formatMoney(-1234, 2)).toBe("-12.34");
    expect(formatMoney(1234, 0)).toBe("1234");
    expect(formatMoney(undefined, 2)).toBe("-");
  });

  it("prints products, totals and cash in", () => {
    const out = summarize(plus);
    expect(out).toContain("Machine NIS0012345 (MIZIP PLUS), read 20261122 1830, amounts in EUR");
    expect(out).toMatch(/^1 +ESPRESSO +0\.50 +170 +80\.50 +38 +17\.50$/m);
    expect(out).toMatch(/^Cash sales \(CA2\) +162 +98\.00 +40 +24\.00$/m);
    expect(out).toMatch(/^Bills +20\.00 +80\.00$/m);
    expect(out).toContain("91 segments, 0 errors, 0 warnings");
  });
});

/**
 * The accessors written plainly over `segments()`, as the rules read: the reference the in-place
 * readers must agree with.
 */
const plain = {
  int: (s: { elements: readonly string[] } | undefined, n: number) => toInt(s?.elements[n - 1]),
  str: (s: { elements: readonly string[] } | undefined, n: number) => s?.elements[n - 1],
  counters(s: { elements: readonly string[] } | undefined, valueFirst: boolean) {
    if (!s) return undefined;
    const [a, b, c, d] = [1, 2, 3, 4].map((n) => plain.int(s, n));
    return valueFirst
      ? { valueInit: a, countInit: b, valueReset: c, countReset: d }
      : { countInit: a, valueInit: b, countReset: c, valueReset: d };
  },
  products(file: AuditFile) {
    const out: ReturnType<typeof products> = [];
    for (const s of file.segments()) {
      const last = out[out.length - 1] as { -readonly [K in keyof Product]: Product[K] } | undefined;
      if (s.tag === "PA1") {
        const name = plain.str(s, 3)?.trimEnd();
        out.push({
          id: plain.str(s, 1) ?? "",
          price: plain.int(s, 2),
          name: name === "" ? undefined : name,
          paid: undefined,
          test: undefined,
          free: undefined,
          byMedium: [],
          line: s.line,
        });
      } else if (last && s.tag === "PA2") last.paid = plain.counters(s, false);
      else if (last && s.tag === "PA3") last.test = plain.counters(s, false);
      else if (last && s.tag === "PA4") last.free = plain.counters(s, false);
      else if (last && s.tag === "PA7")
        (last.byMedium as unknown[]).push({
          medium: plain.str(s, 2) ?? "",
          priceList: plain.int(s, 3),
          price: plain.int(s, 4),
          sales: {
            countInit: plain.int(s, 5),
            valueInit: plain.int(s, 6),
            countReset: plain.int(s, 7),
            valueReset: plain.int(s, 8),
          },
        });
    }
    return out;
  },
};

describe("typed accessors read in place what a plain reading of the segments gives", () => {
  const check = (file: AuditFile) => {
    expect(products(file)).toEqual(plain.products(file));
    const first = (tag: string) => file.first(tag);
    const ca3 = first("CA3");
    const ca4 = first("CA4");
    expect(cashTotals(file)).toEqual({
      sales: plain.counters(first("CA2"), true),
      cashIn: ca3 && {
        inReset: plain.int(ca3, 1),
        toBoxReset: plain.int(ca3, 2),
        toTubesReset: plain.int(ca3, 3),
        billsReset: plain.int(ca3, 9) ?? plain.int(ca3, 4),
        inInit: plain.int(ca3, 5),
        toBoxInit: plain.int(ca3, 6),
        toTubesInit: plain.int(ca3, 7),
        billsInit: plain.int(ca3, 10) ?? plain.int(ca3, 8),
      },
      dispensed: ca4 && { reset: plain.int(ca4, 1), manualReset: plain.int(ca4, 2), init: plain.int(ca4, 3) },
    });
    expect(events(file)).toEqual({
      occurrences: file.all("EA1").map((s) => ({
        id: plain.str(s, 1) ?? "",
        date: plain.str(s, 2) || undefined,
        time: plain.str(s, 3) || undefined,
        duration: plain.int(s, 4),
        line: s.line,
      })),
      counters: file.all("EA2").map((s) => ({
        id: plain.str(s, 1) ?? "",
        countReset: plain.int(s, 2),
        countInit: plain.int(s, 3),
        active: plain.int(s, 4) === undefined ? undefined : plain.int(s, 4) !== 0,
        line: s.line,
      })),
    });
    const [id1, id4, id5] = ["ID1", "ID4", "ID5"].map(first);
    const point = plain.int(id4, 1);
    expect(identification(file)).toEqual({
      machineSerial: plain.str(id1, 1) || undefined,
      machineModel: plain.str(id1, 2) || undefined,
      assetNumber: plain.str(id1, 6) || undefined,
      decimals: point !== undefined && point >= 0 && point <= 9 ? point : undefined, // one digit
      currency: plain.str(id4, 3) || undefined,
      date: plain.str(id5, 1) || undefined,
      time: plain.str(id5, 2) || undefined,
    });
    expect(vendTotals(file)).toEqual({
      paid: plain.counters(first("VA1"), true),
      test: plain.counters(first("VA2"), true),
      free: plain.counters(first("VA3"), true),
    });
    expect(cashlessSales(file)).toEqual(plain.counters(first("DA2"), true));
    expect(priceLists(file)).toEqual(
      file.all("LA1").map((s) => ({
        list: plain.int(s, 1),
        product: plain.str(s, 2) ?? "",
        price: plain.int(s, 3),
        vendsInit: plain.int(s, 4),
        vendsReset: plain.int(s, 5),
        line: s.line,
      })),
    );
  };

  it("on the golden files and, when present, the shared real corpus", () => {
    const real = realCorpus();
    if (real === undefined) console.log(`real corpus absent at ${REAL_CORPUS_DIR}: golden files only`);
    const files = [goldenFile("mizip-ddcmp60-plus.eva_dts"), goldenFile("mizip-dex60.eva_dts")];
    for (const f of [...files, ...(real ?? []).map((r) => r.bytes)]) check(parse(f));
  });

  it("on any mix of segments, numbers and elements", () => {
    const number = fc.constantFrom(
      "",
      "0",
      "007",
      "-5",
      "-",
      "-0",
      "12a",
      "4.2",
      "99999999999999999999",
      "123456789012345",
    );
    const tag = fc.constantFrom(
      "PA1",
      "PA2",
      "PA3",
      "PA4",
      "PA7",
      "EA1",
      "EA2",
      "CA2",
      "CA3",
      "CA4",
      "ID1",
      "ID4",
      "ID5",
      "VA1",
      "VA3",
      "DA2",
      "LA1",
      "pa1",
    );
    const segment = fc
      .tuple(tag, fc.array(fc.oneof(number, fc.constantFrom("CA", "NAME  ", "X")), { maxLength: 24 }))
      .map(([t, els]) => [t, ...els].join("*"));
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 30 }), fc.constantFrom("\r\n", "\n"), (lines, eol) => {
        check(parse(lines.join(eol)));
      }),
      { numRuns: 300 },
    );
  });
});
