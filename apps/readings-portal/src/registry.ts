import { type Contract, isCalendarDate, MONTHS, type PeriodLength } from "@vendkit/metering";
import type { Db, Queryable } from "./db.js";
import { PortalError } from "./errors.js";
import { type FiscalData, fiscalProblems } from "./fiscal.js";
import { EMAIL, ID, NAME, need, refuseIf } from "./input-checks.js";
import { passwordProblem } from "./passwords.js";
import type { Principal } from "./portal.js";
import * as store from "./store.js";
import { parseTerms } from "./terms.js";

/** What the registry uses of the portal. */
export interface RegistryPortal {
  readonly db: Db;
  now(): Date;
  operatorOnly(p: Principal): void;
  visibleInstallation(p: Principal, id: string): Promise<store.InstallationRow>;
  /** A customer's login, made in the same transaction as the customer. */
  insertAccount(
    q: Queryable,
    userId: string,
    role: string,
    customerId: string | null,
    password: string,
  ): Promise<void>;
}

/**
 * The operator's registry: customers (each with a login), devices with their counters and
 * consumables, installations at customers' sites, their contracts (fee, included counts,
 * tiers) and meter replacements. Everything is checked, each problem named.
 */
export class PortalRegistry {
  constructor(private readonly portal: RegistryPortal) {}

  async addCustomer(
    p: Principal,
    c: { id: string; name: string; email: string; userId: string; password: string },
  ): Promise<void> {
    this.portal.operatorOnly(p);
    const problems: string[] = [];
    need(ID.test(c.id), "a customer code is 1-40 letters, digits, dots, dashes or underscores", problems);
    need(
      c.name.trim().length > 0 && c.name.length <= 200,
      "the customer needs a name (at most 200 characters)",
      problems,
    );
    need(EMAIL.test(c.email), `"${c.email}" is not an e-mail address`, problems);
    need(ID.test(c.userId), "a user id is 1-40 letters, digits, dots, dashes or underscores", problems);
    const weak = passwordProblem(c.password);
    if (weak) problems.push(weak);
    refuseIf(problems, "customer not created");
    await this.portal.db.transaction(async (q) => {
      const added = await q.run(
        `INSERT INTO customers (id, name, email) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`,
        [c.id, c.name.trim(), c.email],
      );
      if (added === 0) throw new PortalError("CONFLICT", `the customer code "${c.id}" is taken`);
      await this.portal.insertAccount(q, c.userId, "customer", c.id, c.password);
    });
  }

  async customers(p: Principal): Promise<{ id: string; name: string; email: string }[]> {
    this.portal.operatorOnly(p);
    return this.portal.db.all(`SELECT id, name, email FROM customers ORDER BY id`);
  }

  /**
   * A device: its counters, and its consumables as `name:counter:ratedYield` (e.g.
   * `toner-black:mono:20000`: a black toner prints 20000 mono pages).
   */
  async addDevice(
    p: Principal,
    d: { model: string; serial: string; counters: string[]; consumables: string[] },
  ): Promise<void> {
    this.portal.operatorOnly(p);
    const problems: string[] = [];
    need(
      d.model.trim().length > 0 && d.model.length <= 100,
      "the device needs a model (at most 100 characters)",
      problems,
    );
    need(ID.test(d.serial), "a serial is 1-40 letters, digits, dots, dashes or underscores", problems);
    need(d.counters.length > 0, "a device counts something: name at least one counter", problems);
    for (const c of d.counters)
      need(NAME.test(c), `"${c}" is not a counter name (letters, digits, spaces, - or _)`, problems);
    need(new Set(d.counters).size === d.counters.length, "a counter is named twice", problems);
    const consumables = d.consumables.map((spec) => {
      const [name = "", counter = "", yieldText = ""] = spec.split(":").map((s) => s.trim());
      need(NAME.test(name), `"${spec}": the consumable needs a name`, problems);
      need(
        d.counters.includes(counter),
        `"${spec}": "${counter}" is not one of the device's counters`,
        problems,
      );
      need(
        /^\d{1,9}$/.test(yieldText) && Number(yieldText) > 0,
        `"${spec}": the rated yield must be a whole number > 0`,
        problems,
      );
      return { name, counter, ratedYield: Number(yieldText) };
    });
    refuseIf(problems, "device not registered");
    const added = await this.portal.db.run(
      `INSERT INTO devices (id, model, serial, counters, consumables) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING`,
      [d.serial, d.model.trim(), d.serial, JSON.stringify(d.counters), JSON.stringify(consumables)],
    );
    if (added === 0)
      throw new PortalError("CONFLICT", `a device with serial "${d.serial}" is registered already`);
  }

  async devices(p: Principal) {
    this.portal.operatorOnly(p);
    return store.allDevices(this.portal.db);
  }

  async addInstallation(
    p: Principal,
    i: { id: string; serial: string; customerId: string; site: string },
  ): Promise<void> {
    this.portal.operatorOnly(p);
    const problems: string[] = [];
    need(
      ID.test(i.id),
      "an installation code is 1-40 letters, digits, dots, dashes or underscores",
      problems,
    );
    need(
      i.site.trim().length > 0 && i.site.length <= 200,
      "say where the device is (at most 200 characters)",
      problems,
    );
    refuseIf(problems, "installation not created");
    await this.portal.db.transaction(async (q) => {
      const device = await store.deviceBySerial(q, i.serial);
      if (!device) throw new PortalError("BAD_INPUT", `no device with serial "${i.serial}"`);
      if (!(await q.get(`SELECT id FROM customers WHERE id = $1`, [i.customerId])))
        throw new PortalError("BAD_INPUT", `no customer "${i.customerId}"`);
      if (await q.get(`SELECT id FROM installations WHERE device_id = $1`, [device.id]))
        throw new PortalError("CONFLICT", `device "${i.serial}" is installed already`);
      const added = await q.run(
        `INSERT INTO installations (id, device_id, customer_id, site) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [i.id, device.id, i.customerId, i.site.trim()],
      );
      if (added === 0) throw new PortalError("CONFLICT", `the installation code "${i.id}" is taken`);
    });
  }

  async setContract(
    p: Principal,
    c: {
      installationId: string;
      period: string;
      readingDay: number;
      start: string;
      fee: number;
      minimumCharge?: number;
      terms: string;
    },
  ): Promise<Contract> {
    this.portal.operatorOnly(p);
    const inst = await this.portal.visibleInstallation(p, c.installationId);
    const problems: string[] = [];
    need(c.period in MONTHS, `the period is one of ${Object.keys(MONTHS).join(", ")}`, problems);
    need(
      Number.isInteger(c.readingDay) && c.readingDay >= 1 && c.readingDay <= 28,
      "the reading day is 1 to 28",
      problems,
    );
    need(isCalendarDate(c.start), "the start is a YYYY-MM-DD date of the calendar", problems);
    need(
      Number.isSafeInteger(c.fee) && c.fee >= 0,
      "the fee is a whole amount in cents, 0 or more",
      problems,
    );
    if (c.minimumCharge !== undefined)
      need(
        Number.isSafeInteger(c.minimumCharge) && c.minimumCharge >= 0,
        "the minimum charge is a whole amount in cents",
        problems,
      );
    let terms: Contract["terms"] = {};
    try {
      terms = parseTerms(c.terms);
    } catch (e) {
      if (!(e instanceof PortalError)) throw e;
      problems.push(...e.details);
    }
    for (const counter of Object.keys(terms))
      need(inst.device.counters.includes(counter), `the device has no counter "${counter}"`, problems);
    refuseIf(problems, "contract not saved");
    const contract: Contract = {
      installationId: c.installationId,
      period: c.period as PeriodLength,
      readingDay: c.readingDay,
      start: c.start,
      fee: c.fee,
      ...(c.minimumCharge === undefined ? {} : { minimumCharge: c.minimumCharge }),
      terms,
    };
    await store.saveContract(this.portal.db, contract);
    return contract;
  }

  async contractOf(p: Principal, installationId: string): Promise<Contract | undefined> {
    await this.portal.visibleInstallation(p, installationId);
    return store.contractOf(this.portal.db, installationId);
  }

  /**
   * A meter swapped on site (a new counter board, a replaced meter): the old meter's final value
   * and the new one's starting value. The installation's next reading carries it, so that reading
   * may be lower than the last one and its usage is old final − last + current − new start.
   */
  async recordReplacement(
    p: Principal,
    r: { installationId: string; counter: string; oldFinal: number; newStart: number },
  ): Promise<void> {
    this.portal.operatorOnly(p);
    const inst = await this.portal.visibleInstallation(p, r.installationId);
    const problems: string[] = [];
    need(
      inst.device.counters.includes(r.counter),
      `${inst.device.model} has no counter "${r.counter}"`,
      problems,
    );
    need(
      Number.isSafeInteger(r.oldFinal) && r.oldFinal >= 0,
      "the old meter's final value is a whole count",
      problems,
    );
    need(
      Number.isSafeInteger(r.newStart) && r.newStart >= 0,
      "the new meter's starting value is a whole count",
      problems,
    );
    refuseIf(problems, "replacement not recorded");
    await this.portal.db.transaction(async (q) => {
      const history = await store.readingsOf(q, r.installationId);
      const last = history[history.length - 1]?.counters[r.counter];
      if (last !== undefined && r.oldFinal < last) {
        const problem = `the old meter's final value ${r.oldFinal} is below its last reading, ${last}`;
        throw new PortalError("BAD_INPUT", `replacement not recorded: ${problem}`, [problem]);
      }
      await q.run(
        `DELETE FROM meter_replacements WHERE installation_id = $1 AND counter = $2 AND receipt IS NULL`,
        [r.installationId, r.counter],
      );
      await q.run(
        `INSERT INTO meter_replacements (installation_id, counter, old_final, new_start, recorded_at)
         VALUES ($1, $2, $3, $4, $5)`,
        [r.installationId, r.counter, r.oldFinal, r.newStart, this.portal.now().toISOString()],
      );
    });
  }

  /**
   * The lab's fiscal data, the invoices' sender (FatturaPA's CedentePrestatore): checked, a
   * problem per field (`fiscalProblems`), kept as the setting 'lab'.
   */
  async setLab(p: Principal, d: FiscalData): Promise<void> {
    this.portal.operatorOnly(p);
    refuseIf(fiscalProblems(d, "lab"), "the lab's fiscal data not saved");
    await this.portal.db.run(
      `INSERT INTO settings (key, value) VALUES ('lab', $1) ON CONFLICT (key) DO UPDATE SET value = $1`,
      [JSON.stringify(d)],
    );
  }

  async lab(p: Principal): Promise<FiscalData | undefined> {
    this.portal.operatorOnly(p);
    return store.labFiscal(this.portal.db);
  }

  /** A customer's fiscal data, the invoices' recipient: checked as `setLab` checks the lab's. */
  async setCustomerFiscal(p: Principal, customerId: string, d: FiscalData): Promise<void> {
    this.portal.operatorOnly(p);
    const known = await this.portal.db.get<{ id: string }>(`SELECT id FROM customers WHERE id = $1`, [
      customerId,
    ]);
    if (known === undefined) throw new PortalError("NOT_FOUND", `no customer "${customerId}"`);
    refuseIf(fiscalProblems(d, "customer"), `the fiscal data of ${customerId} not saved`);
    await this.portal.db.run(
      `INSERT INTO customer_fiscal (customer_id, data) VALUES ($1, $2)
       ON CONFLICT (customer_id) DO UPDATE SET data = $2`,
      [customerId, JSON.stringify(d)],
    );
  }

  async customerFiscal(p: Principal, customerId: string): Promise<FiscalData | undefined> {
    this.portal.operatorOnly(p);
    return store.customerFiscal(this.portal.db, customerId);
  }
}
