import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canSell,
  ERROR_CODES,
  errorLabel,
  isErrorCode,
  keyLedPattern,
  ledPattern,
  type ReaderCondition,
  readerState,
} from "./diagnostics.js";
import { defaultParameters, setParameter, validateParameters } from "./parameters.js";

const ok: ReaderCondition = { parameterErrors: [], auditLocked: false, maxiBoxFull: false, vmcOnline: true };

describe("reader LEDs (manual 5.1)", () => {
  it.each([
    ["idle", ok, { kind: "steady", green: true, red: false, blue: true }],
    ["no VMC", { ...ok, vmcOnline: false }, { kind: "flashes", red: 1, green: 1, blue: false }],
    [
      "no VMC, Executive with bills",
      { ...ok, vmcOnline: false, executiveWithBills: true },
      { kind: "flashes", red: 1, green: 1, blue: true },
    ],
    [
      "parameter error",
      { ...ok, parameterErrors: [40102] },
      { kind: "flashes", red: 2, green: 1, blue: false },
    ],
    ["check audit lock", { ...ok, auditLocked: true }, { kind: "flashes", red: 4, green: 1, blue: false }],
    ["Maxi Box full", { ...ok, maxiBoxFull: true }, { kind: "flashes", red: 5, green: 1, blue: false }],
  ] as const)("%s", (_, condition, pattern) => {
    expect(ledPattern(readerState(condition), condition)).toEqual(pattern);
  });

  it("names the first failing parameter, as the programmer shows it", () => {
    const d = defaultParameters();
    const bad = { ...setParameter(d, 40118, 10), numeric: { ...d.numeric, keyType: 7, language: 9 } };
    const state = readerState({ ...ok, parameterErrors: validateParameters(bad).map((e) => e.parameter) });
    expect(state).toEqual({ state: "parameter-error", parameter: 40102 });
  });

  it("sells only when idle, and lets a parameter error win over everything", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(60_000), { maxLength: 3 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (parameterErrors, auditLocked, maxiBoxFull, vmcOnline) => {
          const s = readerState({ parameterErrors, auditLocked, maxiBoxFull, vmcOnline });
          expect(canSell(s)).toBe(parameterErrors.length === 0 && !auditLocked && !maxiBoxFull && vmcOnline);
          if (parameterErrors.length > 0) expect(s.state).toBe("parameter-error");
        },
      ),
    );
  });

  it("tells a refused key from an unreadable one", () => {
    expect(keyLedPattern("refused")).toEqual({ kind: "flashes", red: 1, green: 1, blue: false });
    expect(keyLedPattern("unreadable")).toEqual({ kind: "steady", green: true, red: false, blue: true });
  });
});

describe("error codes (manual 7.5 list 14)", () => {
  it("defines 1, 2 and 6..16; 3..5 are reserved", () => {
    expect(Object.keys(ERROR_CODES).map(Number)).toEqual([1, 2, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    expect([3, 4, 5, 0, 17].some(isErrorCode)).toBe(false);
    expect(isErrorCode(13) && errorLabel(13)).toBe("E 13");
    expect(ERROR_CODES[16]).toMatch(/purse/);
  });
});
