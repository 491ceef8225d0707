import { randomBytes } from "node:crypto";
import { checkConsumables, type Reading, validateReading } from "@vendkit/metering";
import type { Db, Queryable } from "./db.js";
import { PortalError } from "./errors.js";
import { PortalImports } from "./imports.js";
import { ID, need, refuseIf } from "./input-checks.js";
import { PortalInvoices } from "./invoices.js";
import type { Mailer } from "./mailer.js";
import { migrate } from "./migrations.js";
import { hashPassword, passwordProblem, verifyPassword } from "./passwords.js";
import { readingsToCsv } from "./readings-csv.js";
import { PortalRegistry } from "./registry.js";
import { PortalReports } from "./reports.js";
import { addDays, DEFAULT_RULES, type ScheduleRules } from "./schedule.js";
import * as store from "./store.js";
import { Tokens } from "./tokens.js";

export type { ArchiveImportResult, ImportResult } from "./imports.js";
export type { BoardRow } from "./reports.js";

export type Principal =
  | { readonly role: "operator"; readonly userId: string }
  | {
      readonly role: "customer";
      readonly userId: string;
      readonly customerId: string;
      /** Set when the session came from a reading link: that installation only. */
      readonly only?: string;
    };

export interface PortalOptions {
  readonly db: Db;
  readonly mailer: Mailer;
  /** The portal's public address, for the links in e-mails. */
  readonly baseUrl: string;
  /** The operator's mailbox: each confirmed reading arrives there as a CSV attachment. */
  readonly operatorEmail: string;
  readonly now?: () => Date;
  /** HMAC key for tokens; by default one is made on first start and kept in the database. */
  readonly secret?: string;
  readonly rules?: Partial<ScheduleRules>;
  readonly sessionHours?: number;
  readonly log?: (line: string) => void;
}

export interface Review {
  readonly reading: Reading;
  /** Warnings the customer sees before confirming (errors refuse the reading instead). */
  readonly warnings: readonly string[];
}

const today = (d: Date) => d.toISOString().slice(0, 10);
const sameReading = (a: Reading, b: Reading) =>
  JSON.stringify([a.counters, a.consumables ?? {}]) === JSON.stringify([b.counters, b.consumables ?? {}]);

/**
 * The readings portal's rules, apart from HTTP: accounts and sessions, what each principal may
 * see, readings validated and stored, the scheduler's mail, imports and the billing run. Every
 * customer-facing call takes the principal and checks the installation belongs to it; an
 * installation of someone else answers exactly as one that does not exist.
 */
export class Portal {
  readonly rules: ScheduleRules;
  private constructor(
    readonly db: Db,
    private readonly options: PortalOptions,
    private readonly tokens: Tokens,
  ) {
    this.rules = { ...DEFAULT_RULES, ...options.rules };
    this.registry = new PortalRegistry({
      db,
      now: () => this.now(),
      operatorOnly: (p) => this.operatorOnly(p),
      visibleInstallation: (p, id) => this.visibleInstallation(p, id),
      insertAccount: (q, userId, role, customerId, password) =>
        this.insertAccount(q, userId, role, customerId, password),
    });
    this.imports = new PortalImports({
      db,
      operatorOnly: (p) => this.operatorOnly(p),
      visibleInstallation: (p, id) => this.visibleInstallation(p, id),
      store: (reading) => this.store(reading),
      storeIn: (q, reading) => this.storeIn(q, reading),
    });
    this.invoices = new PortalInvoices({
      db,
      now: () => this.now(),
      operatorOnly: (p) => this.operatorOnly(p),
    });
    this.reports = new PortalReports({
      db,
      rules: this.rules,
      now: () => this.now(),
      operatorOnly: (p) => this.operatorOnly(p),
      mail: (m) => this.mail(m),
      readingLink: (id, due) => this.readingLink(id, due),
    });
  }

  static async open(options: PortalOptions): Promise<Portal> {
    await migrate(options.db);
    let secret = options.secret;
    if (secret === undefined) {
      await options.db.run(
        `INSERT INTO settings (key, value) VALUES ('secret', $1) ON CONFLICT (key) DO NOTHING`,
        [Tokens.newSecret()],
      );
      secret = (await options.db.get<{ value: string }>(`SELECT value FROM settings WHERE key = 'secret'`))
        ?.value;
    }
    return new Portal(options.db, options, new Tokens(Buffer.from(secret as string)));
  }

  now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /**
   * The latest date a reading may have: today where it is latest (UTC+14), so that no customer's
   * today is refused as the future, whatever their time zone.
   */
  latestDate(): string {
    return new Date(this.now().getTime() + 14 * 3_600_000).toISOString().slice(0, 10);
  }

  private log(line: string) {
    this.options.log?.(line);
  }

  // ---- accounts and sessions ----

  async createOperator(userId: string, password: string): Promise<void> {
    const problems: string[] = [];
    need(ID.test(userId), "a user id is 1-40 letters, digits, dots, dashes or underscores", problems);
    const weak = passwordProblem(password);
    if (weak) problems.push(weak);
    refuseIf(problems, "operator not created");
    await this.insertAccount(this.db, userId, "operator", null, password);
  }

  private async insertAccount(
    q: Queryable,
    userId: string,
    role: string,
    customerId: string | null,
    password: string,
  ) {
    const hash = await hashPassword(password);
    const added = await q.run(
      `INSERT INTO accounts (user_id, role, customer_id, password_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id) DO NOTHING`,
      [userId, role, customerId, hash],
    );
    if (added === 0) throw new PortalError("CONFLICT", `the user id "${userId}" is taken`);
  }

  /** The principal for a user id and password; one refusal for an unknown user or a wrong password. */
  async login(userId: string, password: string): Promise<Principal> {
    const account = await this.db.get<{
      user_id: string;
      role: string;
      customer_id: string | null;
      password_hash: string;
    }>(`SELECT * FROM accounts WHERE user_id = $1`, [userId]);
    // An unknown user costs the same scrypt as a known one.
    const ok = await verifyPassword(password, account?.password_hash ?? DUMMY_HASH);
    if (!account || !ok) throw new PortalError("UNAUTHENTICATED", "unknown user id or wrong password");
    return account.role === "operator"
      ? { role: "operator", userId: account.user_id }
      : { role: "customer", userId: account.user_id, customerId: account.customer_id as string };
  }

  /** A session token (cookie value) for a principal. */
  session(p: Principal): string {
    const hours = this.options.sessionHours ?? 12;
    return this.tokens.sign({
      purpose: "session",
      sub: p.userId,
      exp: this.now().getTime() + hours * 3_600_000,
      role: p.role,
      customer: p.role === "customer" ? p.customerId : undefined,
      only: p.role === "customer" ? p.only : undefined,
      n: randomBytes(9).toString("base64url"),
    });
  }

  principal(sessionToken: string): Principal {
    const c = this.tokens.verify(sessionToken, "session", this.now().getTime());
    if (c.role === "operator") return { role: "operator", userId: c.sub };
    if (c.role === "customer" && typeof c.customer === "string")
      return {
        role: "customer",
        userId: c.sub,
        customerId: c.customer,
        ...(typeof c.only === "string" ? { only: c.only } : {}),
      };
    throw new PortalError("BAD_TOKEN", "the session is malformed");
  }

  /** The key the web face's CSRF tokens are made with (see http.ts), from the portal's secret. */
  get csrfKey(): Buffer {
    return this.tokens.derive("csrf");
  }

  /** The link a reading request carries: that installation, that reading day, until it expires. */
  readingLink(installationId: string, due: string): string {
    const exp = Date.parse(`${addDays(due, this.rules.linkDays)}T23:59:59Z`);
    const token = this.tokens.sign({ purpose: "reading-link", sub: installationId, exp, due });
    return `${this.options.baseUrl}/r/${token}`;
  }

  /** A session limited to the link's installation. */
  async openLink(token: string): Promise<Principal> {
    const c = this.tokens.verify(token, "reading-link", this.now().getTime());
    const inst = await store.installation(this.db, c.sub);
    if (!inst) throw new PortalError("NOT_FOUND", "this installation no longer exists");
    return { role: "customer", userId: `link:${inst.id}`, customerId: inst.customerId, only: inst.id };
  }

  // ---- what a principal may see ----

  private operatorOnly(p: Principal) {
    if (p.role !== "operator") throw new PortalError("FORBIDDEN", "this page is for the operator");
  }

  /** The installation if `p` may see it; NOT_FOUND otherwise, whether it exists or not. */
  async visibleInstallation(p: Principal, id: string): Promise<store.InstallationRow> {
    const inst = await store.installation(this.db, id);
    const allowed =
      inst !== undefined &&
      (p.role === "operator" ||
        (inst.customerId === p.customerId && (p.only === undefined || p.only === id)));
    if (!allowed) throw new PortalError("NOT_FOUND", `no installation "${id}"`);
    return inst;
  }

  async installationsFor(p: Principal): Promise<store.InstallationRow[]> {
    if (p.role === "operator") return store.installations(this.db);
    const mine = await store.installations(this.db, p.customerId);
    return p.only === undefined ? mine : mine.filter((i) => i.id === p.only);
  }

  async readingsFor(p: Principal, installationId: string): Promise<store.StoredReading[]> {
    await this.visibleInstallation(p, installationId);
    return store.readingsOf(this.db, installationId);
  }

  async receipt(
    p: Principal,
    receipt: string,
  ): Promise<{ reading: store.StoredReading; installation: store.InstallationRow }> {
    const reading = await store.readingByReceipt(this.db, receipt);
    if (!reading) throw new PortalError("NOT_FOUND", `no receipt "${receipt}"`);
    try {
      return { reading, installation: await this.visibleInstallation(p, reading.installationId) };
    } catch {
      throw new PortalError("NOT_FOUND", `no receipt "${receipt}"`);
    }
  }

  // ---- readings ----

  /**
   * Checks a reading against its device and history. Errors refuse it (READING_REFUSED, one
   * message per problem); warnings (an implausible jump, consumables used faster or slower than
   * the counters say) let it in, marked for the operator.
   */
  private async check(
    q: Queryable,
    reading: Reading,
  ): Promise<{ reading: Reading; warnings: string[]; existing?: store.StoredReading }> {
    const inst = await store.installation(q, reading.installationId);
    if (!inst) throw new PortalError("READING_REFUSED", `no installation "${reading.installationId}"`, []);
    const history = await store.readingsOf(q, reading.installationId);
    const existing = history.find((r) => r.date === reading.date);
    if (existing) return { reading, warnings: [], existing };
    const replacements = reading.replacements ?? (await store.pendingReplacements(q, reading.installationId));
    if (replacements) reading = { ...reading, replacements };
    const findings = validateReading(inst.device, history, reading, { latestDate: this.latestDate() });
    const errors = findings.filter((f) => f.severity === "error").map((f) => f.message);
    if (errors.length > 0)
      throw new PortalError("READING_REFUSED", `reading refused: ${errors.join("; ")}`, errors);
    const warnings = findings.map((f) => f.message);
    for (const level of Object.keys(reading.consumables ?? {}))
      if (!inst.device.consumables.some((c) => c.name === level))
        throw new PortalError("READING_REFUSED", `${inst.device.model} has no consumable "${level}"`, [
          `${inst.device.model} has no consumable "${level}"`,
        ]);
    const previous = history[history.length - 1];
    if (previous)
      for (const c of checkConsumables(inst.device, previous, reading))
        if (c.finding !== "ok")
          warnings.push(
            `${c.consumable}: ${c.finding}, level fell ${c.reportedDrop} points where the counters predict ${c.expectedDrop}`,
          );
    return { reading, warnings };
  }

  /** Stores a reading unless the same one is there; a different one on the same day is a conflict. */
  private store(
    reading: Reading,
  ): Promise<{ outcome: "accepted" | "unchanged"; stored: store.StoredReading }> {
    return this.db.transaction((q) => this.storeIn(q, reading));
  }

  /** Checks and keeps one reading inside the transaction `q` (refused: `PortalError`). */
  private async storeIn(
    q: Queryable,
    reading: Reading,
  ): Promise<{ outcome: "accepted" | "unchanged"; stored: store.StoredReading }> {
    const { reading: checked, warnings, existing } = await this.check(q, reading);
    if (existing) {
      if (sameReading(existing, reading)) return { outcome: "unchanged" as const, stored: existing };
      throw new PortalError(
        "CONFLICT",
        `a different reading of ${reading.installationId} on ${reading.date} is on file (receipt ${existing.receipt})`,
        [`a different reading on ${reading.date} is on file (receipt ${existing.receipt})`],
      );
    }
    const stored: store.StoredReading = {
      ...checked,
      receipt: `R-${randomBytes(5).toString("hex").toUpperCase()}`,
      receivedAt: this.now().toISOString(),
      findings: warnings,
    };
    await store.insertReading(q, stored);
    if (checked.replacements)
      await q.run(
        `UPDATE meter_replacements SET receipt = $2 WHERE installation_id = $1 AND receipt IS NULL`,
        [checked.installationId, stored.receipt],
      );
    return { outcome: "accepted" as const, stored };
  }

  /** A customer's form, read into a reading: `values` holds counters and `level:<name>` levels. */
  private async fromForm(
    p: Principal,
    installationId: string,
    values: Record<string, string>,
  ): Promise<{ reading: Reading; inst: store.InstallationRow }> {
    const inst = await this.visibleInstallation(p, installationId);
    const problems: string[] = [];
    const counters: Record<string, number> = {};
    for (const name of inst.device.counters) {
      const raw = (values[name] ?? "").trim();
      if (/^\d{1,15}$/.test(raw)) counters[name] = Number(raw);
      else
        problems.push(
          raw === "" ? `enter the "${name}" counter` : `"${name}": "${raw}" is not a whole number`,
        );
    }
    const consumables: Record<string, number> = {};
    for (const c of inst.device.consumables) {
      const raw = (values[`level:${c.name}`] ?? "").trim();
      if (raw === "") continue;
      if (/^\d{1,3}$/.test(raw) && Number(raw) <= 100) consumables[c.name] = Number(raw);
      else problems.push(`"${c.name}" level: "${raw}" is not a percentage from 0 to 100`);
    }
    refuseIf(problems, "please correct the reading");
    const reading: Reading = {
      installationId,
      date: today(this.now()),
      counters,
      source: p.role === "operator" ? "operator" : "customer",
      ...(Object.keys(consumables).length > 0 ? { consumables } : {}),
    };
    return { reading, inst };
  }

  /** The first step of the customer's entry: the reading as it would be stored, and its warnings. */
  async review(p: Principal, installationId: string, values: Record<string, string>): Promise<Review> {
    const { reading, warnings, existing } = await this.check(
      this.db,
      (await this.fromForm(p, installationId, values)).reading,
    );
    if (existing)
      throw new PortalError("CONFLICT", `today's reading is on file already (receipt ${existing.receipt})`, [
        `today's reading is on file already (receipt ${existing.receipt})`,
      ]);
    return { reading, warnings };
  }

  /**
   * The confirmation: stored, then mailed — to the operator's mailbox with the reading as a CSV
   * attachment the portal imports again, and to the customer as a receipt. A mail that fails is
   * logged; the reading is safe in the database either way.
   */
  async confirm(
    p: Principal,
    installationId: string,
    values: Record<string, string>,
  ): Promise<store.StoredReading> {
    const { reading, inst } = await this.fromForm(p, installationId, values);
    const { outcome, stored } = await this.store(reading);
    if (outcome === "accepted") {
      const summary = Object.entries(stored.counters)
        .map(([k, v]) => `  ${k}: ${v}`)
        .concat(Object.entries(stored.consumables ?? {}).map(([k, v]) => `  ${k}: ${v}%`))
        .join("\n");
      await this.mail({
        to: this.options.operatorEmail,
        subject: `Reading ${inst.id} ${stored.date} (receipt ${stored.receipt})`,
        text: `${inst.customerName} sent the reading of ${inst.device.model} ${inst.device.serial} at ${inst.site}:\n${summary}\n${
          stored.findings.length > 0
            ? `\nTo check:\n${stored.findings.map((f) => `  ${f}`).join("\n")}\n`
            : ""
        }\nThe attachment imports into the portal (Import → CSV).\n`,
        attachments: [
          {
            filename: `reading-${inst.id}-${stored.date}.csv`,
            content: readingsToCsv([stored]),
            contentType: "text/csv",
          },
        ],
      });
      await this.mail({
        to: inst.customerEmail,
        subject: `Receipt ${stored.receipt}: reading of ${inst.device.model} ${inst.device.serial}`,
        text: `We received your reading of ${stored.date} for ${inst.site}:\n${summary}\n\nReceipt: ${stored.receipt}\n`,
      });
    }
    return stored;
  }

  private async mail(m: Parameters<Mailer["send"]>[0]): Promise<boolean> {
    try {
      await this.options.mailer.send(m);
      return true;
    } catch (e) {
      this.log(`mail to ${m.to} failed: ${(e as Error).message}`);
      return false;
    }
  }

  /** Customers, devices, installations, contracts and meter replacements (see PortalRegistry). */
  readonly registry: PortalRegistry;
  /** Imports: the exchange CSV, EVA-DTS audits and zips of them (see PortalImports). */
  readonly imports: PortalImports;
  /** The board, the scheduler's mail and the billing run (see PortalReports). */
  readonly reports: PortalReports;
  /** Invoices and credit notes of the billing runs (see PortalInvoices). */
  readonly invoices: PortalInvoices;
}

// The hash of a password nobody has: verifying against it costs what a real check costs.
const DUMMY_HASH = "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
