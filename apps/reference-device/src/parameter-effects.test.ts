import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { AuditCollector, type AuditCollectorEvent, localDateTime } from "@vendkit/ddcmp";
import { identification, parse, priceLists } from "@vendkit/evadts";
import { type Holder, holderOf, type PurseState } from "@vendkit/mifare-purse";
import { NUMERIC_PARAMETERS, PasswordRefused, STATISTICS_COUNTERS as S } from "@vendkit/mizip-core";
import { describe, expect, it } from "vitest";
import { ddcmpStation } from "./audit-port.js";
import { Device } from "./device.js";
import type { DurableKey } from "./key-store.js";
import type { MdbLink } from "./mdb-link.js";

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

const CONSOLE =
  "The programmer console a vending technician can use safely, and the same care in every CLI and the portal";
const dev = (f: string) => `apps/reference-device/src/${f}`;

const COVERAGE: [readonly number[], Coverage][] = [
  [
    [6, 7, 40007, 40008, 40010],
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
  [
    [...range(20033, 20048), ...range(21022, 21053)],
    {
      how: "tested",
      file: dev("cash-devices.test.ts"),
      test: "writes the coin and bill values they report into 20033-20048 and 21038-21053; sends 21022-21037 as SECURITY",
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
    [30004, 30010, 30011, 30012, 30013],
    {
      how: "tested",
      file: dev("device.test.ts"),
      test: "configure the reader the VMC sets up: level, currency, decimals, response time, inter-byte time",
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
    [40100, 40101, 40115],
    {
      how: "tested",
      file: dev("device.test.ts"),
      test: "keeps the number and credit with both OFF; programs a credit with the password",
    },
  ],
  [[40105], { how: "pending", issue: CONSOLE }],
  [
    [40110],
    {
      how: "tested",
      file: dev("device.test.ts"),
      test: "keeps the machine's no-change message on in EXECUTIVE MASTER, with or without credit",
    },
  ],
  [
    [40114],
    {
      how: "tested",
      file: dev("console.test.ts"),
      test: "programs, manages a key, sells, charts and downloads the audit with progress",
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
    [41000],
    {
      how: "tested",
      file: dev("device.test.ts"),
      test: "a black-list key sets a 500-key list, which survives a restart and refuses a listed key",
    },
  ],
];

/** The parameters this file's own tests set through the programmer API, as `effect` registers them. */
const HERE: number[] = [];

/** A test of this file that sets `numbers` through the programmer API and observes their effect. */
function effect(
  numbers: readonly number[],
  title: string,
  test: () => Promise<void>,
  timeout?: number,
): void {
  HERE.push(...numbers);
  it(title, test, timeout);
}

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
        const at = text.indexOf(`"${c.test}"`);
        expect(at, `${numbers.join(",")}: "${c.test}" in ${c.file}`).toBeGreaterThan(0);
        // and it programs them as a user does: the device's programmer API, the console's JSON
        // API or its page
        const body = text.slice(at, text.indexOf("\n  });", at));
        expect(body, `${numbers.join(",")}: "${c.test}" sets no parameter`).toMatch(
          /setParameter\(|\bset\(\d|"#param-number"/,
        );
      } else if (c.how === "display") expect(c.quote).toMatch(/^4\.\d+\.\d+: «.+»$/);
      else expect([CONSOLE]).toContain(c.issue);
    }
  });
});

describe("effects observed here, set through the programmer API", () => {
  effect(
    [40117],
    "40117 COPIA TAB. CONTANTI: with it ON a cash price programmed is the key price too",
    async () => {
      const device = await Device.open(dir());
      await device.settings.setParameter(30002, 2); // price holding: the reader's tables price the sale
      const keySale = async (line: number) => {
        expect((await device.insertKey(0)).ok).toBe(true);
        const paid = await device.select(line);
        await device.removeKey();
        return paid;
      };
      await device.settings.setPrice("cash", 1, 80); // OFF (the default): the key keeps its own price
      expect(await keySale(1)).toBe(50);
      await device.settings.setParameter(40117, 1);
      await device.settings.setPrice("cash", 1, 90);
      expect(await keySale(1)).toBe(90);
      await device.settings.setParameter(10002, 100); // by number as well
      expect(await keySale(2)).toBe(100);
      device.close();
    },
  );

  effect(
    [59900],
    "59900 INTERFACCIA MONETE - BANCONOTE: coins only gives bills back, bills only gives coins back",
    async () => {
      const device = await Device.open(dir());
      await device.settings.setParameter(59900, 0);
      await expect(device.cash.insertBill(1)).rejects.toMatchObject({
        code: "CASH_REFUSED",
        reason: "DISABLED",
      });
      await device.cash.insertCoin(5);
      await device.settings.setParameter(59900, 2);
      await expect(device.cash.insertCoin(5)).rejects.toMatchObject({
        code: "CASH_REFUSED",
        reason: "DISABLED",
      });
      await device.settings.setParameter(59900, 1);
      await device.cash.insertBill(1);
      expect(device.pay.statistics.get(S.coinsIn).period).toBe(100);
      expect(device.pay.statistics.get(S.billsIn).period).toBe(500);
      device.close();
    },
  );

  effect(
    [30007, 30008],
    "30007 RITARDO DISPLAY and 30008 RITARDO COMUNICAZIONE slow what the Executive VMC receives",
    async () => {
      /** The gaps between the bytes the simulated VMC receives while the device shows a key's credit. */
      const gaps = async (parameter?: number) => {
        const where = dir();
        const device = await Device.open(where, { protocol: "executive-master" });
        if (parameter !== undefined) await device.settings.setParameter(parameter, 1);
        device.close();
        // the link takes its settings when the device starts
        const again = await Device.open(where);
        const vmc = (
          again.link as unknown as {
            vmc: { receive(bytes: ArrayLike<number>, now: number): unknown };
          }
        ).vmc;
        const seen: { at: number; byte: number }[] = [];
        const receive = vmc.receive.bind(vmc);
        vmc.receive = (bytes: ArrayLike<number>, now: number) => {
          for (const b of Array.from(bytes)) seen.push({ at: now, byte: b });
          return receive(bytes, now);
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
    },
  );
});

const period = (device: Device, name: string) => device.pay.statistics.get(name).period;
const audit = (device: Device) => parse(device.audits.securityRead());
const keyCredit = async (device: Device, index: number) => (await device.state()).keys[index]?.credit;
/** The reader's own MDB changer, its tubes of 0.05, 0.10, 0.20 and 0.50 holding `counts` coins. */
const CHANGER = { changer: { safetyCoins: 2 } } as const;
const tubes = (...counts: number[]) =>
  [5, 10, 20, 50].map((value, i) => ({ type: i + 1, value, count: counts[i] ?? 0 }));

/**
 * Demo key `index` as the operator's office station rewrites it (a free key, a recharge key, another
 * level...): the key-programming station is not the reader, so this is the test's own setup.
 */
async function officeKey(
  device: Device,
  index: number,
  holder: Partial<Holder>,
  state: (s: PurseState) => PurseState = (s) => s,
): Promise<void> {
  const key = device.keys[index] as DurableKey;
  key.card.insert();
  try {
    const view = await device.purses.read(key, 0, [device.settings.params.numeric.operatorCode]);
    await device.purses.rekey(key, view, { ...holderOf(view.identity), ...holder }, state);
  } finally {
    key.card.remove();
  }
}

describe("codes, password and audit identity, set through the programmer API", () => {
  effect(
    [0, 1, 2],
    "000-002: a key of another operator, customer or department is refused with ERR 2",
    async () => {
      const device = await Device.open(dir());
      expect(await device.insertKey(0)).toMatchObject({ ok: true });
      await device.removeKey();
      await device.settings.setParameter(1, 7); // the demo keys carry customer 1
      expect(await device.insertKey(0)).toMatchObject({ ok: false, err: 2 });
      await device.removeKey();
      await device.settings.setParameter(1, 0); // 0: customer not checked
      await device.settings.setParameter(2, 9);
      expect(await device.insertKey(0)).toMatchObject({ ok: false, err: 2 });
      await device.removeKey();
      await device.settings.setParameter(2, 1);
      await device.settings.setParameter(0, 12_345_678);
      expect(await device.insertKey(0)).toMatchObject({ ok: false, err: 2 });
      await device.removeKey();
      expect(period(device, "E2")).toBe(3);
      device.close();
    },
  );

  effect([5], "005: the coin mechanism code appears in the audit as CA101", async () => {
    const device = await Device.open(dir());
    expect(audit(device).first("CA1")).toBeUndefined();
    await device.settings.setParameter(5, 4217);
    expect(audit(device).first("CA1")?.elements).toEqual(["004217"]);
    device.close();
  });

  effect(
    [9],
    "009: once a password is programmed, the operator code, the audit codes and credit loads ask for it",
    async () => {
      const device = await Device.open(dir());
      await device.settings.setParameter(9, 4711);
      await expect(device.settings.setParameter(0, 22_222_222)).rejects.toMatchObject({
        code: "PASSWORD_REQUIRED",
      });
      await expect(device.settings.setParameter(6, 0x1234, 1234)).rejects.toBeInstanceOf(PasswordRefused);
      expect([
        device.settings.params.numeric.operatorCode,
        device.settings.params.numeric.evadtsSecurityCode,
      ]).toEqual([1, 0]);
      await device.settings.setParameter(40000, 1500); // not a protected operation
      await device.settings.setParameter(6, 0x1234, 4711);
      expect(device.settings.params.numeric.evadtsSecurityCode).toBe(0x1234);
      await device.insertKey(2);
      await expect(device.programmerRecharge(300)).rejects.toMatchObject({ code: "PASSWORD_REQUIRED" });
      expect(await device.programmerRecharge(300, 4711)).toBe(300);
      device.close();
    },
  );

  effect(
    [10],
    "010: user groups ON puts the groups' bonus and free sales in the Plus audit (list 7, n = 7-16)",
    async () => {
      const device = await Device.open(dir());
      const list7 = () =>
        priceLists(audit(device))
          .filter((l) => l.list === 7)
          .map((l) => Number(l.product));
      expect(list7()).not.toContain(7);
      await device.settings.setParameter(10, 1);
      expect(list7()).toEqual(expect.arrayContaining([7, 8, 9, 10, 11, 12, 13, 14, 15, 16]));
      await device.settings.setParameter(40007, 3); // DDCMP 6.0: no list 7 at all
      expect(list7()).toEqual([]);
      device.close();
    },
  );

  effect(
    [15],
    "015: the asset number is reader and machine code, or a 12-character machine code alone",
    async () => {
      const device = await Device.open(dir());
      await device.settings.setCodes({ machineCode: "M00042", readerCode: "R00007" });
      expect(identification(audit(device)).assetNumber).toBe("R00007M00042");
      await device.settings.setParameter(15, 1);
      await device.settings.setCodes({ machineCode: "MACHINE00042" });
      expect(identification(audit(device)).assetNumber).toBe("MACHINE00042");
      device.close();
    },
  );
});

describe("coins, bills and the reader's changer, set through the programmer API", () => {
  effect([20000], "20000: coins disabled, for sales only, or for recharges only", async () => {
    const device = await Device.open(dir());
    await device.settings.setParameter(20000, 1); // sales only: with a key in the coin goes back
    await device.insertKey(0);
    await expect(device.cash.insertCoin(5)).rejects.toMatchObject({ reason: "KEY_IN_SALE_ONLY" });
    await device.removeKey();
    await device.cash.insertCoin(5);
    expect(device.pay.machineCredit).toBe(100);
    expect(await device.select(1)).toBe(50);
    await device.settings.setParameter(20000, 3); // recharges only: no key, no coin
    await expect(device.cash.insertCoin(5)).rejects.toMatchObject({ reason: "NO_KEY_RECHARGE_ONLY" });
    await device.insertKey(2);
    await device.cash.insertCoin(5);
    await device.removeKey();
    expect(await keyCredit(device, 2)).toBe(100);
    await device.settings.setParameter(20000, 0);
    await expect(device.cash.insertCoin(5)).rejects.toMatchObject({ reason: "DISABLED" });
    device.close();
  });

  effect(
    [...range(20017, 20032), ...range(21006, 21021), 21001],
    "20017-20032, 21001, 21006-21021: the changer takes only the coin types enabled, the MDB acceptor only the bill types",
    async () => {
      const device = await Device.open(dir(), CHANGER);
      await device.cash.tubes(tubes(20, 20, 20, 20));
      await device.cash.coin(20);
      await device.settings.setParameter(20019, 0); // coin type 3, the 0.20
      await device.cash.tubes(tubes(20, 20, 20, 20));
      await expect(device.cash.coin(20)).rejects.toMatchObject({ reason: "TYPE_DISABLED" });
      await device.cash.coin(10);
      expect(device.pay.machineCredit).toBe(30);
      // an MDB bill acceptor (21001 = 5) is told the bill types enabled; a parallel one has none
      expect(device.pay.acceptance.billTypes).toBeUndefined();
      await device.settings.setParameter(21001, 5);
      await device.settings.setParameter(21007, 0);
      expect(device.pay.acceptance.billTypes).toEqual([1, ...range(3, 16)]);
      device.close();
    },
  );

  effect([20049], "20049: the escrow lever gives coins back before a sale only when ON", async () => {
    for (const [lever, back] of [
      [0, 0],
      [1, 100],
    ] as const) {
      const device = await Device.open(dir(), CHANGER);
      await device.settings.setParameter(20049, lever);
      await device.cash.tubes(tubes(20, 20, 20, 20));
      await device.cash.coin(50);
      await device.cash.coin(50);
      expect(await device.cash.escrow()).toBe(back);
      expect(device.pay.machineCredit).toBe(100 - back);
      device.close();
    }
  });

  effect([20050], "20050: after a sale the lever returns the rest only up to the max change", async () => {
    for (const [max, back] of [
      [200, 0],
      [500, 450],
    ] as const) {
      const device = await Device.open(dir(), CHANGER);
      await device.settings.setParameter(40003, 0); // overprice OFF: the rest stays as credit
      await device.settings.setParameter(20050, max);
      await device.cash.tubes(tubes(20, 20, 20, 20));
      await device.cash.insertBill(1);
      expect(await device.select(1)).toBe(50);
      expect(await device.cash.escrow()).toBe(back);
      device.close();
    }
  });

  effect([20051], "20051: tubes below the minimum level plus the safety coins turn bills off", async () => {
    const device = await Device.open(dir(), CHANGER);
    await device.cash.tubes(tubes(9, 8, 9, 9)); // 7 + 2 safety coins: the 0.10 tube is short
    await expect(device.cash.insertBill(1)).rejects.toMatchObject({ reason: "NO_CHANGE" });
    await device.settings.setParameter(20051, 6);
    await device.cash.tubes(tubes(9, 8, 9, 9));
    await device.cash.insertBill(1);
    expect(device.pay.machineCredit).toBe(500);
    device.close();
  });

  effect(
    [20052, ...range(20053, 20068)],
    "20052-20068: with change short, only the chosen coins, or only the exact amount",
    async () => {
      const chosen = await Device.open(dir(), CHANGER);
      await chosen.settings.setParameter(20052, 1);
      await chosen.settings.setParameter(20053, 1); // 0.05 and 0.10 still taken
      await chosen.settings.setParameter(20054, 1);
      await chosen.cash.tubes(tubes(3, 20, 20, 20));
      await expect(chosen.cash.coin(20)).rejects.toMatchObject({ reason: "TYPE_DISABLED" });
      await expect(chosen.cash.insertBill(1)).rejects.toMatchObject({ reason: "NO_CHANGE" });
      await chosen.cash.coin(10);
      expect(chosen.pay.machineCredit).toBe(10);
      chosen.close();

      const exact = await Device.open(dir(), CHANGER);
      await exact.settings.setParameter(20052, 2);
      await exact.cash.tubes(tubes(3, 20, 20, 20));
      await exact.cash.coin(50);
      await exact.cash.coin(50);
      expect(await exact.select(1)).toBeUndefined(); // 1.00 for 0.50: no change promised
      exact.close();
      const fits = await Device.open(dir(), CHANGER);
      await fits.settings.setParameter(20052, 2);
      await fits.cash.tubes(tubes(3, 20, 20, 20));
      await fits.cash.coin(50);
      expect(await fits.select(1)).toBe(50);
      fits.close();
    },
  );

  effect([40118], "40118: cash stops at the recharge limit; keys keep selling", async () => {
    const device = await Device.open(dir());
    await device.settings.setParameter(40118, 200);
    await device.insertKey(2);
    await device.cash.insertCoin(5);
    await device.cash.insertCoin(5);
    await expect(device.cash.insertCoin(5)).rejects.toMatchObject({ reason: "RECHARGE_LIMIT" });
    expect(await device.select(1)).toBe(50);
    await device.removeKey();
    expect(await keyCredit(device, 2)).toBe(150);
    device.close();
  });
});

describe("sales and keys, set through the programmer API", () => {
  effect(
    [30001],
    "30001: single vend asks for the key again after each vend; multiple vend does not",
    async () => {
      const device = await Device.open(dir());
      await device.settings.setParameter(30001, 1);
      await device.insertKey(1);
      expect(await device.select(1)).toBe(50);
      expect(await device.select(1)).toBeUndefined();
      await device.removeKey();
      await device.insertKey(1);
      expect(await device.select(1)).toBe(50);
      await device.removeKey();
      await device.settings.setParameter(30001, 0);
      await device.insertKey(1);
      expect([await device.select(1), await device.select(1)]).toEqual([50, 50]);
      await device.removeKey();
      expect(await keyCredit(device, 1)).toBe(1000 - 4 * 50);
      device.close();
    },
  );

  effect(
    [40001, 40102],
    "40001, 40102: credit above the max usable, or a key technology not set, is refused",
    async () => {
      const device = await Device.open(dir());
      await device.settings.setParameter(40001, 900);
      expect(await device.insertKey(1)).toMatchObject({ ok: false, err: 7 }); // 10.00 on it
      expect(await device.insertKey(0)).toMatchObject({ ok: true, credit: 500 });
      await device.removeKey();
      await device.settings.setParameter(40102, 0); // 125 kHz keys only: the MIFARE demo keys are not read
      expect(await device.insertKey(0)).toMatchObject({ ok: false, err: 2 });
      await device.removeKey();
      await device.settings.setParameter(40102, 1);
      expect(await device.insertKey(0)).toMatchObject({ ok: true });
      device.close();
    },
  );

  effect([40002], "40002: a failed vend is refunded to the key only with refund ON", async () => {
    for (const [refund, left] of [
      [1, 1000],
      [0, 850],
    ] as const) {
      const device = await Device.open(dir());
      await device.settings.setParameter(40002, refund);
      await device.insertKey(1);
      expect(await device.requestVend(5, 150)).toBe(150);
      await device.endVend(false);
      await device.removeKey();
      expect(await keyCredit(device, 1)).toBe(left);
      expect(period(device, "E8")).toBe(1);
      device.close();
    }
  });

  effect(
    [40003],
    "40003: with overprice ON the cash left after a sale is kept, not given as credit",
    async () => {
      for (const [overprice, kept, left] of [
        [1, 40, 0],
        [0, 0, 40],
      ] as const) {
        const device = await Device.open(dir());
        await device.settings.setParameter(40003, overprice);
        await device.cash.insertCoin(5);
        expect(await device.select(2)).toBe(60);
        expect(period(device, S.overprice)).toBe(kept);
        expect(device.pay.machineCredit).toBe(left);
        device.close();
      }
    },
  );

  effect([40011], "40011: the Maxi Box logs each sale only when ON", async () => {
    for (const [box, entries] of [
      [0, 0],
      [1, 1],
      [2, 1],
    ] as const) {
      const device = await Device.open(dir());
      await device.settings.setParameter(40011, box);
      await device.insertKey(1);
      await device.select(1);
      await device.removeKey();
      expect(device.pay.maxiBox.entries().length).toBe(entries);
      device.close();
    }
  });

  effect([40012], "40012: a recharge key moves its value to the next sale key only when ON", async () => {
    let now = Date.parse("2026-11-30T09:00:00Z");
    const device = await Device.open(dir(), { clock: () => now });
    await officeKey(device, 2, { keyFunction: "recharge", rechargeValue: 300 }, (s) => ({
      ...s,
      rechargesLeft: 2,
    }));
    expect(await device.insertKey(2)).toMatchObject({ ok: false });
    await device.removeKey();
    await device.settings.setParameter(40012, 1);
    expect(await device.insertKey(2)).toMatchObject({ ok: true, function: "recharge", rechargesLeft: 2 });
    now += 3_000; // manual 3.5: out sooner, it would only have shown its count
    await device.tick();
    await device.removeKey();
    expect(await device.insertKey(0)).toMatchObject({ ok: true, credit: 800 });
    expect(period(device, S.rechargeKeyCredit)).toBe(300);
    device.close();
  });

  effect([40013], "40013: a free key sells free only when free keys are ON", async () => {
    const device = await Device.open(dir());
    await officeKey(device, 2, { keyFunction: "free" });
    expect(await device.insertKey(2)).toMatchObject({ ok: false, err: 6 });
    await device.removeKey();
    await device.settings.setParameter(40013, 1);
    await device.insertKey(2);
    expect(await device.select(2)).toBe(0);
    expect(period(device, S.freeSales)).toBe(60);
    device.close();
  });

  effect(
    [40106, 40107, 40108],
    "40106-40108: EURO ON takes a lira key over at the rate and the national decimals",
    async () => {
      const device = await Device.open(dir());
      await device.settings.setParameter(0, 22_222_222); // the demo keys are now the previous operator's (008 = 1)
      await device.settings.setParameter(40107, 1);
      await device.settings.setParameter(40106, 193_627_000); // 1936.27000 lire for one euro
      await device.settings.setParameter(40108, 0); // lire have no decimals
      expect(await device.insertKey(1)).toMatchObject({ ok: true, credit: 52 }); // 1000 lire = 0.5165 €
      await device.removeKey();
      await device.settings.setParameter(40108, 1); // 500 read as 50.0: 0.0258 €
      expect(await device.insertKey(0)).toMatchObject({ ok: true, credit: 3 });
      device.close();
    },
  );

  effect([40111], "40111: with negative credit ON a key sells below zero", async () => {
    const device = await Device.open(dir());
    await device.insertKey(2);
    expect(await device.select(1)).toBeUndefined();
    await device.removeKey();
    await device.settings.setParameter(40111, 1);
    await device.insertKey(2);
    expect(await device.select(1)).toBe(50);
    await device.removeKey();
    expect(await keyCredit(device, 2)).toBe(-50);
    device.close();
  });
});

describe("the audit port's DDCMP settings, collected in memory a millisecond a step", () => {
  /**
   * One collection of the reader's DDCMP station (as the audit port runs it) by the ddcmp package's
   * collector; `drop` loses a transmission of the reader's. Time is the loop's, not the wall clock.
   */
  function collect(device: Device, drop: (bytes: Uint8Array) => boolean = () => false) {
    const station = ddcmpStation(
      device,
      () => undefined,
      () => undefined,
    );
    const collector = new AuditCollector({ clock: () => localDateTime(new Date()), maxBaudCode: 8 });
    const events: AuditCollectorEvent[] = [];
    const sent: { at: number; dropped: boolean }[] = [];
    let toCollector: Uint8Array[] = [];
    collector.start();
    const first = collector.tick(0);
    events.push(...first.events);
    let toDevice = [first.send];
    const fromDevice = (bytes: Uint8Array, at: number) => {
      if (bytes.length === 0) return;
      const dropped = drop(bytes);
      sent.push({ at, dropped });
      if (!dropped) toCollector.push(bytes);
    };
    for (let now = 1; now < 120_000 && !(station.finished && collector.finished); now++) {
      const forDevice = toDevice;
      const forCollector = toCollector;
      toDevice = [];
      toCollector = [];
      for (const bytes of forDevice) fromDevice(station.receive(bytes, now).send, now);
      for (const bytes of forCollector) {
        const r = collector.receive(bytes, now);
        events.push(...r.events);
        if (r.send.length > 0) toDevice.push(r.send);
      }
      fromDevice(station.tick(now).send, now);
      const c = collector.tick(now);
      events.push(...c.events);
      if (c.send.length > 0) toDevice.push(c.send);
    }
    const audit = events.find((e) => e.type === "received");
    const progress = events.filter((e) => e.type === "progress" && e.list === 1).at(-1);
    return {
      bauds: events.flatMap((e) => (e.type === "link" && e.event.type === "baud" ? [e.event.baud] : [])),
      length: audit?.type === "received" ? (audit.lists[0]?.data.length ?? 0) : 0,
      progress: progress?.type === "progress" ? progress : undefined,
      sent,
    };
  }
  const opened = async (settings: readonly [number, number][]) => {
    const device = await Device.open(dir());
    for (const [number, value] of settings) await device.settings.setParameter(number, value);
    return device;
  };

  effect(
    [40009, 40016, 40017, 40018],
    "40009, 40016-40018: SELECT FLAG, IrDA, DATA BLOCK SIZE and ACK TIME OUT change the session",
    async () => {
      const plain = collect(await opened([[40008, 7]]));
      expect(plain.bauds).toEqual([115_200]);
      expect(plain.length).toBeGreaterThan(500);
      expect(plain.progress?.total).toBe(plain.length);
      expect(plain.progress?.blocks).toBeLessThan(Math.ceil(plain.length / 64));
      // IrDA caps the rate at 38400; SELECT FLAG hides the length; blocks of 64 bytes
      const set = collect(
        await opened([
          [40008, 7],
          [40016, 1],
          [40009, 1],
          [40017, 64],
        ]),
      );
      expect(set.bauds).toEqual([38_400]);
      expect(set.progress?.total).toBeUndefined();
      expect(set.progress?.blocks).toBe(Math.ceil(set.length / 64));
      // a data message of the reader's lost on the line: it repeats after ACK TIME OUT
      const repeatAfter = async (ackTimeout: number) => {
        let lost = false;
        const { sent } = collect(await opened([[40018, ackTimeout]]), (bytes) => {
          const drop = !lost && bytes[0] === 0x81; // the first DDCMP data message
          lost ||= drop;
          return drop;
        });
        const at = sent.findIndex((s) => s.dropped);
        return (sent[at + 1]?.at ?? 0) - (sent[at]?.at ?? 0);
      };
      expect((await repeatAfter(500)) - (await repeatAfter(170))).toBe(330);
    },
    30_000,
  );
});

describe("a binary validator's coins, set through the programmer API", () => {
  effect(
    [...range(20010, 20016)],
    "20010-20016: with a binary validator coin 9 and the national coins 1-6 come on lines 9-15",
    async () => {
      const device = await Device.open(dir());
      await expect(device.cash.insertCoin(9)).rejects.toMatchObject({ code: "INVALID_AMOUNT" }); // a standard validator: 8 lines
      await device.settings.setParameter(20001, 2); // BINARIO TIPO 1 (4.6.2)
      for (let n = 20_010; n <= 20_016; n++) await device.settings.setParameter(n, n - 20_009); // 0.01 .. 0.07
      for (let line = 9; line <= 15; line++) await device.cash.insertCoin(line);
      expect(device.pay.machineCredit).toBe(1 + 2 + 3 + 4 + 5 + 6 + 7);
      device.close();
    },
  );
});

describe("the MDB reader's customisations, set through the programmer API", () => {
  effect(
    [30014],
    "30014: UPDATE CREDIT (bit 2) shows a recharge with the key in; OUT OF SEQUENCE (bit 0) drops the session",
    async () => {
      for (const [bits, sold] of [
        [4, 50],
        [0, undefined],
      ] as const) {
        const where = dir();
        const programmed = await Device.open(where);
        await programmed.settings.setParameter(30014, bits);
        programmed.close();
        const device = await Device.open(where); // the reader takes them when the device starts
        await device.insertKey(2); // empty: the VMC's session holds 0.00
        await device.cash.coin(100);
        // without UPDATE CREDIT the VMC still holds 0.00: the vend is denied and nothing is charged
        expect(await device.select(1)).toBe(sold);
        await device.removeKey();
        expect(await keyCredit(device, 2)).toBe(sold === undefined ? 100 : 50);
        device.close();
      }
      for (const [bits, state] of [
        [1, "enabled"],
        [0, "session-idle"],
      ] as const) {
        const where = dir();
        const programmed = await Device.open(where);
        await programmed.settings.setParameter(30014, bits);
        programmed.close();
        const device = await Device.open(where);
        await device.insertKey(1);
        const link = device.link as MdbLink;
        link.vmc.send({ type: "vend-success", item: 1 }); // out of sequence: no vend was asked
        expect(link.reader.state).toBe(state);
        device.close();
      }
    },
  );
});
