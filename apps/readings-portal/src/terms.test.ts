import { describe, expect, it } from "vitest";
import { PortalError } from "./errors.js";
import { formatTerms, parseTerms } from "./terms.js";

describe("contract terms", () => {
  it("reads included volumes and tiers, and writes them back the same way", () => {
    const text = "mono: 5000 included; 80/100 up to 20000; 60/100\ncolour: 500 included; 90/10";
    const terms = parseTerms(text);
    expect(terms).toEqual({
      mono: {
        included: 5000,
        tiers: [
          { price: 80, per: 100, upTo: 20000 },
          { price: 60, per: 100 },
        ],
      },
      colour: { included: 500, tiers: [{ price: 90, per: 10 }] },
    });
    expect(formatTerms(terms)).toBe(text);
    expect(parseTerms(formatTerms(terms))).toEqual(terms);
  });

  it("says what is wrong on which line", () => {
    let error: unknown;
    try {
      parseTerms(
        "mono 5000\ncolour: 5 included; 9/0\nscans: 1 included; 1/1; 2/1 up to 5\nscans: 1 included; 1/1 up to 9; 1/1 up to 3",
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PortalError);
    expect((error as PortalError).details).toEqual([
      'terms line 1: expected "counter: N included; price/per [up to N]; …"',
      'terms line 2: "9/0" is not "price/per" or "price/per up to N" (per ≥ 1)',
      'terms line 3: only the last rate may go without "up to"',
      'terms line 4: the "up to" limits must rise',
      'terms line 4: counter "scans" given twice',
    ]);
    expect(() => parseTerms("  \n")).toThrow(PortalError);
  });
});
