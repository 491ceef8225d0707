import { EMAIL } from "./input-checks.js";

/**
 * Italian fiscal identifiers an invoice (FatturaPA) carries, checked as the tax agency defines
 * them: the VAT number (partita IVA: 11 digits, the last a check digit), the tax code (codice
 * fiscale: 16 characters for a person, ending in a check letter, or a company's 11-digit number),
 * the recipient code (codice destinatario: 7 characters) and the postcode (CAP: 5 digits). Each
 * check answers undefined when the value is right, or what is wrong in a sentence.
 */

/** Partita IVA: 11 digits; the 11th is the check digit of the first ten (the Luhn-like rule). */
export function vatNumberProblem(value: string): string | undefined {
  if (!/^[0-9]{11}$/.test(value)) return "a VAT number (partita IVA) is 11 digits";
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const d = value.charCodeAt(i) - 48;
    if (i % 2 === 0) sum += d;
    else sum += d * 2 > 9 ? d * 2 - 9 : d * 2;
  }
  const check = (10 - (sum % 10)) % 10;
  return check === value.charCodeAt(10) - 48 ? undefined : "this VAT number's check digit is wrong";
}

/** What a character at an odd place (1st, 3rd...) of a tax code counts for the check letter. */
const ODD: Readonly<Record<string, number>> = Object.fromEntries(
  [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23].flatMap(
    (v, i) => [[String.fromCharCode(65 + i), v], ...(i < 10 ? [[String(i), v]] : [])],
  ),
);
/** At an even place: a digit counts its value, a letter its place in the alphabet from 0. */
const even = (c: string) => (c >= "0" && c <= "9" ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 65);

/**
 * Codice fiscale: a person's 16 characters (surname, name, birth date and place; digits may be
 * replaced by letters for homonyms), the last a check letter; or a company's 11 digits, checked
 * as a VAT number.
 */
export function taxCodeProblem(value: string): string | undefined {
  if (/^[0-9]{11}$/.test(value)) return vatNumberProblem(value);
  if (!/^[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-EHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/.test(value))
    return "a tax code (codice fiscale) is 16 characters as the tax agency writes them, or a company's 11 digits";
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const c = value[i] as string;
    sum += i % 2 === 0 ? (ODD[c] as number) : even(c);
  }
  return String.fromCharCode(65 + (sum % 26)) === value[15]
    ? undefined
    : "this tax code's check letter is wrong";
}

/** Codice destinatario: 7 letters and digits (0000000 when the invoice goes to a PEC address). */
export function recipientCodeProblem(value: string): string | undefined {
  return /^[A-Z0-9]{7}$/.test(value)
    ? undefined
    : "a recipient code (codice destinatario) is 7 letters and digits";
}

/** CAP: 5 digits. */
export function postcodeProblem(value: string): string | undefined {
  return /^[0-9]{5}$/.test(value) ? undefined : "a postcode (CAP) is 5 digits";
}

/** Who an invoice is from or to, as FatturaPA names them: the lab, or a customer. */
export interface FiscalData {
  /** Denominazione: the legal name. */
  readonly name: string;
  /** Partita IVA, 11 digits (Italy). */
  readonly vatNumber?: string;
  /** Codice fiscale, where it is needed (a person; a company with a number of its own). */
  readonly taxCode?: string;
  /** Codice destinatario, 7 characters; or a PEC address to send the invoice to. */
  readonly recipientCode?: string;
  readonly pec?: string;
  readonly street: string;
  /** CAP. */
  readonly postcode: string;
  readonly city: string;
  /** Provincia: 2 letters. */
  readonly province: string;
  /** ISO 3166 country code, IT for Italy. */
  readonly country: string;
}

/**
 * What is wrong with fiscal data, a sentence per field (empty when nothing is): the lab needs its
 * VAT number; a customer a VAT number or a tax code, and a recipient code or a PEC address to be
 * invoiced through the exchange system.
 */
export function fiscalProblems(d: FiscalData, who: "lab" | "customer"): string[] {
  const problems: string[] = [];
  const add = (problem: string | undefined, field: string) => {
    if (problem !== undefined) problems.push(`${field}: ${problem}`);
  };
  if (d.name.trim() === "" || d.name.length > 80) problems.push("name: the legal name, 1 to 80 characters");
  if (d.vatNumber) add(vatNumberProblem(d.vatNumber), "VAT number");
  if (d.taxCode) add(taxCodeProblem(d.taxCode), "tax code");
  if (who === "lab" && !d.vatNumber) problems.push("VAT number: the lab invoices with its partita IVA");
  if (who === "customer" && !d.vatNumber && !d.taxCode)
    problems.push("VAT number: a customer has a VAT number or a tax code");
  if (d.recipientCode) add(recipientCodeProblem(d.recipientCode), "recipient code");
  if (d.pec && !EMAIL.test(d.pec)) problems.push(`PEC: "${d.pec}" is not an e-mail address`);
  if (who === "customer" && !d.recipientCode && !d.pec)
    problems.push("recipient code: a recipient code or a PEC address, where the invoice is sent");
  if (d.street.trim() === "" || d.street.length > 60)
    problems.push("street: the address, 1 to 60 characters");
  if (!/^[A-Z]{2}$/.test(d.country)) problems.push("country: 2 capital letters (IT)");
  if (d.country === "IT") {
    add(postcodeProblem(d.postcode), "postcode");
    if (!/^[A-Z]{2}$/.test(d.province)) problems.push("province: 2 capital letters (MI, RM...)");
  }
  if (d.city.trim() === "" || d.city.length > 60) problems.push("city: 1 to 60 characters");
  return problems;
}
