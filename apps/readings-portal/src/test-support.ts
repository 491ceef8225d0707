import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Contract, Reading } from "@vendkit/metering";
import { ensureDebianPackage, postgresFor, toolMissing } from "@vendkit/test-support";
import { type ParsedMail, simpleParser } from "mailparser";
import pg from "pg";
import { afterAll } from "vitest";
import { billingRun } from "./billing-run.js";
import { type Db, openDb } from "./db.js";
import type { FiscalData } from "./fiscal.js";
import { servePortal } from "./http.js";
import { invoiceDraft } from "./invoice.js";
import type { IssuedInvoice } from "./invoices.js";
import { startMailSink } from "./mail-sink.js";
import { smtpMailer } from "./mailer.js";
import { Portal, type PortalOptions, type Principal } from "./portal.js";
import type { InstallationRow } from "./store.js";

export const OPERATOR: Principal = { role: "operator", userId: "op" };

export interface Backend {
  readonly name: "sqlite" | "postgres";
  open(): Promise<Db>;
}

/**
 * The databases a test file runs against (call it with top-level await): SQLite always, and
 * PostgreSQL when it can be installed and started here — a throwaway cluster for the file, a fresh
 * database per portal. When PostgreSQL cannot run, it is left out with a plain warning.
 */
export async function backends(what: string): Promise<Backend[]> {
  const sqlite: Backend = {
    name: "sqlite",
    open: async () => openDb(join(mkdtempSync(join(tmpdir(), "portal-")), "portal.sqlite")),
  };
  const server = await postgresFor(`${what} on PostgreSQL`);
  if (!server) return [sqlite];
  afterAll(() => server.stop());
  let n = 0;
  const postgres: Backend = {
    name: "postgres",
    open: async () => {
      const name = `portal_${process.pid}_${++n}`;
      const admin = new pg.Client({ connectionString: server.url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      return openDb(server.url.replace(/\/postgres$/, `/${name}`));
    },
  };
  return [sqlite, postgres];
}

export interface Rig {
  readonly portal: Portal;
  /** Every message the loopback SMTP server received, parsed. */
  readonly mails: ParsedMail[];
  /** Waits until `count` messages have arrived. */
  mailCount(count: number): Promise<ParsedMail[]>;
  clock: { now: Date };
  readonly db: Db;
  close(): Promise<void>;
}

/** A portal on `db` with a real SMTP server on loopback and a settable clock. */
export async function rig(db: Db, options: Partial<PortalOptions> = {}): Promise<Rig> {
  const mails: ParsedMail[] = [];
  const pending: Promise<void>[] = [];
  const sink = await startMailSink({
    onMessage: (raw) => {
      pending.push(simpleParser(raw).then((m) => void mails.push(m)));
    },
  });
  const clock = { now: new Date("2026-03-25T09:00:00Z") };
  const mailer = smtpMailer(`smtp://127.0.0.1:${sink.port}`, "portal@test.example");
  const portal = await Portal.open({
    db,
    mailer,
    baseUrl: "http://portal.test",
    operatorEmail: "operator@test.example",
    now: () => clock.now,
    ...options,
  });
  return {
    portal,
    mails,
    clock,
    db,
    async mailCount(count) {
      for (let i = 0; i < 200 && mails.length < count; i++) {
        await Promise.all(pending);
        if (mails.length < count) await new Promise((r) => setTimeout(r, 10));
      }
      return mails;
    },
    async close() {
      mailer.close();
      await sink.close();
      await db.close();
    },
  };
}

/** An operator, two customers with a copier each (ACME-1, BETA-1), monthly contracts from 2026-01-01 read on the 28th. */
export async function twoCustomers(portal: Portal): Promise<void> {
  await portal.createOperator("op", "operator-password");
  for (const [code, serial] of [
    ["ACME", "MX-1"],
    ["BETA", "MX-2"],
  ] as const) {
    await portal.registry.addCustomer(OPERATOR, {
      id: code,
      name: `${code} Srl`,
      email: `${code.toLowerCase()}@customer.example`,
      userId: code.toLowerCase(),
      password: `${code.toLowerCase()}-password`,
    });
    await portal.registry.addDevice(OPERATOR, {
      model: "Copier",
      serial,
      counters: ["mono", "colour"],
      consumables: ["toner:mono:20000"],
    });
    await portal.registry.addInstallation(OPERATOR, {
      id: `${code}-1`,
      serial,
      customerId: code,
      site: `${code} office`,
    });
    await portal.registry.setContract(OPERATOR, {
      installationId: `${code}-1`,
      period: "monthly",
      readingDay: 28,
      start: "2026-01-28",
      fee: 5000,
      terms: "mono: 1000 included; 1/1\ncolour: 100 included; 10/1",
    });
  }
}

/** A portal served over HTTP on a free loopback port (its e-mail links point there). */
export async function served(db: Db): Promise<Rig & { base: string }> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", () => r()));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
  const base = `http://127.0.0.1:${port}`;
  const r = await rig(db, { baseUrl: base });
  const server = await servePortal(r.portal, port);
  return {
    ...r,
    base,
    async close() {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
      await r.close();
    },
  };
}

/** A lab and a customer with fiscal data the checks accept (synthetic). */
export const SAMPLE_LAB: FiscalData = {
  name: "Copie Rapide Srl",
  vatNumber: "01234567897",
  street: "Via Roma 1",
  postcode: "20121",
  city: "Milano",
  province: "MI",
  country: "IT",
};
export const SAMPLE_CUSTOMER: FiscalData = {
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
export function sampleInvoice(): IssuedInvoice {
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

/** The official FatturaPA schema's folder (see xsd/README.md). */
export const XSD = join(dirname(fileURLToPath(import.meta.url)), "..", "xsd");

/** xmllint for `what`, installed when missing (Debian's libxml2-utils); false when it cannot be had (on CI, that fails). */
export function xmllintFor(what: string): boolean {
  const ok = ensureDebianPackage("libxml2-utils", () => spawnSync("xmllint", ["--version"]).status === 0);
  if (!ok) toolMissing("xmllint", what);
  return ok;
}

/** What xmllint says of `xml` against the official schema (no network: the catalog maps its import). */
export function validateFatturaPa(xml: string): { ok: boolean; said: string } {
  const file = join(mkdtempSync(join(tmpdir(), "fatturapa-")), "invoice.xml");
  writeFileSync(file, xml);
  const r = spawnSync(
    "xmllint",
    ["--noout", "--nonet", "--schema", join(XSD, "Schema_VFPR12_v1.2.3.xsd"), file],
    {
      encoding: "utf8",
      env: { ...process.env, XML_CATALOG_FILES: join(XSD, "catalog.xml") },
    },
  );
  return { ok: r.status === 0, said: r.stderr };
}
