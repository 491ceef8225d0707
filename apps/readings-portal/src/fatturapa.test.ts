import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Contract, Reading } from "@vendkit/metering";
import { ensureDebianPackage, INSTALL_TIMEOUT, toolMissing } from "@vendkit/test-support";
import { beforeAll, describe, expect, it } from "vitest";
import { billingRun } from "./billing-run.js";
import { euros, fatturaPaFileName, fatturaPaXml, unitEuros } from "./fatturapa.js";
import type { FiscalData } from "./fiscal.js";
import { invoiceDraft } from "./invoice.js";
import type { IssuedInvoice } from "./invoices.js";
import type { InstallationRow } from "./store.js";

const xsd = join(dirname(fileURLToPath(import.meta.url)), "..", "xsd");

const lab: FiscalData = {
  name: "Copie Rapide Srl",
  vatNumber: "01234567897",
  street: "Via Roma 1",
  postcode: "20121",
  city: "Milano",
  province: "MI",
  country: "IT",
};
const acme: FiscalData = {
  name: "Acme Srl",
  taxCode: "RSSMRA85T10A562S",
  recipientCode: "M5UXCR1",
  street: "Via Verdi 3",
  postcode: "00184",
  city: "Roma",
  province: "RM",
  country: "IT",
};

/** An invoice of two tiers of mono pages, colour and a minimum top-up, at 22 %. */
function issued(): IssuedInvoice {
  const contract: Contract = {
    installationId: "ACME-1",
    period: "monthly",
    readingDay: 28,
    start: "2026-01-28",
    fee: 5000,
    minimumCharge: 20_000,
    terms: {
      mono: {
        included: 1000,
        tiers: [
          { price: 80, per: 100, upTo: 10_000 },
          { price: 60, per: 100 },
        ],
      },
      colour: { included: 100, tiers: [{ price: 9, per: 1 }] },
    },
  };
  const inst = {
    id: "ACME-1",
    customerId: "ACME",
    deviceId: "D-1",
    site: "office",
    customerName: "Acme Srl",
    customerEmail: "office@acme.example",
    device: { id: "D-1", model: "Copier", serial: "MX-1", counters: ["mono", "colour"], consumables: [] },
  } as InstallationRow;
  const readings: Reading[] = [
    { installationId: "ACME-1", date: "2026-01-28", counters: { mono: 0, colour: 0 }, source: "operator" },
    {
      installationId: "ACME-1",
      date: "2026-02-28",
      counters: { mono: 12_345, colour: 150 },
      source: "operator",
    },
  ];
  const run = billingRun("2026-02", [inst], new Map([["ACME-1", contract]]), new Map([["ACME-1", readings]]));
  const draft = invoiceDraft("ACME", run.entries, new Map([["ACME-1", contract]]), 2200);
  return {
    ...draft,
    number: "2026/7",
    year: 2026,
    sequence: 7,
    date: "2026-03-01",
    documentType: "TD01",
    month: "2026-02",
  };
}

let xmllint = false;
/** What xmllint says of `xml` against the official schema (no network: the catalog maps the import). */
function validate(xml: string): { ok: boolean; said: string } {
  const file = join(mkdtempSync(join(tmpdir(), "fatturapa-")), "invoice.xml");
  writeFileSync(file, xml);
  const r = spawnSync(
    "xmllint",
    ["--noout", "--nonet", "--schema", join(xsd, "Schema_VFPR12_v1.2.3.xsd"), file],
    {
      encoding: "utf8",
      env: { ...process.env, XML_CATALOG_FILES: join(xsd, "catalog.xml") },
    },
  );
  return { ok: r.status === 0, said: r.stderr };
}

describe("FatturaPA XML (FPR12)", () => {
  beforeAll(() => {
    xmllint = ensureDebianPackage("libxml2-utils", () => spawnSync("xmllint", ["--version"]).status === 0);
    if (!xmllint) toolMissing("xmllint", "the FatturaPA schema validation");
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
    expect(validate(xml)).toEqual({ ok: true, said: expect.any(String) });
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
    expect(validate(noteXml).ok).toBe(true);
    expect(noteXml).toContain("<IdDocumento>2026/7</IdDocumento>");
    expect(noteXml).toContain("<PECDestinatario>acme@pec.example</PECDestinatario>");
  });

  it("is checked for real: the schema refuses a document type it does not know", (ctx) => {
    if (!xmllint) return ctx.skip();
    const broken = fatturaPaXml(issued(), lab, acme).replace("<TipoDocumento>TD01", "<TipoDocumento>TD99");
    const r = validate(broken);
    expect(r.ok).toBe(false);
    expect(r.said).toContain("TipoDocumento");
  });
});
