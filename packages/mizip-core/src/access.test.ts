import { defaultConfig } from "@vendkit/pricing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AccessSettings,
  accessSettings,
  checkAccess,
  type KeyCodes,
  userGroupProblems,
} from "./access.js";
import { BlackList, BlackListFull } from "./black-list.js";
import { defaultParameters, setParameter } from "./parameters.js";

const SYSTEM: AccessSettings = {
  operatorCode: 12_345_678,
  customerCode: 12_345,
  departmentCode: 123,
  userGroups: { enabled: false, codes: [1, 1, 1, 1, 1] },
  keyType: "both",
  maxUsableCredit: 6_553,
  blackList: new Set(),
  levelsOff: new Set(),
};
const KEY: KeyCodes = {
  technology: "mifare",
  keyNumber: 4711,
  operatorCode: 12_345_678,
  customerCode: 12_345,
  departmentCode: 123,
  level: 0,
  credit: 500,
};

describe("codes (manual 4.9.1, Table 1)", () => {
  it("accepts equal codes, and 0 on either side for customer and department", () => {
    expect(checkAccess(SYSTEM, KEY)).toEqual({ ok: true });
    expect(checkAccess(SYSTEM, { ...KEY, customerCode: 0 })).toEqual({ ok: true });
    expect(checkAccess({ ...SYSTEM, customerCode: 0 }, { ...KEY, customerCode: 999 })).toEqual({ ok: true });
    expect(checkAccess(SYSTEM, { ...KEY, departmentCode: 0 })).toEqual({ ok: true });
    expect(checkAccess({ ...SYSTEM, departmentCode: 0 }, { ...KEY, departmentCode: 7 })).toEqual({
      ok: true,
    });
  });

  it("refuses a different operator code (never a wildcard), customer or department: ERR 2", () => {
    expect(checkAccess(SYSTEM, { ...KEY, operatorCode: 0 })).toEqual({
      ok: false,
      reason: "OPERATOR_CODE",
      err: 2,
    });
    expect(checkAccess(SYSTEM, { ...KEY, customerCode: 1 })).toEqual({
      ok: false,
      reason: "CUSTOMER_CODE",
      err: 2,
    });
    expect(checkAccess(SYSTEM, { ...KEY, departmentCode: 1 })).toEqual({
      ok: false,
      reason: "DEPARTMENT_CODE",
      err: 2,
    });
  });

  it("follows the table for every combination", () => {
    fc.assert(
      fc.property(fc.nat(3), fc.nat(3), fc.nat(3), fc.nat(3), (sysC, keyC, sysD, keyD) => {
        const decision = checkAccess(
          { ...SYSTEM, customerCode: sysC, departmentCode: sysD },
          { ...KEY, customerCode: keyC, departmentCode: keyD },
        );
        const customerOk = sysC === keyC || sysC === 0 || keyC === 0;
        const departmentOk = sysD === keyD || sysD === 0 || keyD === 0;
        expect(decision.ok).toBe(customerOk && departmentOk);
      }),
    );
  });
});

describe("user groups", () => {
  const groups = { enabled: true, codes: [10, 20, 30, 1, 1] as [number, number, number, number, number] };

  it("accepts a key whose department is one of the five, and says which group", () => {
    expect(checkAccess({ ...SYSTEM, userGroups: groups }, { ...KEY, departmentCode: 20 })).toEqual({
      ok: true,
      userGroup: 2,
    });
    expect(checkAccess({ ...SYSTEM, userGroups: groups }, { ...KEY, departmentCode: 99 })).toMatchObject({
      reason: "DEPARTMENT_CODE",
    });
  });

  it("accepts any department when group 5 is 0 (passe-partout)", () => {
    const open = { enabled: true, codes: [10, 20, 30, 1, 0] as [number, number, number, number, number] };
    expect(checkAccess({ ...SYSTEM, userGroups: open }, { ...KEY, departmentCode: 99 })).toEqual({
      ok: true,
      userGroup: 5,
    });
  });

  it("allows 0 only in group 5", () => {
    expect(userGroupProblems([1, 2, 3, 4, 0])).toEqual([]);
    expect(userGroupProblems([0, 2, 3, 4, 5])).toEqual(["user group 1 is 0, not 1..255"]);
    expect(userGroupProblems([1, 2, 3, 4])).toEqual(["there are five user groups"]);
  });
});

describe("other refusals", () => {
  it("refuses a key technology the reader is not set for, a level that is OFF, a black-listed key, and credit above max", () => {
    expect(checkAccess({ ...SYSTEM, keyType: "125khz" }, KEY)).toMatchObject({ reason: "KEY_TYPE" });
    expect(checkAccess({ ...SYSTEM, levelsOff: new Set([2]) }, { ...KEY, level: 2 })).toEqual({
      ok: false,
      reason: "LEVEL_OFF",
      err: 2,
    });
    expect(checkAccess({ ...SYSTEM, blackList: new Set([4711]) }, KEY)).toEqual({
      ok: false,
      reason: "BLACK_LISTED",
      err: 13,
    });
    expect(checkAccess(SYSTEM, { ...KEY, credit: 6_554 })).toEqual({
      ok: false,
      reason: "CREDIT_ABOVE_MAX",
      err: 7,
    });
    expect(checkAccess(SYSTEM, { ...KEY, credit: 6_553 })).toEqual({ ok: true });
  });
});

describe("black list (manual 4.12)", () => {
  it("holds 50 or 500 keys and refuses one more with a typed error", () => {
    const list = new BlackList(50);
    for (let k = 1; k <= 50; k++) list.add(k);
    list.add(50);
    expect(() => list.add(51)).toThrow(BlackListFull);
    expect(list.remove(3)).toBe(true);
    list.add(51);
    expect(list.active.has(51)).toBe(true);
    expect(new BlackList(500).capacity).toBe(500);
    const off = new BlackList("disabled");
    expect(() => off.add(1)).toThrow(BlackListFull);
    expect(off.active.size).toBe(0);
  });
});

describe("access settings from the parameters and price tables", () => {
  it("carry the codes, key type, max usable credit, black list and OFF levels the reader is programmed with", () => {
    let p = setParameter(defaultParameters(), 40000, 1000);
    p = setParameter(p, 40001, 900);
    p = setParameter(p, 40102, 1);
    p = { ...setParameter(p, 41000, 1), blackList: [17, 18] };
    const pricing = defaultConfig();
    const keys = pricing.keys.map((k, level) => ({
      ...k,
      mode: level === 2 ? ("off" as const) : ("on" as const),
    }));
    const s = accessSettings(p, { ...pricing, keys: keys as unknown as typeof pricing.keys });
    expect(s.maxUsableCredit).toBe(900);
    expect(s.keyType).toBe("mifare");
    expect([...s.blackList]).toEqual([17, 18]);
    expect([...s.levelsOff]).toEqual([2]);
    // with the black list disabled (41000 = 0) a stored list is not applied
    expect(accessSettings(setParameter(p, 41000, 0), pricing).blackList.size).toBe(0);
  });
});
