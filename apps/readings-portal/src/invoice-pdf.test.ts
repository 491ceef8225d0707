import { describe, expect, it } from "vitest";
import { euros } from "./fatturapa.js";
import { invoicePdf } from "./invoice-pdf.js";
import type { IssuedInvoice } from "./invoices.js";
import { SAMPLE_CUSTOMER, SAMPLE_LAB, sampleInvoice } from "./test-support.js";

/** The lines of text an uncompressed PDF shows: each TJ array's strings joined. */
function pdfText(pdf: Buffer): string[] {
  return [...pdf.toString("latin1").matchAll(/\[(.*?)\] TJ/g)].map((m) =>
    [...(m[1] as string).matchAll(/<([0-9a-f]+)>/g)]
      .map((h) => Buffer.from(h[1] as string, "hex").toString("latin1"))
      .join(""),
  );
}

describe("an invoice as PDF", () => {
  it("shows the same numbers as the XML: lines, VAT per rate, total", async () => {
    const invoice = sampleInvoice();
    const pdf = await invoicePdf(invoice, SAMPLE_LAB, SAMPLE_CUSTOMER, { compress: false });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const text = pdfText(pdf);
    expect(text).toContain("Invoice 2026/7");
    expect(text).toContain("VAT number IT01234567897");
    expect(text).toContain("   10000 x EUR 0.008 = EUR 80.00, VAT 22.00 %");
    expect(text).toContain("Taxable at 22.00 %: EUR 200.00; VAT EUR 44.00");
    expect(text).toContain(`Total EUR ${euros(invoice.total)}`);
    expect(invoice.total).toBe(24_400);
  });

  it("says what a credit note cancels", async () => {
    const note: IssuedInvoice = {
      ...sampleInvoice(),
      number: "2026/8",
      documentType: "TD04",
      cancels: "2026/7",
    };
    const text = pdfText(await invoicePdf(note, SAMPLE_LAB, SAMPLE_CUSTOMER, { compress: false }));
    expect(text).toContain("Credit note 2026/8 (cancels invoice 2026/7)");
  });
});
