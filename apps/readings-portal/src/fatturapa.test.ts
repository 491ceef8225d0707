import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { INSTALL_TIMEOUT } from "@vendkit/test-support";
import { beforeAll, describe, expect, it } from "vitest";
import { euros, fatturaPaFileName, fatturaPaXml, unitEuros } from "./fatturapa.js";
import type { IssuedInvoice } from "./invoices.js";
import {
  SAMPLE_CUSTOMER as acme,
  sampleInvoice as issued,
  SAMPLE_LAB as lab,
  validateFatturaPa,
  XSD,
  xmllintFor,
} from "./test-support.js";

const xsd = XSD;

let xmllint = false;

describe("FatturaPA XML (FPR12)", () => {
  beforeAll(() => {
    xmllint = xmllintFor("the FatturaPA schema validation");
  }, INSTALL_TIMEOUT);

  it("writes amounts as the format wants: cents as euro, a unit price with up to 8 decimals", () => {
    expect([euros(1210), euros(5), euros(20_000), euros(-350)]).toEqual(["12.10", "0.05", "200.00", "-3.50"]);
    expect([unitEuros(80, 100), unitEuros(9, 1), unitEuros(1, 3), unitEuros(5000, 1)]).toEqual([
      "0.008",
      "0.09",
      "0.00333333",
      "50.00",
    ]);
  });

  it("keeps the official schema as published (its digests)", () => {
    const digest = (name: string) =>
      createHash("sha256")
        .update(readFileSync(join(xsd, name)))
        .digest("hex");
    expect(digest("Schema_VFPR12_v1.2.3.xsd")).toBe(
      "152944f6eef9f5d69ef6e955ee173b32142b00a8c1c5222fc97dfab5910e8a8c",
    );
    expect(digest("xmldsig-core-schema.xsd")).toBe(
      "35cf8197da812c85e40d57891b35c94187569ed474a2dac813ce5090dafcd35c",
    );
  });

  it("writes an invoice and its credit note that the official schema accepts, and names their files", (ctx) => {
    if (!xmllint) return ctx.skip();
    const invoice = issued();
    const xml = fatturaPaXml(invoice, lab, acme);
    expect(validateFatturaPa(xml)).toEqual({ ok: true, said: expect.any(String) });
    expect(xml).toContain("<ImportoTotaleDocumento>244.00</ImportoTotaleDocumento>");
    expect(xml).toContain("<PrezzoUnitario>0.008</PrezzoUnitario>");
    expect(fatturaPaFileName(invoice, lab)).toBe("IT01234567897_26007.xml");
    const note: IssuedInvoice = {
      ...invoice,
      number: "2026/8",
      sequence: 8,
      documentType: "TD04",
      cancels: "2026/7",
    };
    const noteXml = fatturaPaXml(note, lab, { ...acme, recipientCode: undefined, pec: "acme@pec.example" });
    expect(validateFatturaPa(noteXml).ok).toBe(true);
    expect(noteXml).toContain("<IdDocumento>2026/7</IdDocumento>");
    expect(noteXml).toContain("<PECDestinatario>acme@pec.example</PECDestinatario>");
  });

  it("is checked for real: the schema refuses a document type it does not know", (ctx) => {
    if (!xmllint) return ctx.skip();
    const broken = fatturaPaXml(issued(), lab, acme).replace("<TipoDocumento>TD01", "<TipoDocumento>TD99");
    const r = validateFatturaPa(broken);
    expect(r.ok).toBe(false);
    expect(r.said).toContain("TipoDocumento");
  });
});
