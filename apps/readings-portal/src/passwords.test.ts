import { describe, expect, it } from "vitest";
import { hashPassword, passwordProblem, verifyPassword } from "./passwords.js";

describe("passwords", () => {
  it("hash with a fresh salt each time and verify only the right password", async () => {
    const a = await hashPassword("correct horse");
    const b = await hashPassword("correct horse");
    expect(a).not.toBe(b);
    expect(a).not.toContain("correct");
    expect(await verifyPassword("correct horse", a)).toBe(true);
    expect(await verifyPassword("correct horsE", a)).toBe(false);
    expect(await verifyPassword("correct horse", "plain:correct horse")).toBe(false);
    expect(passwordProblem("short")).toBe("a password needs at least 10 characters");
    expect(passwordProblem("long enough")).toBeUndefined();
  });
});
