import { formatAmount } from "./amounts.js";
import { wallClock } from "./clock.js";
import { type ErrorCode, isErrorCode } from "./diagnostics.js";
import { decodeJson, encodeJson } from "./json-record.js";
import type { Storage } from "./storage.js";

/**
 * The Maxi Box (MiZip Plus manual 4.15): the last ~4000 transactions and errors, kept in the
 * reader through the storage port. OFF records nothing; ON stops the reader when 4000 entries
 * wait for collection ("out of service Maxi Box", 5 red + 1 green); ON OVERWRITE replaces the
 * oldest. A collection does not erase: the per-key query (4.15.1) searches the last 4000 entries
 * whether collected or not.
 */
export type MaxiBoxMode = "off" | "on" | "overwrite";

/** The recharge and sale kinds of the programmer's per-key menu (manual 9.6). */
export const RECHARGE_SOURCES = [
  "coins",
  "bills",
  "recharge-key",
  "programmer",
  "machine-credit",
  "bonus-1",
  "loyalty",
  "bonus-1-reset",
] as const;
export const SALE_KINDS = [
  "no-discount",
  "happy-hour-1",
  "happy-hour-2",
  "happy-hour-3",
  "promotion",
  "bonus-1",
  "bonus-2",
  "loyalty",
] as const;
export type RechargeSource = (typeof RECHARGE_SOURCES)[number];
export type SaleKind = (typeof SALE_KINDS)[number];

/** `at` is the instant (ms since the epoch); shown in the reader's local time (`formatTransaction`, manual 8.1). */
export type MaxiBoxEntry =
  | {
      readonly kind: "recharge";
      readonly at: number;
      readonly keyNumber: number;
      readonly source: RechargeSource;
      readonly amount: number;
      readonly error?: ErrorCode;
    }
  | {
      readonly kind: "sale";
      readonly at: number;
      /** Undefined for a cash sale. */
      readonly keyNumber?: number;
      readonly sale: SaleKind;
      readonly selection: number;
      readonly amount: number;
      readonly error?: ErrorCode;
    }
  | { readonly kind: "error"; readonly at: number; readonly keyNumber?: number; readonly error: ErrorCode };

export class MaxiBoxFull extends Error {
  readonly code = "MAXI_BOX_FULL" as const;
  constructor(readonly capacity: number) {
    super(`Maxi Box is ON and holds ${capacity} uncollected entries: out of service until a collection`);
    this.name = "MaxiBoxFull";
  }
}

export interface KeyTransactions {
  readonly recharges: { readonly total: number; readonly bySource: Readonly<Record<RechargeSource, number>> };
  readonly sales: { readonly total: number; readonly byKind: Readonly<Record<SaleKind, number>> };
  /** Oldest first. */
  readonly entries: readonly MaxiBoxEntry[];
}

const META = "maxibox/meta";
const slotKey = (slot: number) => `maxibox/e/${String(slot).padStart(5, "0")}`;
const isAmount = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
const isKey = (v: unknown) => Number.isSafeInteger(v) && (v as number) > 0;

/** Checks a stored entry field by field, so a damaged record is never taken for a real one. */
function asEntry(v: unknown): MaxiBoxEntry | undefined {
  if (typeof v !== "object" || v === null) return undefined;
  const e = v as Record<string, unknown>;
  if (!Number.isSafeInteger(e.at)) return undefined;
  if (e.error !== undefined && !(typeof e.error === "number" && isErrorCode(e.error))) return undefined;
  switch (e.kind) {
    case "recharge":
      return isKey(e.keyNumber) && RECHARGE_SOURCES.includes(e.source as RechargeSource) && isAmount(e.amount)
        ? (e as MaxiBoxEntry)
        : undefined;
    case "sale":
      return (e.keyNumber === undefined || isKey(e.keyNumber)) &&
        SALE_KINDS.includes(e.sale as SaleKind) &&
        isAmount(e.amount) &&
        Number.isSafeInteger(e.selection)
        ? (e as MaxiBoxEntry)
        : undefined;
    case "error":
      return e.error !== undefined && (e.keyNumber === undefined || isKey(e.keyNumber))
        ? (e as MaxiBoxEntry)
        : undefined;
    default:
      return undefined;
  }
}

export class MaxiBox {
  constructor(
    private readonly storage: Storage,
    readonly capacity = 4000,
  ) {}

  /** Entries ever written, and how many of them a collection has taken. */
  private meta(): { written: number; collected: number } {
    const m = decodeJson(this.storage.get(META)) as { written?: unknown; collected?: unknown } | undefined;
    const written = Number.isSafeInteger(m?.written) ? (m?.written as number) : 0;
    const collected = Number.isSafeInteger(m?.collected) ? Math.min(m?.collected as number, written) : 0;
    return { written, collected };
  }

  /** Entries waiting for a collection (at most `capacity`: in overwrite mode the oldest are gone). */
  get uncollected(): number {
    const { written, collected } = this.meta();
    return Math.min(written - collected, this.capacity);
  }

  /** True when the reader must stop selling: ON and full (manual 4.15). */
  isFull(mode: MaxiBoxMode): boolean {
    return mode === "on" && this.uncollected >= this.capacity;
  }

  /**
   * The records that add `entry`, to commit together with the sale or recharge they describe
   * (empty when the Maxi Box is OFF). Throws `MaxiBoxFull` when ON and full. The records place
   * the entry after what is stored now, so commit them before preparing the next entry.
   */
  prepare(entry: MaxiBoxEntry, mode: MaxiBoxMode): Map<string, Uint8Array> {
    if (mode === "off") return new Map();
    if (asEntry(entry) === undefined) throw new TypeError(`not a Maxi Box entry: ${JSON.stringify(entry)}`);
    if (this.isFull(mode)) throw new MaxiBoxFull(this.capacity);
    const { written, collected } = this.meta();
    return new Map([
      [slotKey(written % this.capacity), encodeJson(entry)],
      [
        META,
        encodeJson({ written: written + 1, collected: Math.max(collected, written + 1 - this.capacity) }),
      ],
    ]);
  }

  /** Adds one entry on its own commit. */
  record(entry: MaxiBoxEntry, mode: MaxiBoxMode): void {
    const records = this.prepare(entry, mode);
    if (records.size > 0) this.storage.commit(records);
  }

  private range(from: number, to: number): MaxiBoxEntry[] {
    const out: MaxiBoxEntry[] = [];
    for (let seq = from; seq < to; seq++) {
      const e = asEntry(decodeJson(this.storage.get(slotKey(seq % this.capacity))));
      if (e !== undefined) out.push(e);
    }
    return out;
  }

  /** The last `capacity` entries, oldest first; damaged records are left out. */
  entries(): MaxiBoxEntry[] {
    const { written } = this.meta();
    return this.range(Math.max(0, written - this.capacity), written);
  }

  /** The entries a Maxi Key collection takes now, oldest first. */
  pending(): MaxiBoxEntry[] {
    const { written } = this.meta();
    return this.range(written - this.uncollected, written);
  }

  /** After the Maxi Key confirms it has `count` entries of `pending()`, they stop being pending. */
  confirmCollection(count: number): void {
    const { written } = this.meta();
    const first = written - this.uncollected;
    const upTo = first + Math.max(0, Math.min(count, written - first));
    this.storage.commit(new Map([[META, encodeJson({ written, collected: upTo })]]));
  }

  /** The per-key query of manual 4.15.1, over the last `capacity` entries. */
  keyTransactions(keyNumber: number): KeyTransactions {
    const entries = this.entries().filter((e) => e.kind !== "error" && e.keyNumber === keyNumber);
    const bySource = Object.fromEntries(RECHARGE_SOURCES.map((s) => [s, 0])) as Record<
      RechargeSource,
      number
    >;
    const byKind = Object.fromEntries(SALE_KINDS.map((s) => [s, 0])) as Record<SaleKind, number>;
    for (const e of entries) {
      if (e.kind === "recharge") bySource[e.source]++;
      else if (e.kind === "sale") byKind[e.sale]++;
    }
    const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
    return {
      recharges: { total: sum(bySource), bySource },
      sales: { total: sum(byKind), byKind },
      entries,
    };
  }
}

const two = (n: number) => String(n).padStart(2, "0");

/** What the programmer's per-key lines call each recharge source (manual 9.6). */
const RECHARGE_WORDS: Readonly<Record<RechargeSource, string>> = {
  coins: "MONETE",
  bills: "BANCONOTE",
  "recharge-key": "CHIAVE RICARICA",
  programmer: "PROGRAMMATORE",
  "machine-credit": "CREDITO MACCHINA",
  "bonus-1": "BONUS 1",
  loyalty: "FIDELIZZAZIONE",
  "bonus-1-reset": "AZZERAMENTO B1",
};

/**
 * One line of the per-key query as the programmer shows it (manual 9.6): a recharge `18.01
 * 11:31:15 RIC MONETE 2,00 OK` (RIC and its source), a sale `20.01 09:00:27 SEL. 002 0,60 OK` (SEL.
 * and its selection), with the error code in place of OK for a failed operation; the time in the reader's
 * local time (`timeZone`, 8.1), the amount with `decimals` (30004) and the separator 40114 names
 * (0 none, 1 comma, 2 point: 4.10.14).
 */
export function formatTransaction(
  entry: MaxiBoxEntry,
  decimals: number,
  separator: number,
  timeZone: string,
): string {
  const w = wallClock(entry.at, timeZone);
  const when = `${two(w.day)}.${two(w.month)} ${two(w.hour)}:${two(w.minute % 60)}:${two(w.second)}`;
  const result = entry.error === undefined ? "OK" : `E${entry.error}`;
  if (entry.kind === "error") return `${when} ${result}`;
  const amount = formatAmount(entry.amount, decimals, separator);
  const what =
    entry.kind === "recharge"
      ? `RIC ${RECHARGE_WORDS[entry.source]}`
      : `SEL. ${String(entry.selection).padStart(3, "0")}`;
  return `${when} ${what} ${amount} ${result}`;
}
