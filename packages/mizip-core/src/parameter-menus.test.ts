import { describe, expect, it } from "vitest";
import { menuOf, PARAMETER_MENUS } from "./parameter-menus.js";
import { NUMERIC_PARAMETERS } from "./parameters.js";

describe("parameter menus (manual ch. 9)", () => {
  it("put every numeric parameter in exactly one menu", () => {
    for (const p of NUMERIC_PARAMETERS) {
      const menus = PARAMETER_MENUS.filter((m) => m.numbers(p.number)).map((m) => m.path);
      expect([p.number, menus.length]).toEqual([p.number, 1]);
    }
  });

  it("follow table 5.2's paths", () => {
    expect(menuOf(20017)).toBe("Programming / Coins / MDB changer");
    expect(menuOf(21022)).toBe("Programming / Bills / MDB acceptor");
    expect(menuOf(40106)).toBe("Euro");
    expect(menuOf(8)).toBe("Key management / Formatting");
    expect(menuOf(40018)).toBe("Statistics / Collection / Audit mode DDCMP");
    expect(menuOf(30013)).toBe("Protocol / MDB");
    expect(menuOf(12_345)).toBeUndefined();
  });
});
