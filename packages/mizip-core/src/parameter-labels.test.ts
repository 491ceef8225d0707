import { describe, expect, it } from "vitest";
import { PARAMETER_LABELS, parameterLabel } from "./parameter-labels.js";
import { menuOf } from "./parameter-menus.js";
import { NUMERIC_PARAMETERS } from "./parameters.js";

describe("parameter labels (table 5.2's names, Italian and English, with unit and section)", () => {
  it("labels every numeric parameter, and a choice has a meaning for each value of its range", () => {
    for (const p of NUMERIC_PARAMETERS) {
      const label = PARAMETER_LABELS.get(p.number);
      expect(label, `${p.number} ${p.name}`).toBeDefined();
      expect(label?.it).not.toContain("#");
      expect(label?.section).toMatch(/^[479](\.\d+)+$|^4\.\d+$/);
      if (label?.unit === "choice")
        expect(label.choices?.length, `${p.number} ${p.name}`).toBe(p.max - p.min + 1);
      if (label?.unit === "switch") expect([p.min, p.max], `${p.number} ${p.name}`).toEqual([0, 1]);
    }
  });

  it("numbers a series' label by its place in the series", () => {
    expect(parameterLabel("coin3Value")).toMatchObject({ it: "MONETA 3", en: "coin 3 value", unit: "money" });
    expect(parameterLabel("mdbCoinEnabled12")).toMatchObject({
      it: "ABILITAZIONE MONETA 12",
      unit: "switch",
    });
    expect(parameterLabel("bill4Value")).toMatchObject({ it: "BANCONOTA 4", section: "4.7.3" });
    expect(parameterLabel("nationalCoinValue6")).toMatchObject({ it: "MONETA NAZ. 6" });
    expect(parameterLabel("noSuchThing")).toBeUndefined();
  });

  it("puts every parameter under a menu, named in English and in the programmer's Italian", () => {
    for (const p of NUMERIC_PARAMETERS) {
      expect(menuOf(p.number), `${p.number}`).toBeDefined();
      expect(menuOf(p.number, "it"), `${p.number}`).toBeDefined();
    }
    expect(menuOf(20017, "it")).toBe("Programmazione / Monete / Rendiresto MDB");
    expect(menuOf(20017)).toBe("Programming / Coins / MDB changer");
  });
});
