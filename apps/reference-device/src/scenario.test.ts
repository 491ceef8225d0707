import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cashTotals, parse, validate } from "@vendkit/evadts";
import { describe, expect, it } from "vitest";
import { runScenario, type Scenario, ScenarioError } from "./scenario.js";

const folder = join(dirname(fileURLToPath(import.meta.url)), "../scenarios");
const load = (name: string) => JSON.parse(readFileSync(join(folder, name), "utf8")) as Scenario;
const counter = (r: Awaited<ReturnType<typeof runScenario>>, name: string) =>
  r.statistics.find((s) => s.name === name)?.historic ?? 0;

describe("scenarios of the manual's kits (ch. 10)", () => {
  for (const name of readdirSync(folder).filter((f) => f.endsWith(".json")))
    it(`${name} runs and its audit validates`, async () => {
      const result = await runScenario(load(name));
      expect(result.audits.length).toBeGreaterThan(0);
      for (const audit of result.audits)
        expect(validate(parse(audit)).filter((f) => f.severity === "error")).toEqual([]);
      expect(counter(result, "keySales") + counter(result, "cashSales")).toBeGreaterThan(0);
    });

  it("prices the happy hour only inside its band (10.2.1)", async () => {
    const r = await runScenario(load("kit-10.2.1-mdb.json"));
    // 08:15 inside the 08:00-09:00 band: 1.00 and 0.50 at 20 % off; outside it full price
    expect(r.log).toContain("  selection 4: paid 80");
    expect(r.log).toContain("  selection 4: paid 100");
    // table 7.5 list 6: the happy-hour sales of line 4 (n = 300 + line), since init and since reset
    expect(r.audits.at(-1)).toMatch(/LA1\*6\*304\*\*1\*1/);
  });

  it("gives change from the tubes and sells only the exact amount when change is short (10.2.3)", async () => {
    const r = await runScenario(load("kit-10.2.3-mdb-changer-bills.json"));
    expect(r.log).toContain("  selection 2: paid 60");
    expect(r.log).toContain("  selection 3: refused"); // 1.00 in for 0.80 with a tube low
    expect(r.log).toContain("  selection 1: refused");
    expect(r.log).toContain("  selection 5: paid 150"); // the key pays, change does not matter
    // the audit reports the reader's tubes (CA17), one segment per tube
    expect((r.audits.at(-1) as string).match(/^CA17\*/gm)).toHaveLength(4);
  });

  it("sells cash through the changer and moves coins onto a key in RENDIRESTO (10.1.4)", async () => {
    const r = await runScenario(load("kit-10.1.4-executive-rendiresto.json"));
    expect(r.log).toContain("  selection 2: paid 60");
    expect(r.log).toContain("  selection 4: paid 100");
    expect(counter(r, "cashRecharges")).toBe(200); // two steps of 1.00; 0.40 stays in the changer
    expect(r.log).toContain("  selection 1: refused"); // 0.50 with the 0.40 left
    expect(counter(r, "cashSales")).toBe(60);
  });

  it("gives each key its daily bonus-1 token, used up the first day and back the next (10.1.1)", async () => {
    const r = await runScenario(load("kit-10.1.1-executive.json"));
    const sales = r.log.filter((l) => l.includes("selection"));
    // day 1: key 1 free then paid, key 3 (no credit) free on its token; day 2: key 1 free again
    expect(sales).toEqual([
      "  selection 1: paid 0",
      "  selection 1: paid 50",
      "  selection 5: paid 150",
      "  selection 1: paid 0",
      "  selection 1: paid 0",
    ]);
    expect(r.audits).toHaveLength(2);
    expect(counter(r, "keySales")).toBe(200);
  });

  it("collects onto the data key (10.2.2): the audit read off it carries the day, the period is cleared", async () => {
    const r = await runScenario(load("kit-10.2.2-mdb-validator.json"));
    expect(r.log).toContain("  audit collected on the data key");
    expect(r.audits).toHaveLength(1);
    const sales = cashTotals(parse(r.audits[0] as string)).sales;
    expect(sales?.valueInit).toBe(counter(r, "cashSales"));
    expect(counter(r, "cashSales")).toBeGreaterThan(0);
    expect(r.statistics.find((s) => s.name === "cashSales")?.period).toBe(0);
  });

  it("refuses a scenario whose clock goes back, or whose parameters are out of range", async () => {
    const base = load("kit-10.1.1-executive.json");
    await expect(runScenario({ ...base, steps: [{ at: "07:00" }] })).rejects.toBeInstanceOf(ScenarioError);
    await expect(runScenario({ ...base, parameters: { overprice: 7 } })).rejects.toMatchObject({
      code: "PARAMETER_ERROR",
    });
  });
});
