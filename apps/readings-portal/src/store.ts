import type { Contract, Device, Installation, PeriodLength, Reading, ReadingSource } from "@vendkit/metering";
import type { Queryable } from "./db.js";
import type { FiscalData } from "./fiscal.js";

/** Rows as stored, and their mapping to @vendkit/metering's model. */
export interface InstallationRow extends Installation {
  readonly customerName: string;
  readonly customerEmail: string;
  readonly device: Device;
}

export interface StoredReading extends Reading {
  readonly receipt: string;
  readonly receivedAt: string;
  readonly findings: readonly string[];
}

const json = <T>(text: string | null): T | undefined => (text === null ? undefined : (JSON.parse(text) as T));

interface DeviceRecord {
  id: string;
  model: string;
  serial: string;
  counters: string;
  consumables: string;
}

const toDevice = (r: DeviceRecord): Device => ({
  id: r.id,
  model: r.model,
  serial: r.serial,
  counters: JSON.parse(r.counters) as string[],
  consumables: JSON.parse(r.consumables) as Device["consumables"],
});

export async function deviceBySerial(q: Queryable, serial: string): Promise<Device | undefined> {
  const r = await q.get<DeviceRecord>(`SELECT * FROM devices WHERE serial = $1`, [serial]);
  return r && toDevice(r);
}

export async function allDevices(q: Queryable): Promise<Device[]> {
  return (await q.all<DeviceRecord>(`SELECT * FROM devices ORDER BY serial`)).map(toDevice);
}

const INSTALLATION_SELECT = `
  SELECT i.id, i.device_id, i.customer_id, i.site, c.name AS customer_name, c.email AS customer_email,
         d.id AS d_id, d.model, d.serial, d.counters, d.consumables
  FROM installations i JOIN customers c ON c.id = i.customer_id JOIN devices d ON d.id = i.device_id`;

interface InstallationRecord extends DeviceRecord {
  device_id: string;
  customer_id: string;
  site: string;
  customer_name: string;
  customer_email: string;
  d_id: string;
}

const toInstallation = (r: InstallationRecord): InstallationRow => ({
  id: r.id,
  deviceId: r.device_id,
  customerId: r.customer_id,
  site: r.site,
  customerName: r.customer_name,
  customerEmail: r.customer_email,
  device: toDevice({ ...r, id: r.d_id }),
});

export async function installation(q: Queryable, id: string): Promise<InstallationRow | undefined> {
  const r = await q.get<InstallationRecord>(`${INSTALLATION_SELECT} WHERE i.id = $1`, [id]);
  return r && toInstallation(r);
}

/** Installations, all or one customer's, in id order. */
export async function installations(q: Queryable, customerId?: string): Promise<InstallationRow[]> {
  const rows =
    customerId === undefined
      ? await q.all<InstallationRecord>(`${INSTALLATION_SELECT} ORDER BY i.id`)
      : await q.all<InstallationRecord>(`${INSTALLATION_SELECT} WHERE i.customer_id = $1 ORDER BY i.id`, [
          customerId,
        ]);
  return rows.map(toInstallation);
}

interface ContractRecord {
  installation_id: string;
  period: string;
  reading_day: number;
  start: string;
  fee: number;
  minimum_charge: number | null;
  terms: string;
}

const toContract = (r: ContractRecord): Contract => ({
  installationId: r.installation_id,
  period: r.period as PeriodLength,
  readingDay: r.reading_day,
  start: r.start,
  fee: r.fee,
  ...(r.minimum_charge === null ? {} : { minimumCharge: r.minimum_charge }),
  terms: JSON.parse(r.terms) as Contract["terms"],
});

export async function contracts(q: Queryable): Promise<Map<string, Contract>> {
  const rows = await q.all<ContractRecord>(`SELECT * FROM contracts`);
  return new Map(rows.map((r) => [r.installation_id, toContract(r)]));
}

export async function contractOf(q: Queryable, installationId: string): Promise<Contract | undefined> {
  const r = await q.get<ContractRecord>(`SELECT * FROM contracts WHERE installation_id = $1`, [
    installationId,
  ]);
  return r && toContract(r);
}

export async function saveContract(q: Queryable, c: Contract): Promise<void> {
  const values = [
    c.installationId,
    c.period,
    c.readingDay,
    c.start,
    c.fee,
    c.minimumCharge ?? null,
    JSON.stringify(c.terms),
  ];
  await q.run(
    `INSERT INTO contracts (installation_id, period, reading_day, start, fee, minimum_charge, terms)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (installation_id) DO UPDATE SET period = $2, reading_day = $3, start = $4, fee = $5,
       minimum_charge = $6, terms = $7`,
    values,
  );
}

interface ReadingRecord {
  installation_id: string;
  date: string;
  counters: string;
  consumables: string | null;
  replacements: string | null;
  source: string;
  received_at: string;
  receipt: string;
  findings: string;
}

const toReading = (r: ReadingRecord): StoredReading => {
  const consumables = json<Record<string, number>>(r.consumables);
  const replacements = json<Reading["replacements"]>(r.replacements);
  return {
    installationId: r.installation_id,
    date: r.date,
    counters: JSON.parse(r.counters) as Record<string, number>,
    source: r.source as ReadingSource,
    ...(consumables ? { consumables } : {}),
    ...(replacements ? { replacements } : {}),
    receipt: r.receipt,
    receivedAt: r.received_at,
    findings: JSON.parse(r.findings) as string[],
  };
};

/** An installation's readings in date order. */
export async function readingsOf(q: Queryable, installationId: string): Promise<StoredReading[]> {
  return (
    await q.all<ReadingRecord>(`SELECT * FROM readings WHERE installation_id = $1 ORDER BY date`, [
      installationId,
    ])
  ).map(toReading);
}

/** Every installation's readings in date order, by installation. */
export async function allReadings(q: Queryable): Promise<Map<string, StoredReading[]>> {
  const out = new Map<string, StoredReading[]>();
  for (const r of await q.all<ReadingRecord>(`SELECT * FROM readings ORDER BY installation_id, date`)) {
    const list = out.get(r.installation_id) ?? [];
    list.push(toReading(r));
    out.set(r.installation_id, list);
  }
  return out;
}

export async function readingByReceipt(q: Queryable, receipt: string): Promise<StoredReading | undefined> {
  const r = await q.get<ReadingRecord>(`SELECT * FROM readings WHERE receipt = $1`, [receipt]);
  return r && toReading(r);
}

export async function insertReading(q: Queryable, r: StoredReading): Promise<void> {
  await q.run(
    `INSERT INTO readings (installation_id, date, counters, consumables, replacements, source, received_at, receipt, findings)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      r.installationId,
      r.date,
      JSON.stringify(r.counters),
      r.consumables ? JSON.stringify(r.consumables) : null,
      r.replacements ? JSON.stringify(r.replacements) : null,
      r.source,
      r.receivedAt,
      r.receipt,
      JSON.stringify(r.findings),
    ],
  );
}

/** Meter replacements recorded for an installation and not yet applied to a reading. */
export async function pendingReplacements(
  q: Queryable,
  installationId: string,
): Promise<Reading["replacements"]> {
  const rows = await q.all<{ counter: string; old_final: number; new_start: number }>(
    `SELECT counter, old_final, new_start FROM meter_replacements WHERE installation_id = $1 AND receipt IS NULL`,
    [installationId],
  );
  if (rows.length === 0) return undefined;
  return Object.fromEntries(rows.map((r) => [r.counter, { oldFinal: r.old_final, newStart: r.new_start }]));
}

/** The lab's fiscal data (the setting 'lab'), if set. */
export async function labFiscal(q: Queryable): Promise<FiscalData | undefined> {
  const row = await q.get<{ value: string }>(`SELECT value FROM settings WHERE key = 'lab'`);
  return row === undefined ? undefined : (JSON.parse(row.value) as FiscalData);
}

/** A customer's fiscal data, if set. */
export async function customerFiscal(q: Queryable, customerId: string): Promise<FiscalData | undefined> {
  const row = await q.get<{ data: string }>(`SELECT data FROM customer_fiscal WHERE customer_id = $1`, [
    customerId,
  ]);
  return row === undefined ? undefined : (JSON.parse(row.data) as FiscalData);
}
