import { EvadtsError, identification, parse } from "@vendkit/evadts";
import { type Reading, type ReadingSource, readingFromAudit } from "@vendkit/metering";
import { eachArchiveEntry } from "./audit-archive.js";
import { type Db, type Queryable, savepoint } from "./db.js";
import { PortalError } from "./errors.js";
import type { Principal } from "./portal.js";
import { readingsFromCsv } from "./readings-csv.js";
import * as store from "./store.js";

export interface ImportResult {
  readonly line: number;
  readonly installationId?: string;
  readonly date?: string;
  readonly outcome: "accepted" | "unchanged" | "refused";
  readonly receipt?: string;
  readonly messages: readonly string[];
  /** A refusal that a form field would put right: `date` for an audit without one (ID5). */
  readonly field?: string;
}

/** One file of an archive of audits, imported: its name in the archive and what became of it. */
export interface ArchiveImportResult extends ImportResult {
  readonly file: string;
}

/** How many audits of an archive go in one transaction. */
const ARCHIVE_BATCH = 200;

type Stored = { outcome: "accepted" | "unchanged"; stored: store.StoredReading };

/** What the imports use of the portal: its database, its access rule and how it keeps a reading. */
export interface ImportPortal {
  readonly db: Db;
  operatorOnly(p: Principal): void;
  visibleInstallation(p: Principal, id: string): Promise<store.InstallationRow>;
  /** Checks and keeps a reading in a transaction of its own (refused: `PortalError`). */
  store(reading: Reading): Promise<Stored>;
  /** The same inside the transaction `q`. */
  storeIn(q: Queryable, reading: Reading): Promise<Stored>;
}

/**
 * The portal's imports (operator only): the exchange CSV, one EVA-DTS audit, and a zip of audits
 * (a route's day). Each reading goes in on its own; a refused one stops nothing.
 */
export class PortalImports {
  constructor(private readonly portal: ImportPortal) {}

  /** Imports readings from the exchange CSV: each row on its own; a refused row stops nothing. */
  async csv(p: Principal, text: string, source: ReadingSource = "operator"): Promise<ImportResult[]> {
    this.portal.operatorOnly(p);
    const out: ImportResult[] = [];
    for (const row of readingsFromCsv(text, source)) {
      if (!row.reading) {
        out.push({ line: row.line, outcome: "refused", messages: [row.error as string] });
        continue;
      }
      out.push(await this.importOne(row.line, row.reading));
    }
    return out;
  }

  private async importOne(line: number, reading: Reading): Promise<ImportResult> {
    const where = { line, installationId: reading.installationId, date: reading.date };
    try {
      const { outcome, stored } = await this.portal.store(reading);
      return { ...where, outcome, receipt: stored.receipt, messages: stored.findings };
    } catch (e) {
      if (!(e instanceof PortalError)) throw e;
      return { ...where, outcome: "refused", messages: e.details.length > 0 ? e.details : [e.message] };
    }
  }

  /**
   * Imports an EVA-DTS audit: the installation whose device serial is the audit's machine serial
   * (ID101) unless one is named; counters from the audit's totals, those the device counts.
   */
  async evadts(
    p: Principal,
    bytes: Uint8Array,
    installationId?: string,
    date?: string,
  ): Promise<ImportResult> {
    return this.importOne(1, await this.auditReading(p, bytes, installationId, date));
  }

  /** The reading an audit gives, on its installation (named, or found by the machine serial). */
  private async auditReading(
    p: Principal,
    bytes: Uint8Array,
    installationId?: string,
    date?: string,
  ): Promise<Reading> {
    this.portal.operatorOnly(p);
    let file: ReturnType<typeof parse>;
    try {
      file = parse(bytes);
    } catch (e) {
      if (e instanceof EvadtsError) throw new PortalError("BAD_INPUT", `not an EVA-DTS audit: ${e.message}`);
      throw e;
    }
    let id = installationId;
    if (id === undefined || id === "") {
      const serial = identification(file).machineSerial?.trim();
      const device = serial ? await store.deviceBySerial(this.portal.db, serial) : undefined;
      const inst =
        device &&
        (await this.portal.db.get<{ id: string }>(`SELECT id FROM installations WHERE device_id = $1`, [
          device.id,
        ]));
      if (!inst)
        throw new PortalError(
          "BAD_INPUT",
          `the audit's machine serial "${serial ?? ""}" is not an installed device; choose the installation`,
        );
      id = inst.id;
    }
    const inst = await this.portal.visibleInstallation(p, id);
    const raw = readingFromAudit(file, inst.id, date || undefined);
    if (!raw)
      throw new PortalError("BAD_INPUT", "the audit has no date (ID5); give the reading date", [], "date");
    const counters = Object.fromEntries(
      Object.entries(raw.counters).filter(([k]) => inst.device.counters.includes(k)),
    );
    return { ...raw, counters };
  }

  /**
   * Imports a zip of EVA-DTS audits (a route's day, manual readings of many machines): each file
   * as `evadts` does, matched to its installation by machine serial; one result per file,
   * in archive order, and a refused file never stops the others. The archive is inflated a chunk
   * at a time with limits on entries and sizes (`eachArchiveEntry`), so a zip bomb is refused.
   */
  async archive(p: Principal, zip: Uint8Array, date?: string): Promise<ArchiveImportResult[]> {
    this.portal.operatorOnly(p);
    const results: ArchiveImportResult[] = [];
    let batch: { file: string; line: number; reading: Reading }[] = [];
    const refused = (file: string, line: number, e: PortalError): ArchiveImportResult => ({
      file,
      line,
      outcome: "refused",
      messages: e.details.length > 0 ? e.details : [e.message],
      ...(e.field === undefined ? {} : { field: e.field }),
    });
    // the readings go in by transactions of ARCHIVE_BATCH, each one a savepoint of its own, so a
    // refused reading never undoes the others
    const flush = async () => {
      if (batch.length === 0) return;
      const pending = batch;
      batch = [];
      const done = await this.portal.db.transaction(async (q) => {
        const out: ArchiveImportResult[] = [];
        for (const { file, line, reading } of pending) {
          const where = { file, line, installationId: reading.installationId, date: reading.date };
          try {
            const { outcome, stored } = await savepoint(q, () => this.portal.storeIn(q, reading));
            out.push({ ...where, outcome, receipt: stored.receipt, messages: stored.findings });
          } catch (e) {
            if (!(e instanceof PortalError)) throw e;
            out.push({ ...where, ...refused(file, line, e) });
          }
        }
        return out;
      });
      results.push(...done);
    };
    await eachArchiveEntry(zip, async (entry) => {
      const line = results.length + batch.length + 1;
      try {
        if ("refused" in entry) throw new PortalError("BAD_INPUT", entry.refused);
        batch.push({
          file: entry.name,
          line,
          reading: await this.auditReading(p, entry.bytes, undefined, date),
        });
        if (batch.length >= ARCHIVE_BATCH) await flush();
      } catch (e) {
        if (!(e instanceof PortalError)) throw e;
        await flush(); // the results stay in archive order
        results.push(refused(entry.name, line, e));
      }
    });
    await flush();
    return results;
  }
}
