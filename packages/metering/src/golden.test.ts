import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type Bill, billPeriod } from "./billing.js";
import type { Contract } from "./model.js";

/** test-vectors/bills.json, worked out by make-golden.py with Python's exact fractions. */
const here = dirname(fileURLToPath(import.meta.url));
const cases = JSON.parse(readFileSync(join(here, "..", "test-vectors", "bills.json"), "utf8")) as {
  name: string;
  contract: Contract;
  usage: Record<string, number>;
  bill: Bill;
}[];

describe("period bills against test-vectors/ (computed by an independent script)", () => {
  it("has the cases", () => {
    expect(cases.length).toBe(5);
  });

  for (const c of cases)
    it(c.name, () => {
      expect(billPeriod(c.contract, c.usage)).toEqual(c.bill);
    });
});
