import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  defaultParameters,
  initialise,
  NUMERIC_PARAMETERS,
  numericParameter,
  ParameterError,
  resetPassword,
  type SystemParameters,
  setClockTime,
  setParameter,
  setupKeyCopy,
  validateParameters,
  withClock,
} from "./parameters.js";

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const numbers = (params: SystemParameters) => validateParameters(params).map((e) => e.parameter);

describe("the clock's settings (manual 8.1), in the same store", () => {
  it("sets the time zone and formats, refuses a bad one by name, and sets the time as an offset", () => {
    const d = defaultParameters();
    expect(d.clock).toEqual({ timeZone: "UTC", dateFormat: "dd/mm/yy", hourFormat: "24h", offset: 0 });
    const rome = withClock(d, { timeZone: "Europe/Rome" });
    expect(() => withClock(d, { timeZone: "Europe/Atlantis" })).toThrow(/^setting clock: clock.timeZone/);
    // set to 10:00 in Rome on 1 July (08:00 UTC) on a host reading 07:00 UTC: one hour ahead
    const host = Date.parse("2026-07-01T07:00:00Z");
    const set = setClockTime(rome, { year: 2026, month: 7, day: 1, hour: 10, minute: 0 }, host);
    expect(set.clock.offset).toBe(3_600_000);
    expect(() => setClockTime(rome, { year: 2026, month: 13, day: 1, hour: 0, minute: 0 }, host)).toThrow(
      ParameterError,
    );
    // a broken clock off storage is a parameter error naming it, after the numbered ones
    const broken = { ...d, numeric: { ...d.numeric, keyType: 9 }, clock: { ...d.clock, hourFormat: "13h" } };
    expect(numbers(broken as unknown as SystemParameters)).toEqual([40102, "clock"]);
    // initialisation (4.10.15) keeps the clock
    expect(initialise(set).clock).toEqual(set.clock);
  });
});

describe("system parameters (manual ch. 4, table 5.2)", () => {
  it("has valid defaults, with the codes the manual states", () => {
    const d = defaultParameters();
    expect(validateParameters(d)).toEqual([]);
    expect(d.numeric).toMatchObject({ operatorCode: 1, customerCode: 1, departmentCode: 1, password: 0 });
    expect(d.numeric).toMatchObject({
      overprice: 1,
      keyType: 2,
      mdbLevel: 1,
      mdbMaxResponseTime: 5,
      minTubeLevel: 7,
    });
    expect(new Set(NUMERIC_PARAMETERS.map((p) => p.number)).size).toBe(NUMERIC_PARAMETERS.length);
  });

  it("reports each failing parameter by its number, lowest first", () => {
    const d = defaultParameters();
    const bad: SystemParameters = {
      ...d,
      numeric: { ...d.numeric, keyType: 3, customerCode: 70_000, baseCoin: 0 },
      userGroups: [1, 0, 1, 1, 0],
      readerCode: "12345",
    };
    expect(numbers(bad)).toEqual([1, 4, 11, 30003, 40102]);
    expect(validateParameters(bad)[0]).toBeInstanceOf(ParameterError);
    expect(validateParameters(bad)[0]?.message).toBe(
      "parameter 001: customerCode is 70000, allowed 0..65535",
    );
    expect(validateParameters(bad)[0]?.code).toBe("PARAMETER_ERROR");
  });

  it("lets only user group 5 be 0, the passe-partout (4.9)", () => {
    const d = defaultParameters();
    expect(numbers({ ...d, userGroups: [5, 6, 7, 8, 0] })).toEqual([]);
    expect(numbers({ ...d, userGroups: [0, 6, 7, 8, 9] })).toEqual([11]);
  });

  it("ties the machine code's length to parameter 015 and drops the reader code at 12", () => {
    const d = defaultParameters();
    const twelve = setParameter(d, 15, 1);
    expect(numbers(twelve)).toEqual([3]);
    expect(numbers({ ...twelve, machineCode: "ABC123456789", readerCode: "" })).toEqual([]);
    expect(numbers({ ...d, machineCode: "abc123" })).toEqual([3]);
  });

  it("bounds the black list by its mode (4.12)", () => {
    const d = defaultParameters();
    expect(numbers({ ...d, blackList: [12] })).toEqual([41001]);
    const fifty = setParameter(d, 41000, 1);
    expect(numbers({ ...fifty, blackList: Array.from({ length: 50 }, (_, i) => i + 1) })).toEqual([]);
    expect(numbers({ ...fifty, blackList: Array.from({ length: 51 }, (_, i) => i + 1) })).toEqual([41051]);
    expect(numbers({ ...fifty, blackList: [1, 0] })).toEqual([41002]);
  });

  it("sets by number, refusing unknown numbers and out-of-range values without touching the set", () => {
    const d = defaultParameters();
    expect(setParameter(d, 40118, 5000).numeric.rechargeLimit).toBe(5000);
    expect(() => setParameter(d, 40118, 100_000)).toThrow(ParameterError);
    expect(() => setParameter(d, 40118, 1.5)).toThrow(/allowed 0..99999/);
    expect(() => setParameter(d, 12_345, 1)).toThrow(/no such system parameter/);
    expect(d.numeric.rechargeLimit).toBe(0);
    fc.assert(
      fc.property(fc.constantFrom(...NUMERIC_PARAMETERS), fc.integer({ min: -1e9, max: 1e9 }), (def, v) => {
        const inRange = v >= def.min && v <= def.max;
        if (inRange) expect(validateParameters(setParameter(d, def.number, v))).toEqual([]);
        else expect(() => setParameter(d, def.number, v)).toThrow(ParameterError);
        expect(numericParameter(def.number)).toBe(def);
      }),
    );
  });
});

describe("the whole of table 5.2 outside prices and EXTRA", () => {
  // Read off the manual's table 5.2 (the original, pages 30-31). 003/004/011/41001-41500 are the
  // codes, user groups and black list kept as text and lists; 016 (no description survives the
  // flattening) is not a numeric parameter here.
  const TABLE_5_2 = [
    0,
    1,
    2,
    5,
    6,
    7,
    8,
    9,
    10,
    15,
    ...range(20000, 20068),
    ...range(21000, 21053),
    30000,
    30001,
    30002,
    30003,
    30004,
    30006,
    30007,
    30008,
    30010,
    30011,
    30012,
    30013,
    30014,
    40000,
    40001,
    40002,
    40003,
    40005,
    40006,
    40007,
    40008,
    40009,
    40010,
    40011,
    40012,
    40013,
    40016,
    40017,
    40018,
    40100,
    40101,
    40102,
    40105,
    40106,
    40107,
    40108,
    40110,
    40111,
    40114,
    40115,
    40116,
    40117,
    40118,
    41000,
    59900,
  ];

  it("holds every numeric system parameter of the table, by number", () => {
    expect(NUMERIC_PARAMETERS.map((p) => p.number).sort((a, b) => a - b)).toEqual(TABLE_5_2);
  });

  it("bounds the audit, key formatting and EURO parameters as the manual does", () => {
    const d = defaultParameters();
    expect(d.numeric).toMatchObject({ ackTimeout: 170, dataBlockSize: 240, coinMechCode: 0 }); // 9.4.1
    expect(setParameter(d, 40018, 3000).numeric.ackTimeout).toBe(3000);
    expect(() => setParameter(d, 40018, 169)).toThrow(/parameter 40018/);
    expect(() => setParameter(d, 40018, 3001)).toThrow(/parameter 40018/);
    expect(() => setParameter(d, 40017, 241)).toThrow(/parameter 40017/);
    expect(setParameter(d, 40106, 193_627_000).numeric.euroRate).toBe(193_627_000); // 1936.27000
    expect(d.numeric.euroRate).toBe(100_000); // 1.00000
    expect(() => setParameter(d, 40108, 5)).toThrow(/parameter 40108/);
    expect(setParameter(d, 20032, 0).numeric.mdbCoinEnabled16).toBe(0);
    expect(() => setParameter(d, 20017, 2)).toThrow(/parameter 20017/);
    expect(setParameter(d, 21053, 5000).numeric.mdbBillValue16).toBe(5000);
  });

  it("bounds the MDB times as menu 9.2.3 states: response time MAX 200, inter-byte MAX 5", () => {
    const d = defaultParameters();
    expect(setParameter(setParameter(d, 30011, 200), 30012, 5).numeric).toMatchObject({
      mdbMaxResponseTime: 200,
      mdbInterByteTime: 5,
    });
    expect(() => setParameter(d, 30011, 201)).toThrow(/parameter 30011/);
    expect(() => setParameter(d, 30012, 6)).toThrow(/parameter 30012/);
    expect(d.readerCode).toBe("PLUS00"); // 4.9.2
  });
});

describe("initialisation (4.10.15)", () => {
  it("resets all but language, codes and user groups, and always returns the operator code to 1", () => {
    let p = defaultParameters();
    for (const [n, v] of [
      [0, 12_345_678],
      [1, 77],
      [2, 20],
      [9, 4711],
      [10, 1],
      [40105, 3],
      [40003, 2],
      [40118, 900],
      [30004, 3],
    ] as const)
      p = setParameter(p, n, v);
    p = { ...p, machineCode: "VEND01", readerCode: "RDR001", userGroups: [20, 21, 22, 23, 0] };
    const after = initialise(p);
    expect(after.numeric).toEqual({
      ...defaultParameters().numeric,
      customerCode: 77,
      departmentCode: 20,
      userGroupsOn: 1,
      language: 3,
    });
    expect(after.numeric.operatorCode).toBe(1);
    expect(after.numeric.password).toBe(0);
    expect(after).toMatchObject({
      machineCode: "VEND01",
      readerCode: "RDR001",
      userGroups: [20, 21, 22, 23, 0],
    });
    expect(validateParameters(after)).toEqual([]);
  });

  it("sets kept values that are out of range to the manual's fallbacks", () => {
    const d = defaultParameters();
    const broken: SystemParameters = {
      ...d,
      numeric: { ...d.numeric, language: 9, customerCode: -1, departmentCode: 999 },
      machineCode: "x",
      readerCode: "??????",
      userGroups: [0, 0, 0, 0, 0],
    };
    const after = initialise(broken);
    expect(after.numeric).toMatchObject({ language: 0, customerCode: 1, departmentCode: 1 });
    // manual 4.9.2: the reader code defaults to PLUS00
    expect(after).toMatchObject({ machineCode: "000001", readerCode: "PLUS00", userGroups: [1, 1, 1, 1, 1] });
    expect(validateParameters(after)).toEqual([]);
  });

  it("always yields a valid set, whatever it starts from", () => {
    const d = defaultParameters();
    fc.assert(
      fc.property(
        fc.record({
          language: fc.integer({ min: -5, max: 20 }),
          customerCode: fc.integer({ min: -5, max: 70_000 }),
          machineCodeSize: fc.integer({ min: -1, max: 2 }),
          machineCode: fc.string({ maxLength: 13 }),
          readerCode: fc.string({ maxLength: 7 }),
          groups: fc.tuple(fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(300)),
        }),
        (r) => {
          const start: SystemParameters = {
            ...d,
            numeric: {
              ...d.numeric,
              language: r.language,
              customerCode: r.customerCode,
              machineCodeSize: r.machineCodeSize,
            },
            machineCode: r.machineCode,
            readerCode: r.readerCode,
            userGroups: r.groups,
          };
          const after = initialise(start);
          expect(validateParameters(after)).toEqual([]);
          expect(after.numeric.operatorCode).toBe(1);
        },
      ),
    );
  });
});

describe("setup key and password reset", () => {
  it("copies everything but the keys of a 500-key black list (4.10.11)", () => {
    const d = defaultParameters();
    const fifty = { ...setParameter(d, 41000, 1), blackList: [3, 4] };
    expect(setupKeyCopy(fifty)).toEqual(fifty);
    // 500 KEYS comes only from a black-list key (4.12), not from the programmer's setParameter
    const five = { ...d, numeric: { ...d.numeric, blackList: 2 } };
    expect(() => setParameter(d, 41000, 2)).toThrow(ParameterError);
    expect(setParameter(five, 41000, 2)).toEqual(five);
    const big = { ...setParameter(five, 40118, 700), blackList: [3, 4, 5] };
    const copy = setupKeyCopy(big);
    expect(copy.blackList).toEqual([]);
    expect({ ...copy, blackList: big.blackList }).toEqual(big);
  });

  it("resets the operator code with the password (4.9.3)", () => {
    const p = setParameter(setParameter(defaultParameters(), 9, 1234), 0, 555, 1234);
    expect(resetPassword(p).numeric).toMatchObject({ password: 0, operatorCode: 1 });
  });
});
