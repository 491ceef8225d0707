import { type BillingRun, billingRun } from "./billing-run.js";
import type { Db } from "./db.js";
import { PortalError } from "./errors.js";
import { MONTH } from "./input-checks.js";
import type { Mailer } from "./mailer.js";
import type { Principal } from "./portal.js";
import { addDays, openDue, type ReadingStatus, type ScheduleRules, statusFor } from "./schedule.js";
import * as store from "./store.js";

export interface BoardRow {
  readonly installation: store.InstallationRow;
  readonly due?: string;
  readonly status: ReadingStatus;
  readonly last?: store.StoredReading;
  readonly mails: number;
}

const today = (d: Date) => d.toISOString().slice(0, 10);

/** What the reports use of the portal. */
export interface ReportPortal {
  readonly db: Db;
  readonly rules: ScheduleRules;
  now(): Date;
  operatorOnly(p: Principal): void;
  /** Sends a mail; false when it could not go (logged). */
  mail(m: Parameters<Mailer["send"]>[0]): Promise<boolean>;
  /** The link a reading request carries. */
  readingLink(installationId: string, due: string): string;
}

/**
 * What the portal makes of all installations together: the operator's board, the scheduler's
 * requests and reminders, and the billing run of a month.
 */
export class PortalReports {
  constructor(private readonly portal: ReportPortal) {}

  /** Every installation with its contract and readings: what the board, scheduler and billing read. */
  private async everything() {
    const [insts, all, cons] = await Promise.all([
      store.installations(this.portal.db),
      store.allReadings(this.portal.db),
      store.contracts(this.portal.db),
    ]);
    return { insts, all, cons };
  }

  async board(p: Principal): Promise<BoardRow[]> {
    this.portal.operatorOnly(p);
    const day = today(this.portal.now());
    const [{ insts, all, cons }, reqs] = await Promise.all([
      this.everything(),
      this.portal.db.all<{ installation_id: string; due: string; reminders: number }>(
        `SELECT * FROM requests`,
      ),
    ]);
    return insts.map((installation) => {
      const contract = cons.get(installation.id);
      const readings = all.get(installation.id) ?? [];
      const due = contract && openDue(contract, day, this.portal.rules);
      const request = reqs.find((r) => r.installation_id === installation.id && r.due === due);
      return {
        installation,
        ...(due ? { due } : {}),
        status: statusFor(due, readings, this.portal.rules),
        ...(readings.length > 0 ? { last: readings[readings.length - 1] } : {}),
        mails: request ? 1 + request.reminders : 0,
      };
    });
  }

  /**
   * Sends what is due today: a request for each installation whose reading day is within
   * `leadDays`, then reminders every `reminderDays` while no reading has come, `maxReminders` at
   * most. Idempotent: running it twice in a day sends nothing new.
   */
  async runScheduler(): Promise<{ requests: number; reminders: number }> {
    const now = this.portal.now();
    const day = today(now);
    let requests = 0;
    let reminders = 0;
    const { insts, all, cons } = await this.everything();
    for (const inst of insts) {
      const contract = cons.get(inst.id);
      const due = contract && openDue(contract, day, this.portal.rules);
      if (!due || statusFor(due, all.get(inst.id) ?? [], this.portal.rules) !== "missing") continue;
      const request = await this.portal.db.get<{ reminders: number; last_mail_at: string }>(
        `SELECT reminders, last_mail_at FROM requests WHERE installation_id = $1 AND due = $2`,
        [inst.id, due],
      );
      const reminder = request !== undefined;
      if (reminder) {
        const since = (now.getTime() - Date.parse(request.last_mail_at)) / 86_400_000;
        if (request.reminders >= this.portal.rules.maxReminders || since < this.portal.rules.reminderDays)
          continue;
      }
      const sent = await this.portal.mail({
        to: inst.customerEmail,
        subject: `${reminder ? "Reminder: " : ""}meter reading due ${due}: ${inst.device.model} ${inst.device.serial}`,
        text: `Hello ${inst.customerName},\n\nplease send the counters of ${inst.device.model} ${inst.device.serial} at ${inst.site} (${inst.device.counters.join(", ")}${
          inst.device.consumables.length > 0 ? ", and the consumables' levels" : ""
        }) by ${due}:\n\n${this.portal.readingLink(inst.id, due)}\n\nThe link works until ${addDays(due, this.portal.rules.linkDays)}; you can also log in with your user id.\n`,
      });
      if (!sent) continue;
      if (reminder) {
        await this.portal.db.run(
          `UPDATE requests SET reminders = reminders + 1, last_mail_at = $3 WHERE installation_id = $1 AND due = $2`,
          [inst.id, due, now.toISOString()],
        );
        reminders++;
      } else {
        await this.portal.db.run(
          `INSERT INTO requests (installation_id, due, sent_at, last_mail_at) VALUES ($1, $2, $3, $3) ON CONFLICT DO NOTHING`,
          [inst.id, due, now.toISOString()],
        );
        requests++;
      }
    }
    return { requests, reminders };
  }

  /** The billing of periods ending in `month` (YYYY-MM). */
  async billing(p: Principal, month: string): Promise<BillingRun> {
    this.portal.operatorOnly(p);
    if (!MONTH.test(month)) throw new PortalError("BAD_INPUT", `"${month}" is not a YYYY-MM month`);
    const { insts, all, cons } = await this.everything();
    return billingRun(month, insts, cons, all);
  }
}
