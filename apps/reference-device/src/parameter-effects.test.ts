import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { NUMERIC_PARAMETERS, S } from "@vendkit/mizip-core";
import { describe, expect, it } from "vitest";
import { Device } from "./device.js";

/**
 * The parameter-effect conformance suite (issue "One source of truth", item 2): every numeric
 * parameter of table 5.2 is either
 * - `here`: set through the programmer API in a test of this file, its effect observed where a
 *   user would see it;
 * - `tested`: the test named in the file named does that (the title is checked to exist);
 * - `display`: it changes only what a display of the original shows, with the manual's sentence;
 * - `pending`: its effect belongs to another open issue, named by its title.
 * The first test fails on any parameter that is in none of them, or in two.
 */
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");
const dir = () => mkdtempSync(join(tmpdir(), "vendkit-effects-"));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

type Coverage =
  | { readonly how: "tested"; readonly file: string; readonly test: string }
  | { readonly how: "display"; readonly quote: string }
  | { readonly how: "pending"; readonly issue: string };

const READER =
  "What the manual promises an operator: clock, in-machine top-up, the reader's own cash devices, true audits";
const CONSOLE =
  "The programmer console a vending technician can use safely, and the same care in every CLI and the portal";
const core = (f: string) => `packages/mizip-core/src/${f}`;
const dev = (f: string) => `apps/reference-device/src/${f}`;

const COVERAGE: [readonly number[], Coverage][] = [
  [
    [0, 1, 2],
    {
      how: "tested",
      file: core("access.test.ts"),
      test: "refuses a different operator code (never a wildcard), customer or department: ERR 2",
    },
  ],
  [
    [5],
    {
      how: "tested",
      file: core("audit-port.test.ts"),
      test: "reports the coin mechanism code (005) as CA101 when one is set",
    },
  ],
  [
    [6, 7, 40008, 40010],
    {
      how: "tested",
      file: dev("audit-port.test.ts"),
      test: "changing a DDCMP setting in the console changes what the next collection does",
    },
  ],
  [
    [8],
    {
      how: "tested",
      file: dev("device.test.ts"),
      test: "takes over the previous operator's keys, in the formatting menu and with EURO ON",
    },
  ],
  [
    [9],
    {
      how: "tested",
      file: core("password.test.ts"),
      test: "guards each protected operation once programmed: missing or wrong refused, right accepted",
    },
  ],
  [
    [10],
    {
      how: "tested",
      file: core("audit.test.ts"),
      test: "adds the user groups' bonus and free sales (n = 7-16) only with user groups ON, and only in Plus",
    },
  ],
  [
    [15],
    {
      how: "tested",
      file: core("audit.test.ts"),
      test: "uses the reader and machine codes as the asset number, the machine code alone at 12 characters",
    },
  ],
  [
    [20000],
    {
      how: "tested",
      file: core("payment-system.test.ts"),
      test: "keeps coins as cash credit when coins are for sales only (4.6.1)",
    },
  ],
  [
    [20001, 30000],
    {
      how: "tested",
      file: dev("device.test.ts"),
      test: "--protocol sets it; a change from the programmer takes effect at the next start",
    },
  ],
  [
    [...range(20002, 20009), ...range(21002, 21005)],
    {
      how: "tested",
      file: dev("device.test.ts"),
      test: "takes coins and bills by line at their programmed values, counted per type",
    },
  ],
  [range(20010, 20016), { how: "pending", issue: READER }],
  [
    [...range(20017, 20032), ...range(21006, 21021), 21001],
    {
      how: "tested",
      file: core("payment-system.test.ts"),
      test: "enables the coin types and MDB bill types the parameters enable (20017-20032, 21006-21021)",
    },
  ],
  [[...range(20033, 20048), ...range(21022, 21053)], { how: "pending", issue: READER }],
  [
    [20049],
    {
      how: "tested",
      file: core("payment-system.test.ts"),
      test: "returns coins before a sale only with the escrow lever ON (4.8.3)",
    },
  ],
  [
    [20050],
    {
      how: "tested",
      file: core("payment-system.test.ts"),
      test: "after a multiple-vend sale the lever returns the rest, but never above the max change (4.8.4)",
    },
  ],
  [
    [20051],
    {
      how: "tested",
      file: core("change-rules.test.ts"),
      test: "starts below minimum level plus safety coins: the manual's 7 + 2 example",
    },
  ],
  [
    [20052, ...range(20053, 20068)],
    {
      how: "tested",
      file: core("payment-system.test.ts"),
      test: "with change short: bills off, chosen coins only, or the exact amount only (4.8.6)",
    },
  ],
  [
    [21000],
    {
      how: "tested",
      file: dev("device.test.ts"),
      test: "with bills disabled (21000 = 0) a bill is given back and becomes no credit",
    },
  ],
  [
    [30001],
    {
      how: "tested",
      file: core("payment-system.test.ts"),
      test: "single vend asks for the key again after each vend; multiple vend does not (4.2.1)",
    },
  ],
  [
    [30002],
    {
      how: "tested",
      file: dev("device.test.ts"),
      test: "30002 decides how a sale is priced: the VMC's price, or the reader's table under price holding",
    },
  ],
  [
    [30003],
    {
      how: "tested",
      file: dev("device.test.ts"),
      test: "30003 is the base coin of every price and the MDB scale factor: the VMC sees money in its units",
    },
  ],
  [
    [30004, 30010, 30011, 30012, 30013, 30014],
    {
      how: "tested",
      file: dev("device.test.ts"),
      test: "configure the reader the VMC sets up: level, currency, decimals, response time",
    },
  ],
  [
    [30006],
    {
      how: "tested",
      file: dev("device.test.ts"),
      test: "waits past 60 s for a machine that takes 90 s to vend only when ON",
    },
  ],
  [
    [40000],
    {
      how: "tested",
      file: dev("device.test.ts"),
      test: "40000 stops cash at insert, cash moved onto the key and the programmer's load; nothing is lost",
    },
  ],
  [
    [40001, 40102],
    {
      how: "tested",
      file: core("access.test.ts"),
      test: "refuses a key technology the reader is not set for, a level that is OFF, a black-listed key, and credit above max",
    },
  ],
  [
    [40002],
    {
      how: "tested",
      file: core("payment-system.test.ts"),
      test: "refunds a failed vend with refund ON, keeps the charge with refund OFF (4.10.5)",
    },
  ],
  [
    [40003],
    {
      how: "tested",
      file: core("payment-system.test.ts"),
      test: "sells from coins and zeroes the rest as overprice when overprice is ON",
    },
  ],
  [
    [40005],
    {
      how: "display",
      quote:
        "4.10.7: «se questo parametro è programmato a ON, sul display LCD opzionale (codice 969037) vengono visualizzati gli eventuali messaggi di errore del sistema MiZip»",
    },
  ],
  [
    [40006],
    {
      how: "tested",
      file: dev("device.test.ts"),
      test: "locks the reader on altered statistics until a collection and a historic reset",
    },
  ],
  [
    [40007],
    {
      how: "tested",
      file: dev("audit-port.test.ts"),
      test: "hands a valid EVA-DTS audit to an external DDCMP collector (40007 = DDCMP 6.0 Plus) and clears the period only after it",
    },
  ],
  [
    [40009, 40016, 40017, 40018],
    {
      how: "tested",
      file: core("audit-port.test.ts"),
      test: "reads BAUD RATE MAX, IrDA, SELECT FLAG, the codes, DATA BLOCK SIZE and ACK TIME OUT",
    },
  ],
  [[40011], { how: "tested", file: core("maxi-box.test.ts"), test: "replaces the oldest when ON OVERWRITE" }],
  [
    [40012],
    {
      how: "tested",
      file: core("payment-system.test.ts"),
      test: "moves one use of a recharge key to the next sale key (manual 3.5)",
    },
  ],
  [
    [40013],
    {
      how: "tested",
      file: core("payment-system.test.ts"),
      test: "sells free with a free key when free keys are ON, counting the list price (4.10.10)",
    },
  ],
  [
    [40100, 40101, 40115],
    {
      how: "tested",
      file: dev("device.test.ts"),
      test: "keeps the number and credit with both OFF; programs a credit with the password",
    },
  ],
  [[40105], { how: "pending", issue: CONSOLE }],
  [
    [40106, 40107, 40108],
    {
      how: "tested",
      file: core("euro.test.ts"),
      test: "takes the key over: this system's codes, its credit in euro, then sells from it",
    },
  ],
  [
    [40110],
    {
      how: "tested",
      file: dev("device.test.ts"),
      test: "keeps the machine's no-change message on in EXECUTIVE MASTER, with or without credit",
    },
  ],
  [
    [40111],
    {
      how: "tested",
      file: core("payment-system.test.ts"),
      test: "refuses a price above the credit, unless negative credit is ON (manual 4.10.1)",
    },
  ],
  [
    [40114],
    {
      how: "display",
      quote:
        "4.10.14: «il parametro “SEPARATORE” ha la funzione di programmare il tipo di carattere che separa i decimi e centesimi dalla parte intera dei prezzi e dei crediti, visualizzati dal programmatore»",
    },
  ],
  [
    [40116],
    {
      how: "tested",
      file: dev("device.test.ts"),
      test: "re-reads the last collection without touching today's data, then turns itself OFF",
    },
  ],
  [
    [40118],
    {
      how: "tested",
      file: core("cash-acceptance.test.ts"),
      test: "refuses during a vend, at the recharge limit, on a full key and past the highest price",
    },
  ],
  [
    [41000],
    {
      how: "tested",
      file: dev("device.test.ts"),
      test: "a black-list key sets a 500-key list, which survives a restart and refuses a listed key",
    },
  ],
];

/** The parameters this file's own tests set through the programmer API. */
const HERE = [30007, 30008, 40117, 59900];

describe("every numeric parameter has an effect a user sees, is display-only, or is pending", () => {
  it("covers each of the 178 parameters of table 5.2 exactly once", () => {
    const all = NUMERIC_PARAMETERS.map((p) => p.number);
    const listed = [...COVERAGE.flatMap(([numbers]) => numbers), ...HERE];
    const twice = listed.filter((n, i) => listed.indexOf(n) !== i);
    expect(twice).toEqual([]);
    expect(all.filter((n) => !listed.includes(n))).toEqual([]);
    expect(listed.filter((n) => !all.includes(n))).toEqual([]);
  });

  it("names tests that exist, quotes the manual for display-only ones, and an open issue for pending ones", () => {
    for (const [numbers, c] of COVERAGE) {
      if (c.how === "tested") {
        const text = readFileSync(join(root, c.file), "utf8");
        expect(text.includes(c.test), `${numbers.join(",")}: "${c.test}" in ${c.file}`).toBe(true);
      } else if (c.how === "display") expect(c.quote).toMatch(/^4\.\d+\.\d+: «.+»$/);
      else expect([READER, CONSOLE]).toContain(c.issue);
    }
  });
});

describe("effects observed here, set through the programmer API", () => {
  it("40117 COPIA TAB. CONTANTI: with it ON a cash price programmed is the key price too", async () => {
    const device = await Device.open(dir());
    await device.setParameter(30002, 2); // price holding: the reader's tables price the sale
    const keySale = async (line: number) => {
      expect((await device.insertKey(0)).ok).toBe(true);
      const paid = await device.select(line);
      await device.removeKey();
      return paid;
    };
    await device.setPrice("cash", 1, 80); // OFF (the default): the key keeps its own price
    expect(await keySale(1)).toBe(50);
    await device.setParameter(40117, 1);
    await device.setPrice("cash", 1, 90);
    expect(await keySale(1)).toBe(90);
    await device.setParameter(10002, 100); // by number as well
    expect(await keySale(2)).toBe(100);
    device.close();
  });

  it("59900 INTERFACCIA MONETE - BANCONOTE: coins only gives bills back, bills only gives coins back", async () => {
    const device = await Device.open(dir());
    await device.setParameter(59900, 0);
    await expect(device.insertBill(1)).rejects.toMatchObject({ code: "CASH_REFUSED", reason: "DISABLED" });
    await device.insertCoin(5);
    await device.setParameter(59900, 2);
    await expect(device.insertCoin(5)).rejects.toMatchObject({ code: "CASH_REFUSED", reason: "DISABLED" });
    await device.setParameter(59900, 1);
    await device.insertBill(1);
    expect(device.pay.statistics.get(S.coinsIn).period).toBe(100);
    expect(device.pay.statistics.get(S.billsIn).period).toBe(500);
    device.close();
  });

  it("30007 RITARDO DISPLAY and 30008 RITARDO COMUNICAZIONE slow what the Executive VMC receives", async () => {
    /** The gaps between the bytes the simulated VMC receives while the device shows a key's credit. */
    const gaps = async (parameter?: number) => {
      const where = dir();
      const device = await Device.open(where, { protocol: "executive-master" });
      if (parameter !== undefined) await device.setParameter(parameter, 1);
      device.close();
      // the link takes its settings when the device starts
      const again = await Device.open(where);
      const vmc = (again.link as unknown as { vmc: { step(b: number, now: number): unknown } }).vmc;
      const seen: { at: number; byte: number }[] = [];
      const step = vmc.step.bind(vmc);
      vmc.step = (b: number, now: number) => {
        seen.push({ at: now, byte: b });
        return step(b, now);
      };
      await again.insertKey(0);
      again.close();
      const block = seen.findIndex((s) => s.byte === 0x38);
      const blockGaps = seen
        .slice(block + 1, block + 10)
        .map((s, i) => s.at - (seen[block + i] as { at: number }).at);
      const allGaps = seen.slice(1).map((s, i) => s.at - (seen[i] as { at: number }).at);
      return { block: Math.min(...blockGaps), all: Math.min(...allGaps) };
    };
    const plain = await gaps();
    const display = await gaps(30007);
    const communication = await gaps(30008);
    expect(plain.block).toBeLessThan(10);
    expect(display.block).toBeGreaterThanOrEqual(50);
    expect(display.all).toBeLessThan(10);
    expect(communication.all).toBeGreaterThanOrEqual(30);
  });
});
