import { create } from "xmlbuilder2";
import type { FiscalData } from "./fiscal.js";
import { mulDivHalfUp } from "./invoice.js";
import type { IssuedInvoice } from "./invoices.js";

/**
 * An invoice or credit note as FatturaPA XML (format FPR12, schema 1.2.x of the Agenzia delle
 * Entrate), written with xmlbuilder2, and the file name the exchange system requires
 * (`IT<VAT number>_<progressive>.xml`). Amounts: cents as euro with two decimals; a unit price
 * (a fraction of a cent a unit) with up to eight.
 */

const NS = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2";

/** Cents as euro, two decimals: 1210 -> "12.10". */
export function euros(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** `price / per` cents as euro, rounded half up to eight decimals, at least two: 80/100 -> "0.008". */
export function unitEuros(price: number, per: number): string {
  // euro × 10^8 = price × 10^6 / per
  const scaled = mulDivHalfUp(price, 1_000_000, per);
  const whole = Math.floor(scaled / 100_000_000);
  const fraction = String(scaled % 100_000_000)
    .padStart(8, "0")
    .replace(/0+$/, "");
  return `${whole}.${fraction.padEnd(2, "0")}`;
}

/** A rate in hundredths of a percent, as FatturaPA writes it: 2200 -> "22.00". */
const rate = (hundredths: number) => euros(hundredths);

/** The progressive of the file name and of ProgressivoInvio: the document's, five characters. */
const progressive = (invoice: IssuedInvoice) =>
  `${String(invoice.year).slice(2)}${invoice.sequence.toString(36).toUpperCase().padStart(3, "0")}`;

/** The name the exchange system requires for the document's file. */
export function fatturaPaFileName(invoice: IssuedInvoice, lab: FiscalData): string {
  return `IT${lab.vatNumber}_${progressive(invoice)}.xml`;
}

type Node = ReturnType<typeof create>;

function party(node: Node, d: FiscalData): void {
  const who = node.ele("DatiAnagrafici");
  if (d.vatNumber)
    who.ele("IdFiscaleIVA").ele("IdPaese").txt(d.country).up().ele("IdCodice").txt(d.vatNumber);
  if (d.taxCode) who.ele("CodiceFiscale").txt(d.taxCode);
  who.ele("Anagrafica").ele("Denominazione").txt(d.name);
}

function address(node: Node, d: FiscalData): void {
  const sede = node.ele("Sede");
  sede.ele("Indirizzo").txt(d.street);
  sede.ele("CAP").txt(d.postcode);
  sede.ele("Comune").txt(d.city);
  if (/^[A-Z]{2}$/.test(d.province)) sede.ele("Provincia").txt(d.province);
  sede.ele("Nazione").txt(d.country);
}

/** The document as FPR12 XML, from the lab (`lab`) to the customer (`customer`). */
export function fatturaPaXml(invoice: IssuedInvoice, lab: FiscalData, customer: FiscalData): string {
  const root = create({ version: "1.0", encoding: "UTF-8" }).ele(NS, "p:FatturaElettronica", {
    versione: "FPR12",
    "xmlns:ds": "http://www.w3.org/2000/09/xmldsig#",
    "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
  });
  const header = root.ele("FatturaElettronicaHeader");
  const transmission = header.ele("DatiTrasmissione");
  transmission
    .ele("IdTrasmittente")
    .ele("IdPaese")
    .txt(lab.country)
    .up()
    .ele("IdCodice")
    .txt(lab.vatNumber ?? "");
  transmission.ele("ProgressivoInvio").txt(progressive(invoice));
  transmission.ele("FormatoTrasmissione").txt("FPR12");
  transmission.ele("CodiceDestinatario").txt(customer.recipientCode ?? "0000000");
  if (!customer.recipientCode && customer.pec) transmission.ele("PECDestinatario").txt(customer.pec);

  const seller = header.ele("CedentePrestatore");
  party(seller, lab);
  seller.first().ele("RegimeFiscale").txt("RF01"); // the ordinary regime
  address(seller, lab);
  const buyer = header.ele("CessionarioCommittente");
  party(buyer, customer);
  address(buyer, customer);

  const body = root.ele("FatturaElettronicaBody");
  const general = body.ele("DatiGenerali");
  const doc = general.ele("DatiGeneraliDocumento");
  doc.ele("TipoDocumento").txt(invoice.documentType);
  doc.ele("Divisa").txt("EUR");
  doc.ele("Data").txt(invoice.date);
  doc.ele("Numero").txt(invoice.number);
  doc.ele("ImportoTotaleDocumento").txt(euros(invoice.total));
  if (invoice.cancels) general.ele("DatiFattureCollegate").ele("IdDocumento").txt(invoice.cancels);

  const goods = body.ele("DatiBeniServizi");
  invoice.lines.forEach((l, i) => {
    const line = goods.ele("DettaglioLinee");
    line.ele("NumeroLinea").txt(String(i + 1));
    line.ele("Descrizione").txt(l.description);
    line.ele("Quantita").txt(`${l.quantity}.00`);
    line.ele("DataInizioPeriodo").txt(l.from);
    line.ele("DataFinePeriodo").txt(l.to);
    line.ele("PrezzoUnitario").txt(unitEuros(l.unitPrice.price, l.unitPrice.per));
    line.ele("PrezzoTotale").txt(euros(l.amount));
    line.ele("AliquotaIVA").txt(rate(l.vatRate));
  });
  for (const v of invoice.vat) {
    const summary = goods.ele("DatiRiepilogo");
    summary.ele("AliquotaIVA").txt(rate(v.vatRate));
    summary.ele("ImponibileImporto").txt(euros(v.taxable));
    summary.ele("Imposta").txt(euros(v.tax));
    summary.ele("EsigibilitaIVA").txt("I");
  }
  return root.end({ prettyPrint: true });
}
