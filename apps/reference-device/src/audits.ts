import {
  afterBackup,
  auditFile,
  type Collection,
  collectionMode,
  encodeJson,
  type PaymentSystem,
} from "@vendkit/mizip-core";
import { AUDIT_IDENTITY } from "./demo.js";
import { type DeviceSettings, stored } from "./settings.js";
import type { SqliteStorage } from "./sqlite-storage.js";

/** The audit pairs an Executive VMC handed over, raw (manual and sources give them no meaning). */
const VMC_AUDIT_PAIRS = "device/vmc-audit-pairs";

/**
 * One audit address an Executive VMC reported (AUDIT / SEND AUDIT ADDRESS / SEND AUDIT DATA):
 * the last value it gave, how many times it was read, and when last. Kept raw: no source maps a
 * meaning to them, so none is invented.
 */
export interface VmcAuditPair {
  readonly address: number;
  readonly value: number;
  readonly times: number;
  readonly at: number;
}

/** What the audit room reads of the device it belongs to. */
export interface AuditHooks {
  /** The payment system in force (the device rebuilds it when settings change). */
  readonly pay: () => PaymentSystem;
  readonly clock: () => number;
  /** The statistics changed: the device tells the VMC what credit there is now. */
  readonly changed: () => void;
}

/**
 * The device's audit room (manual ch. 7): statistics collections and security reads as EVA-DTS
 * in the audit mode programmed, their confirmation, the reset of the historic data, and the raw
 * audit pairs an Executive VMC hands over.
 */
export class DeviceAudits {
  constructor(
    private readonly settings: DeviceSettings,
    private readonly storage: SqliteStorage,
    private readonly hooks: AuditHooks,
  ) {}

  /**
   * Takes a statistics collection and writes its EVA-DTS audit, in the audit mode's Plus or
   * plain flavour with DEX dates (the audit port speaks DEX/UCS). Nothing is cleared until
   * `confirm`. Throws `CollectionRefused` within 2 minutes of the last collection.
   */
  collect(): { bytes: Uint8Array; collection: Collection; backup: boolean } {
    // manual 7.2: with BACKUP ON a collection re-reads the last one and leaves today's data alone
    const { backup, collection } = this.hooks.pay().takeCollection(this.hooks.clock());
    return { bytes: this.auditOf(collection), collection, backup };
  }

  /** A security read (EVA-DTS list 2): the audit of the data as it stands; nothing is cleared. */
  securityRead(): Uint8Array {
    return this.auditOf(this.hooks.pay().securityRead(this.hooks.clock()));
  }

  /**
   * The collector has the audit: period data is cleared (manual 7); after a backup re-read
   * nothing is cleared and BACKUP goes back to OFF by itself (7.2).
   */
  confirm(taken: { readonly collection: Collection; readonly backup: boolean }): void {
    this.hooks.pay().confirmCollection(taken);
    if (taken.backup) this.settings.keep({ parameters: afterBackup(this.settings.params) });
  }

  /**
   * AZZERAMENTO STATISTICHE (manual 9.4.2, 7): the historic data back to zero, the period data
   * kept. The manual asks for it after a collection whenever prices, coin or bill values, the
   * changer or acceptor type, or the machine or reader code change, and to release the
   * check-audit lock (4.10.8, 5.1).
   */
  resetHistoric(): void {
    this.hooks.pay().statistics.resetHistoric();
    this.hooks.changed();
  }

  /** The audit pairs the Executive VMC handed over, by address, as it sent them. */
  get vmcAuditPairs(): readonly VmcAuditPair[] {
    return (stored<VmcAuditPair[]>(this.storage, VMC_AUDIT_PAIRS, (v) => Array.isArray(v)) ?? []).sort(
      (a, b) => a.address - b.address,
    );
  }

  /** Keeps one audit pair an Executive VMC handed over (durably, with the rest of the device's data). */
  recordVmcAuditPair(pair: { address: number; value: number }): void {
    const kept = this.vmcAuditPairs;
    const others = kept.filter((p) => p.address !== pair.address);
    const times = (kept.find((p) => p.address === pair.address)?.times ?? 0) + 1;
    const next = [...others, { address: pair.address, value: pair.value, times, at: this.hooks.clock() }];
    this.storage.commit(new Map([[VMC_AUDIT_PAIRS, encodeJson(next)]]));
  }

  /** A collection as EVA-DTS in the audit mode programmed (40007). */
  private auditOf(collection: Collection): Uint8Array {
    const ids = this.settings.cashDeviceIds;
    const identity = {
      ...AUDIT_IDENTITY,
      ...(ids.coin === undefined ? {} : { coinMechanism: ids.coin }),
      ...(ids.bill === undefined ? {} : { billValidator: ids.bill }),
    };
    const { params, pricing } = this.settings;
    return auditFile(
      collection,
      params,
      pricing,
      identity,
      collectionMode(params),
      this.hooks.pay().coinTubes,
    );
  }
}
