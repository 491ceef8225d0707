import type { Identity } from "@vendkit/mifare-purse";
import { defaultConfig } from "@vendkit/pricing";
import { describe, expect, it } from "vitest";
import { afterBackup, formatting, LAST_KEY_NUMBER, settingsAfterKey } from "./carried-settings.js";
import {
  defaultParameters,
  ParameterError,
  type SystemParameters,
  setParameter,
  withClock,
} from "./parameters.js";

// 500 KEYS (41000 = 2) comes only off a black-list key, so these lists are built directly
const list500 = (p: SystemParameters): SystemParameters => ({
  ...p,
  numeric: { ...p.numeric, blackList: 2 },
});

const here = (): SystemParameters => ({
  ...list500(setParameter(defaultParameters(), 30000, 0)),
  machineCode: "MACH01",
  readerCode: "READ01",
  blackList: [7, 8, 9],
});

const key: Identity = {
  keyNumber: 42,
  operatorCode: 1,
  customerCode: 5,
  departmentCode: 6,
  priceLevel: 2,
  keyFunction: "sale",
  format: 1,
  rechargeValue: 0,
};

describe("settings a special key leaves behind (manual 4.10.11, 4.12, 7.2)", () => {
  it("a setup key's settings are kept, but not this reader's identity, bus or 500-key list", () => {
    const other = {
      ...list500(setParameter(defaultParameters(), 40000, 2000)),
      machineCode: "OTHER1",
      readerCode: "OTHER2",
      blackList: [1],
    };
    const pricing = defaultConfig();
    const kept = settingsAfterKey(here(), { kind: "setup", parameters: other, pricing });
    expect(kept?.pricing).toBe(pricing);
    expect(kept?.parameters.numeric.maxLoadableCredit).toBe(2000);
    expect(kept?.parameters.numeric.protocol).toBe(0);
    expect(kept?.parameters.machineCode).toBe("MACH01");
    expect(kept?.parameters.readerCode).toBe("READ01");
    expect(kept?.parameters.blackList).toEqual([7, 8, 9]);
  });

  it("a setup key brings its clock's time zone and formats, not how far its clock was set (8.1)", () => {
    const other = withClock(defaultParameters(), {
      timeZone: "Europe/Rome",
      hourFormat: "12h",
      offset: 3_600_000,
    });
    const mine = withClock(here(), { offset: -60_000 });
    const kept = settingsAfterKey(mine, { kind: "setup", parameters: other, pricing: defaultConfig() });
    expect(kept?.parameters.clock).toEqual({
      timeZone: "Europe/Rome",
      dateFormat: "dd/mm/yy",
      hourFormat: "12h",
      offset: -60_000,
    });
  });

  it("a setup key's 50-key list replaces the list here", () => {
    const other = { ...setParameter(defaultParameters(), 41000, 1), blackList: [1, 2] };
    const kept = settingsAfterKey(here(), { kind: "setup", parameters: other, pricing: defaultConfig() });
    expect(kept?.parameters.blackList).toEqual([1, 2]);
    expect(kept?.parameters.numeric.blackList).toBe(1);
  });

  it("a setup key whose settings do not hold here is refused with the parameter named", () => {
    const broken = { ...defaultParameters(), blackList: "nope" } as unknown as SystemParameters;
    const other = { ...setParameter(broken, 41000, 1) };
    expect(() =>
      settingsAfterKey(here(), { kind: "setup", parameters: other, pricing: defaultConfig() }),
    ).toThrow(ParameterError);
  });

  it("a black-list key sets the mode and the list, nothing else", () => {
    const kept = settingsAfterKey(here(), { kind: "black-list", mode: 1, keys: [3] });
    expect(kept?.parameters.numeric.blackList).toBe(1);
    expect(kept?.parameters.blackList).toEqual([3]);
    expect(kept?.parameters.machineCode).toBe("MACH01");
  });

  it("a data key: BACKUP goes back OFF after a backup re-read, nothing changes otherwise", () => {
    const backupOn = setParameter(here(), 40116, 1);
    const collection = {} as never;
    expect(settingsAfterKey(backupOn, { kind: "data", backup: false, collection })).toBeUndefined();
    expect(
      settingsAfterKey(backupOn, { kind: "data", backup: true, collection })?.parameters.numeric
        .statisticsBackup,
    ).toBe(0);
    expect(afterBackup(backupOn).numeric.statisticsBackup).toBe(0);
  });
});

describe("key formatting (manual 9.5.2)", () => {
  it("the key takes this reader's customer and department codes; with 40101 OFF it keeps its number", () => {
    const p = setParameter(setParameter(setParameter(defaultParameters(), 1, 77), 2, 3), 40101, 0);
    const f = formatting(p, key);
    expect(f.holder).toMatchObject({ keyNumber: 42, customerCode: 77, departmentCode: 3, priceLevel: 2 });
    expect(f.parameters).toBe(p);
  });

  it("with PROGRAM. N. CHIAVE ON the key takes 40115, which moves on and wraps to 1", () => {
    const on = setParameter(setParameter(defaultParameters(), 40101, 1), 40115, 500);
    const f = formatting(on, key);
    expect(f.holder.keyNumber).toBe(500);
    expect(f.parameters.numeric.formatKeyNumber).toBe(501);
    const last = setParameter(on, 40115, LAST_KEY_NUMBER);
    expect(formatting(last, key).parameters.numeric.formatKeyNumber).toBe(1);
  });
});
