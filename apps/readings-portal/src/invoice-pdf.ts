import PDFDocument from "pdfkit";
import { euros, unitEuros } from "./fatturapa.js";
import type { FiscalData } from "./fiscal.js";
import type { IssuedInvoice } from "./invoices.js";

/**
 * A readable copy of an invoice or credit note as PDF (pdfkit): the same numbers as its
 * FatturaPA XML (the same formatting functions), on A4. `compress: false` keeps the page's text
 * readable in the file, for a test to read it back.
 */
export function invoicePdf(
  invoice: IssuedInvoice,
  lab: FiscalData,
  customer: FiscalData,
  options: { readonly compress?: boolean } = {},
): Promise<Buffer> {
  const doc = new PDFDocument({ size: "A4", margin: 50, compress: options.compress ?? true });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));

  const title =
    invoice.documentType === "TD04"
      ? `Credit note ${invoice.number} (cancels invoice ${invoice.cancels})`
      : `Invoice ${invoice.number}`;
  doc.font("Helvetica-Bold").fontSize(16).text(title);
  doc.font("Helvetica").fontSize(10).text(`Date ${invoice.date} - billing of ${invoice.month}`);
  doc.moveDown();
  const party = (label: string, d: FiscalData) => {
    doc.font("Helvetica-Bold").text(label);
    doc.font("Helvetica").text(d.name);
    if (d.vatNumber) doc.text(`VAT number ${d.country}${d.vatNumber}`);
    if (d.taxCode) doc.text(`Tax code ${d.taxCode}`);
    doc.text(`${d.street}, ${d.postcode} ${d.city}${d.province ? ` (${d.province})` : ""}, ${d.country}`);
    doc.moveDown(0.5);
  };
  party("From", lab);
  party("To", customer);
  doc.moveDown();

  doc.font("Helvetica-Bold").text("Description", 50, doc.y, { continued: false });
  invoice.lines.forEach((l, i) => {
    doc.font("Helvetica").fontSize(9);
    doc.text(`${i + 1}. ${l.description}`);
    doc.text(
      `   ${l.quantity} x EUR ${unitEuros(l.unitPrice.price, l.unitPrice.per)} = EUR ${euros(l.amount)}, VAT ${euros(l.vatRate)} %`,
    );
  });
  doc.moveDown();
  doc.fontSize(10);
  for (const v of invoice.vat)
    doc.text(`Taxable at ${euros(v.vatRate)} %: EUR ${euros(v.taxable)}; VAT EUR ${euros(v.tax)}`);
  doc.font("Helvetica-Bold").text(`Total EUR ${euros(invoice.total)}`);
  doc.end();
  return done;
}
