import type { Contract, Reading } from "@vendkit/metering";
import { billingRun } from "./billing-run.js";
import type { Db, Queryable } from "./db.js";
import { PortalError } from "./errors.js";
import { fatturaPaFileName, fatturaPaXml } from "./fatturapa.js";
import { MONTH } from "./input-checks.js";
import { type InvoiceDraft, invoiceDraft } from "./invoice.js";
import { invoicePdf } from "./invoice-pdf.js";
import type { Principal } from "./portal.js";
import * as store from "./store.js";

/** What the invoices use of the portal. */
export interface InvoicePortal {
  readonly db: Db;
  now(): Date;
  operatorOnly(p: Principal): void;
}

/** A document's file: its name, type and bytes. */
export interface InvoiceFile {
  readonly name: string;
  readonly type: string;
  readonly bytes: Uint8Array;
}

/** An issued document: an invoice (TD01) or a credit note (TD04) that cancels one. */
export interface IssuedInvoice extends InvoiceDraft {
  /** `<year>/<sequence>`, sequential per year, gap-free, never reused. */
  readonly number: string;
  readonly year: number;
  readonly sequence: number;
  readonly date: string;
  readonly documentType: "TD01" | "TD04";
  /** The billing month it invoices (YYYY-MM). */
  readonly month: string;
  /** A credit note: the invoice it cancels. */
  readonly cancels?: string;
}

/** What a run says of each invoice it issued (the documents themselves: `list`, `file`). */
export interface IssuedSummary {
  readonly number: string;
  readonly customerId: string;
  readonly total: number;
}

/** The VAT rate the invoices apply, in hundredths of a percent: Italy's standard 22 %. */
export const STANDARD_VAT = 2200;

/**
 * The invoices of billing runs (issue "Ripro: from the billing run to the invoice"): a month's
 * billed periods become one invoice per customer, each period invoiced once; numbers run per
 * year without gaps, taken in the same transaction as the invoice (a failed run takes none) and
 * never given twice, also when two runs race (PostgreSQL: SERIALIZABLE, retried; SQLite: one
 * writer). An issued invoice is never changed: a correction is a credit note (TD04) that cites it.
 */
export class PortalInvoices {
  constructor(private readonly portal: InvoicePortal) {}

  /**
   * Issues the invoices of `month`'s billed periods not invoiced yet, and says which it issued.
   * One transaction for the run (its numbers are gap-free), read customer by customer: what it
   * holds at a time is one customer's installations and readings, whatever the fleet's size.
   */
  async issue(p: Principal, month: string, vatRate = STANDARD_VAT): Promise<IssuedSummary[]> {
    this.portal.operatorOnly(p);
    if (!MONTH.test(month)) throw new PortalError("BAD_INPUT", `"${month}" is not a YYYY-MM month`);
    const date = this.portal.now().toISOString().slice(0, 10);
    return this.portal.db.transaction(async (q) => {
      const issued: IssuedSummary[] = [];
      const customers = await q.all<{ id: string }>(`SELECT id FROM customers ORDER BY id`);
      for (const { id: customerId } of customers) {
        const insts = await store.installations(q, customerId);
        const contracts = new Map<string, Contract>();
        const readings = new Map<string, Reading[]>();
        for (const inst of insts) {
          const contract = await store.contractOf(q, inst.id);
          if (contract === undefined) continue;
          contracts.set(inst.id, contract);
          readings.set(inst.id, await store.readingsOf(q, inst.id));
        }
        const done = new Set(
          (
            await q.all<{ installation_id: string; period_to: string }>(
              `SELECT i.installation_id, i.period_to FROM invoiced_periods i
               JOIN installations n ON n.id = i.installation_id WHERE n.customer_id = $1`,
              [customerId],
            )
          ).map((r) => `${r.installation_id}|${r.period_to}`),
        );
        const entries = billingRun(month, insts, contracts, readings).entries.filter(
          (e) => e.bill !== undefined && !done.has(`${e.installation.id}|${e.to}`),
        );
        if (entries.length === 0) continue;
        const invoice = await this.record(q, {
          ...invoiceDraft(customerId, entries, contracts, vatRate),
          date,
          documentType: "TD01",
          month,
        });
        for (const e of entries)
          await q.run(
            `INSERT INTO invoiced_periods (installation_id, period_to, invoice) VALUES ($1, $2, $3)`,
            [e.installation.id, e.to, invoice.number],
          );
        issued.push({ number: invoice.number, customerId, total: invoice.total });
      }
      return issued;
    });
  }

  /** A credit note (TD04) cancelling invoice `number` whole; the invoice itself stays as issued. */
  async creditNote(p: Principal, number: string): Promise<IssuedInvoice> {
    this.portal.operatorOnly(p);
    const date = this.portal.now().toISOString().slice(0, 10);
    return this.portal.db.transaction(async (q) => {
      const original = await this.find(q, number);
      if (original === undefined) throw new PortalError("NOT_FOUND", `no invoice ${number}`);
      if (original.documentType !== "TD01") throw new PortalError("CONFLICT", `${number} is a credit note`);
      const already = await q.get<{ number: string }>(`SELECT number FROM invoices WHERE cancels = $1`, [
        number,
      ]);
      if (already !== undefined)
        throw new PortalError("CONFLICT", `invoice ${number} is already cancelled by ${already.number}`);
      const {
        number: _n,
        year: _y,
        sequence: _s,
        date: _d,
        documentType: _t,
        cancels: _c,
        ...draft
      } = original;
      return this.record(q, { ...draft, date, documentType: "TD04", cancels: number });
    });
  }

  /** Every issued document, in number order. */
  async list(p: Principal): Promise<IssuedInvoice[]> {
    this.portal.operatorOnly(p);
    const rows = await this.portal.db.all<{ data: string }>(
      `SELECT data FROM invoices ORDER BY year, sequence`,
    );
    return rows.map((r) => JSON.parse(r.data) as IssuedInvoice);
  }

  /** The documents `p` may see: the operator all of them, a customer its own. */
  async visible(p: Principal): Promise<IssuedInvoice[]> {
    if (p.role === "operator") return this.list(p);
    const rows = await this.portal.db.all<{ data: string }>(
      `SELECT data FROM invoices WHERE customer_id = $1 ORDER BY year, sequence`,
      [p.customerId],
    );
    return rows.map((r) => JSON.parse(r.data) as IssuedInvoice);
  }

  /**
   * Document `number` as FatturaPA XML or PDF, for whoever may see it (someone else's answers as a
   * missing one); it needs the lab's and the customer's fiscal data.
   */
  async file(p: Principal, number: string, kind: "xml" | "pdf"): Promise<InvoiceFile> {
    const invoice = await this.find(this.portal.db, number);
    if (invoice === undefined || (p.role === "customer" && p.customerId !== invoice.customerId))
      throw new PortalError("NOT_FOUND", `no invoice ${number}`);
    const from = await store.labFiscal(this.portal.db);
    const to = await store.customerFiscal(this.portal.db, invoice.customerId);
    if (from === undefined || to === undefined)
      throw new PortalError(
        "CONFLICT",
        `the ${from === undefined ? "lab's" : `customer ${invoice.customerId}'s`} fiscal data are missing: set them in the registry`,
      );
    if (kind === "xml")
      return {
        name: fatturaPaFileName(invoice, from),
        type: "application/xml",
        bytes: new TextEncoder().encode(fatturaPaXml(invoice, from, to)),
      };
    return {
      name: `invoice-${invoice.number.replace("/", "-")}.pdf`,
      type: "application/pdf",
      bytes: await invoicePdf(invoice, from, to),
    };
  }

  private async find(q: Queryable, number: string): Promise<IssuedInvoice | undefined> {
    const row = await q.get<{ data: string }>(`SELECT data FROM invoices WHERE number = $1`, [number]);
    return row === undefined ? undefined : (JSON.parse(row.data) as IssuedInvoice);
  }

  /** Takes the year's next number and keeps the document under it, in the transaction `q`. */
  private async record(
    q: Queryable,
    doc: Omit<IssuedInvoice, "number" | "year" | "sequence">,
  ): Promise<IssuedInvoice> {
    const year = Number(doc.date.slice(0, 4));
    await q.run(
      `INSERT INTO invoice_numbers (year, last) VALUES ($1, 1)
       ON CONFLICT (year) DO UPDATE SET last = invoice_numbers.last + 1`,
      [year],
    );
    const row = await q.get<{ last: number | string }>(`SELECT last FROM invoice_numbers WHERE year = $1`, [
      year,
    ]);
    const sequence = Number(row?.last);
    const invoice: IssuedInvoice = { ...doc, number: `${year}/${sequence}`, year, sequence };
    await q.run(
      `INSERT INTO invoices (number, year, sequence, customer_id, document_type, cancels, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        invoice.number,
        year,
        sequence,
        invoice.customerId,
        invoice.documentType,
        invoice.cancels ?? null,
        JSON.stringify(invoice),
      ],
    );
    return invoice;
  }
}
