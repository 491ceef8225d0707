import {
  type CardView,
  type ClassicReader,
  PurseError,
  type PurseState,
  type PurseSystem,
} from "@vendkit/mifare-purse";
import { type Charge, inBand, keyFunds, type PricingConfig } from "@vendkit/pricing";
import type { AuditIdentity } from "./audit.js";
import { type CashAcceptance, cashAcceptance } from "./cash-acceptance.js";
import { ChangePayer, changerSettings, MDB_TYPES } from "./change-payer.js";
import { localTime } from "./clock.js";
import { errorCounter, S, V } from "./counters.js";
import { canSell, type ErrorCode, isErrorCode, type ReaderState, readerState } from "./diagnostics.js";
import { decodeJson, encodeJson } from "./json-record.js";
import { toKeyState } from "./key-bridge.js";
import { KeyJournal, type PendingWrite } from "./key-journal.js";
import { MachineCredit, type MachineCreditRecord, overpriceMode } from "./machine-credit.js";
import { MaxiBox, type MaxiBoxEntry, type MaxiBoxMode, type RechargeSource } from "./maxi-box.js";
import { type SystemParameters, validateParameters } from "./parameters.js";
import { type PaymentPorts, type PaymentSystemOptions, sellingPricing } from "./payment-types.js";
import { PROTOCOL_PARAMETER } from "./protocol.js";
import { type Collection, type Counters, Statistics } from "./statistics.js";
import type { Storage } from "./storage.js";

/** Parameter 30000's value for MDB. */
export const MDB = 2;
/** Parameter 21001's value for an MDB bill acceptor. */
const MDB_ACCEPTOR = 5;

/** A key in the reader. */
export interface Session {
  readonly reader: ClassicReader;
  view: CardView;
  readonly userGroup: number | undefined;
  /** Single sale type: the key has had its vend and must come out (manual 4.2.1). */
  used: boolean;
  /** A refused or special key: it is in the slot but nothing sells from it. */
  readonly usable: boolean;
  /** When it went in (a recharge key gives its use only after 3 s in the reader, manual 3.5). */
  readonly insertedAt: number;
}

export type Vend =
  | { readonly medium: "key"; readonly uid: Uint8Array; readonly charge: Charge }
  | { readonly medium: "cash"; readonly charge: Charge }
  | { readonly medium: "test" };

const CREDIT = "engine/machine-credit";
export const RECHARGE_CREDIT = "engine/recharge-key-credit";

export const sameUid = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The state the concepts of the payment system share: its settings, the key in the reader, the
 * vend in progress, the machine's cash credit, the programmer, and the memory they commit to
 * (statistics, Maxi Box, key journal) through one `commit`. Internal to mizip-core: the
 * concepts (key-session.ts, cash.ts, sale.ts, programmer.ts) act on it, `PaymentSystem` composes
 * them.
 */
export class Engine {
  readonly statistics: Statistics;
  readonly maxiBox: MaxiBox;
  readonly journal: KeyJournal;
  readonly storage: Storage;
  readonly purses: PurseSystem;
  readonly params: SystemParameters;
  readonly pricing: PricingConfig;
  readonly ports: PaymentPorts;
  readonly machine: MachineCredit;
  session: Session | undefined;
  vend: Vend | undefined;
  tubeLoading = false;
  /** The programmer is connected: keys are read for key management, nothing sells. */
  programming = false;
  /** How change is paid: by the bus, or by the reader's own changer and its tubes. */
  readonly change: ChangePayer;
  readonly auditIdentity: AuditIdentity | undefined;
  /** A cash sale was made since coins went in: the escrow lever may return the rest (4.8.3). */
  soldSinceCash = false;
  readonly parameterErrors: readonly (number | string)[];
  /** The time of the latest event, for what depends on the clock between events. */
  now = 0;
  /** The VMC talks to the reader; the bus layer keeps this up to date. */
  vmcOnline = true;

  constructor(options: PaymentSystemOptions) {
    this.storage = options.storage;
    this.purses = options.purses;
    this.params = options.parameters;
    const selling = sellingPricing(options.parameters, options.pricing);
    // manual 8.8: an out-of-service band stops keys only under MDB and Executive slave; under
    // Executive master, or with the reader's own MDB changer, it stops the reader's cash devices too
    const stopsCash =
      options.parameters.numeric.protocol === PROTOCOL_PARAMETER["executive-master"] ||
      options.changer !== undefined;
    this.pricing = { ...selling, outOfService: { ...selling.outOfService, stopsCash } };
    this.ports = options.ports ?? {};
    this.auditIdentity = options.auditIdentity;
    this.parameterErrors = validateParameters(this.params).map((e) => e.parameter);
    this.change = new ChangePayer(
      options.changer === undefined ? undefined : changerSettings(this.params, options.changer.safetyCoins),
      (amount, coins) => this.ports.payOut?.(amount, coins),
    );
    this.statistics = new Statistics(this.storage);
    this.maxiBox = new MaxiBox(this.storage);
    this.journal = new KeyJournal(this.storage);
    const saved = decodeJson(this.storage.get(CREDIT)) as MachineCreditRecord | undefined;
    this.machine = new MachineCredit(
      overpriceMode(this.params.numeric.overprice),
      saved !== undefined && Number.isSafeInteger(saved.credit) && saved.credit >= 0 ? saved : undefined,
    );
  }

  get state(): ReaderState {
    const p = this.params.numeric;
    return readerState({
      parameterErrors: this.parameterErrors,
      auditLocked: p.checkAudit === 1 && !this.statistics.intact,
      maxiBoxFull: this.maxiBox.isFull(this.maxiBoxMode),
      vmcOnline: this.vmcOnline,
    });
  }

  /** A recharge key's value waiting for a sale key (manual 3.5). */
  get rechargeKeyCredit(): number {
    const v = decodeJson(this.storage.get(RECHARGE_CREDIT));
    return Number.isSafeInteger(v) && (v as number) > 0 ? (v as number) : 0;
  }

  /** The inserted key's credit, when a usable key is in. */
  get keyCredit(): number | undefined {
    return this.session?.usable ? this.session.view.state.credit : undefined;
  }

  /** What the machine shows for the key (Tab. 8.2.1): its credit and the bonus-1 credit usable now. */
  get keyFunds(): number | undefined {
    const s = this.session;
    if (!s?.usable) return undefined;
    const state = toKeyState(s.view.state);
    return keyFunds(
      this.pricing,
      state,
      s.view.identity.priceLevel,
      "mizip",
      localTime(this.now, this.params.clock.timeZone),
    );
  }

  get acceptance(): CashAcceptance {
    const off: CashAcceptance = { coins: "DISABLED", bills: "DISABLED" };
    if (this.tubeLoading) return { coins: true, bills: "DISABLED" };
    if (this.programming) return off;
    if (!canSell(this.state) || (this.pricing.outOfService.stopsCash && this.outOfService(this.now)))
      return off;
    const p = this.params.numeric;
    const s = this.session;
    const base = cashAcceptance({
      coinMode: p.coinValidator,
      billMode: p.billAcceptor,
      keyCredit: s === undefined ? undefined : s.usable ? s.view.state.credit : Number.MAX_SAFE_INTEGER,
      maxLoadableCredit: p.maxLoadableCredit,
      machineCredit: this.machine.credit,
      highestPrice: Math.max(0, ...this.pricing.cash.slice(0, this.pricing.lines)),
      rechargeLimit: p.rechargeLimit,
      cashIn: this.statistics.get(S.coinsIn).period + this.statistics.get(S.billsIn).period,
      vending: this.vend !== undefined,
      cashInterface: p.cashInterface,
    });
    // An MDB bill acceptor takes only the bill types enabled (21006-21021).
    const withBills =
      p.billAcceptorType === MDB_ACCEPTOR
        ? { ...base, billTypes: MDB_TYPES.filter((i) => p[`mdbBillEnabled${i}`] === 1) }
        : base;
    return this.change.limit(withBills);
  }

  outOfService(now: number): boolean {
    const o = this.pricing.outOfService;
    const minute = localTime(now, this.params.clock.timeZone).minute;
    return o.enabled && o.bands.some((b) => b.enabled && inBand(b, minute));
  }

  get maxiBoxMode(): MaxiBoxMode {
    const m = this.params.numeric.maxiBox;
    return m === 1 ? "on" : m === 2 ? "overwrite" : "off";
  }

  show(): void {
    this.ports.display?.(this.keyFunds ?? (this.machine.credit > 0 ? this.machine.credit : undefined));
    this.ports.acceptance?.(this.acceptance);
  }

  /** Statistics, Maxi Box entry and other records in one commit. */
  commit(
    counts: Counters,
    entry: MaxiBoxEntry | undefined,
    extra: [string, Uint8Array | undefined][] = [],
  ): void {
    const records = new Map<string, Uint8Array | undefined>(extra);
    if (Object.keys(counts).length > 0)
      for (const [k, v] of this.statistics.prepareAdd(counts)) records.set(k, v);
    // ON and full: the sale was refused before it started; a coin that still arrives is counted
    // in the statistics even though its Maxi Box line cannot be written.
    if (entry !== undefined && !this.maxiBox.isFull(this.maxiBoxMode))
      for (const [k, v] of this.maxiBox.prepare(entry, this.maxiBoxMode)) records.set(k, v);
    if (records.size > 0) this.storage.commit(records);
  }

  creditRecord(): [string, Uint8Array] {
    return [CREDIT, encodeJson(this.machine.saved)];
  }

  countError(err: ErrorCode, now: number, keyNumber?: number): void {
    const entry: MaxiBoxEntry =
      keyNumber === undefined
        ? { kind: "error", at: now, error: err }
        : { kind: "error", at: now, keyNumber, error: err };
    this.commit({ [errorCounter(err)]: 1 }, entry);
  }

  /**
   * Writes `next` on the session's key; on failure the key is treated as gone (its pending write
   * stays in the journal) and the error is counted. Returns whether the write landed.
   */
  async writeKey(next: PurseState, now: number): Promise<boolean> {
    const s = this.session as Session;
    try {
      s.view = await this.purses.commit(s.reader, s.view, next);
      return true;
    } catch (e) {
      if (!(e instanceof PurseError)) throw e;
      this.session = undefined;
      this.countError(isErrorCode(e.err) ? e.err : 9, now, s.view.identity.keyNumber);
      return false;
    }
  }

  /**
   * What the inserted key may still take before the maximum loadable credit (40000, manual
   * 4.10.2). A lowered maximum never takes credit off a key: it only stops further loads.
   */
  get keyRoom(): number {
    const credit = this.session?.view.state.credit ?? 0;
    return Math.max(0, this.params.numeric.maxLoadableCredit - credit);
  }

  /**
   * Loads `amount` on the session's key, journalled: `first` records go into the commit that
   * opens the journal entry (e.g. the coin's cash-in count), `counts` are counted when it lands.
   * Resolves with whether the write landed (a key pulled out mid-write settles when it returns).
   */
  async recharge(
    amount: number,
    source: RechargeSource,
    counts: Counters,
    now: number,
    first: [string, Uint8Array | undefined][],
    firstCounts: Counters = {},
  ): Promise<boolean> {
    const s = this.session as Session;
    const entry: MaxiBoxEntry = {
      kind: "recharge",
      at: now,
      keyNumber: s.view.identity.keyNumber,
      source,
      amount,
    };
    const pending: PendingWrite = {
      kind: "recharge",
      counter: s.view.counter,
      amount,
      source,
      counts,
      entry,
    };
    this.commit(firstCounts, undefined, [...first, this.journal.record(s.view.uid, pending)]);
    const uid = s.view.uid;
    const landed = await this.writeKey({ ...s.view.state, credit: s.view.state.credit + amount }, now);
    if (landed) this.commit({ ...counts, [S.keyWrites]: 1 }, entry, [this.journal.record(uid, undefined)]);
    return landed;
  }

  /**
   * A statistics collection (manual 7): with BACKUP ON (40116, 7.2) the last confirmed one again,
   * touching nothing; otherwise the data as it stands, cleared only by `confirmCollection`.
   * Throws `CollectionRefused` (within 2 minutes of the last one; no backup yet).
   */
  takeCollection(now: number): { readonly backup: boolean; readonly collection: Collection } {
    const backup = this.params.numeric.statisticsBackup === 1;
    const collection = backup ? this.statistics.backup() : this.statistics.collect(now);
    this.commit({ [V.readings]: 1 }, undefined);
    return { backup, collection };
  }

  /** A security read (EVA-DTS list 2): the data as it stands; nothing will be cleared. */
  securityRead(now: number): Collection {
    const collection = this.statistics.snapshot(now);
    this.commit({ [V.readings]: 1 }, undefined);
    return collection;
  }

  /** The collector has the data: the period is cleared, unless it was a backup re-read. */
  confirmCollection(taken: { readonly backup: boolean; readonly collection: Collection }): void {
    if (!taken.backup) this.statistics.confirm(taken.collection);
  }
}
