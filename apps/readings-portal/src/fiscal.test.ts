import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { postcodeProblem, recipientCodeProblem, taxCodeProblem, vatNumberProblem } from "./fiscal.js";

describe("Italian fiscal identifiers", () => {
  it("takes a VAT number whose check digit is right, and names what is wrong otherwise", () => {
    expect(vatNumberProblem("01234567897")).toBeUndefined();
    expect(vatNumberProblem("01234567890")).toBe("this VAT number's check digit is wrong");
    expect(vatNumberProblem("0123456789")).toBe("a VAT number (partita IVA) is 11 digits");
    expect(vatNumberProblem("IT01234567897")).toBe("a VAT number (partita IVA) is 11 digits");
  });

  it("catches any one digit typed wrong in a good VAT number", () => {
    const good = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 10, maxLength: 10 }).map((ten) => {
      // the one check digit that makes these ten a VAT number, found by trying the ten
      for (let d = 0; d <= 9; d++)
        if (vatNumberProblem(ten.join("") + d) === undefined) return ten.join("") + d;
      throw new Error(`no check digit for ${ten.join("")}`);
    });
    fc.assert(
      fc.property(good, fc.nat(10), fc.integer({ min: 1, max: 9 }), (vat, at, by) => {
        const wrong = vat.slice(0, at) + String((Number(vat[at]) + by) % 10) + vat.slice(at + 1);
        expect(vatNumberProblem(wrong)).toBe("this VAT number's check digit is wrong");
      }),
    );
  });

  it("takes a person's tax code with its check letter, homonyms' letters for digits, or a company's number", () => {
    expect(taxCodeProblem("RSSMRA85T10A562S")).toBeUndefined();
    expect(taxCodeProblem("RSSMRA85T10A562T")).toBe("this tax code's check letter is wrong");
    expect(taxCodeProblem("01234567897")).toBeUndefined();
    expect(taxCodeProblem("rssmra85t10a562s")).toMatch(/^a tax code \(codice fiscale\) is 16 characters/);
    expect(taxCodeProblem("RSSMRA85Z10A562S")).toMatch(/^a tax code/); // Z is no month
  });

  it("checks the recipient code and the postcode by their form", () => {
    expect(recipientCodeProblem("M5UXCR1")).toBeUndefined();
    expect(recipientCodeProblem("0000000")).toBeUndefined();
    expect(recipientCodeProblem("m5uxcr1")).toBeDefined();
    expect(recipientCodeProblem("M5UXCR")).toBeDefined();
    expect(postcodeProblem("20121")).toBeUndefined();
    expect(postcodeProblem("2012")).toBe("a postcode (CAP) is 5 digits");
  });
});
