import { describe, expect, it } from "vitest";
import { defaultParameters, setParameter } from "./parameters.js";
import { checkPassword, PasswordRefused, PROTECTED_OPERATIONS } from "./password.js";

const withPassword = (password: number) => {
  const p = defaultParameters();
  return { ...p, numeric: { ...p.numeric, password } };
};

describe("password (manual 4.9.3)", () => {
  it("asks nothing while it is 00000000", () => {
    for (const op of PROTECTED_OPERATIONS)
      expect(() => checkPassword(withPassword(0), op, undefined)).not.toThrow();
  });

  it("guards each protected operation once programmed: missing or wrong refused, right accepted", () => {
    const p = withPassword(4711);
    for (const op of PROTECTED_OPERATIONS) {
      expect(() => checkPassword(p, op, undefined)).toThrow(
        expect.objectContaining({ code: "PASSWORD_REQUIRED" }),
      );
      expect(() => checkPassword(p, op, 1234)).toThrow(PasswordRefused);
      expect(() => checkPassword(p, op, 4711)).not.toThrow();
    }
  });

  it("guards the operator code, the EVA-DTS codes and the password parameters, not the others", () => {
    const p = withPassword(4711);
    for (const number of [6, 7]) {
      expect(() => setParameter(p, number, 0x1234)).toThrow(
        expect.objectContaining({ operation: "audit-codes" }),
      );
      expect(setParameter(p, number, 0x1234, 4711).numeric).toMatchObject(
        number === 6 ? { evadtsSecurityCode: 0x1234 } : { evadtsPassCode: 0x1234 },
      );
    }
    expect(() => setParameter(p, 0, 12_345_678)).toThrow(
      expect.objectContaining({ code: "PASSWORD_REQUIRED" }),
    );
    expect(setParameter(p, 0, 12_345_678, 4711).numeric.operatorCode).toBe(12_345_678);
    expect(() => setParameter(p, 9, 1, 99)).toThrow(expect.objectContaining({ code: "WRONG_PASSWORD" }));
    expect(setParameter(p, 9, 1, 4711).numeric.password).toBe(1);
    expect(setParameter(p, 40003, 2).numeric.overprice).toBe(2);
  });
});
