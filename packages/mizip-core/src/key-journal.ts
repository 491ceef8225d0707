import type { PurseState } from "@vendkit/mifare-purse";
import { toHex } from "@vendkit/mifare-purse";
import { decodeJson, encodeJson } from "./json-record.js";
import type { MaxiBoxEntry, RechargeSource } from "./maxi-box.js";
import type { Counters } from "./statistics.js";
import type { Storage } from "./storage.js";

/**
 * Key writes whose outcome the reader does not know yet, one per key, in the storage port.
 * A key and the reader's memory cannot be written atomically together, so the reader first
 * commits what it is about to do (with the statistics it will count), then writes the key, then
 * commits the counts and drops the entry. A key pulled out mid-write, or a power cut, leaves the
 * entry; the next insertion of that key reads its transaction counter and settles it: the write
 * landed (counter moved on by one) or it did not (counter unchanged). Nothing is counted twice
 * and no money accepted is lost.
 */
export type PendingWrite =
  | {
      readonly kind: "sale";
      /**
       * writing: the charge may or may not be on the key, the vend was not approved;
       * charged: the charge is on the key and the VMC is vending;
       * refund-due: the vend failed with refund ON and the charge must come back.
       */
      readonly phase: "writing" | "charged" | "refund-due";
      /** The key's transaction counter before the charge. */
      readonly counter: number;
      readonly before: PurseState;
      readonly charge: number;
      /** What to count when the sale stands. */
      readonly counts: Counters;
      readonly entry: MaxiBoxEntry;
    }
  | {
      readonly kind: "recharge";
      readonly counter: number;
      readonly amount: number;
      readonly source: RechargeSource;
      readonly counts: Counters;
      readonly entry: MaxiBoxEntry;
    }
  | {
      /** A recharge key giving up one use: its value waits for a sale key once the use is taken. */
      readonly kind: "recharge-key";
      readonly counter: number;
      readonly value: number;
    };

const PREFIX = "journal/";
export const journalKey = (uid: Uint8Array): string => `${PREFIX}${toHex(uid)}`;

const isCount = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;

function asPending(v: unknown): PendingWrite | undefined {
  if (typeof v !== "object" || v === null) return undefined;
  const p = v as Record<string, unknown>;
  if (!isCount(p.counter)) return undefined;
  switch (p.kind) {
    case "sale":
      return ["writing", "charged", "refund-due"].includes(p.phase as string) &&
        isCount(p.charge) &&
        typeof p.before === "object" &&
        typeof p.counts === "object" &&
        typeof p.entry === "object"
        ? (p as PendingWrite)
        : undefined;
    case "recharge":
      return isCount(p.amount) && typeof p.counts === "object" && typeof p.entry === "object"
        ? (p as PendingWrite)
        : undefined;
    case "recharge-key":
      return isCount(p.value) ? (p as PendingWrite) : undefined;
    default:
      return undefined;
  }
}

export class KeyJournal {
  constructor(private readonly storage: Storage) {}

  get(uid: Uint8Array): PendingWrite | undefined {
    return asPending(decodeJson(this.storage.get(journalKey(uid))));
  }

  /** Every pending write, by storage key; unreadable records are reported, not dropped. */
  all(): { key: string; pending: PendingWrite | undefined }[] {
    return this.storage
      .keys(PREFIX)
      .map((key) => ({ key, pending: asPending(decodeJson(this.storage.get(key))) }));
  }

  /** The record that sets (or, with undefined, drops) a key's pending write. */
  record(uid: Uint8Array | string, pending: PendingWrite | undefined): [string, Uint8Array | undefined] {
    const key = typeof uid === "string" ? uid : journalKey(uid);
    return [key, pending === undefined ? undefined : encodeJson(pending)];
  }
}
