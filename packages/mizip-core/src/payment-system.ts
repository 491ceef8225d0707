import { deflateRawSync } from "node:zlib";
import {
  type CardView,
  type ClassicReader,
  type KeyFunction,
  PurseError,
  type PurseState,
  type PurseSystem,
} from "@vendkit/mifare-purse";
import {
  type Charge,
  inBand,
  lineOfSelection,
  type PricingConfig,
  quote,
  type RefusalReason,
} from "@vendkit/pricing";
import { accessSettings, checkAccess } from "./access.js";
import { type AuditIdentity, auditFile, type CoinTube } from "./audit.js";
import { collectionMode } from "./audit-port.js";
import { type CashAcceptance, cashAcceptance } from "./cash-acceptance.js";
import { ChangePayer, changerSettings, NO_CHANGE } from "./change-payer.js";
import type { Tube } from "./change-rules.js";
import { billCount, coinCount, errorCounter, S, V } from "./counters.js";
import { canSell, type ErrorCode, isErrorCode, type ReaderState, readerState } from "./diagnostics.js";
import { euroIdentity, euroState } from "./euro.js";
import { decodeJson, encodeJson } from "./json-record.js";
import { toKeyState, toPurseState } from "./key-bridge.js";
import { journalKey, KeyJournal, type PendingWrite } from "./key-journal.js";
import { changedState, type KeyChanges, type KeyReport, keyReport } from "./key-management.js";
import { MachineCredit, type MachineCreditRecord, overpriceMode } from "./machine-credit.js";
import { MaxiBox, type MaxiBoxEntry, type MaxiBoxMode, type RechargeSource } from "./maxi-box.js";
import { PRICE_SYSTEMS, type SystemParameters, validateParameters } from "./parameters.js";
import { checkPassword } from "./password.js";
import { add, localTime, saleCounts, saleEntry } from "./sale-statistics.js";
import { settlement } from "./settlement.js";
import {
  decodeSpecialKey,
  encodeSpecialKey,
  type SpecialKeyContent,
  SpecialKeyRefused,
} from "./special-keys.js";
import { type Collection, CollectionRefused, type Counters, Statistics } from "./statistics.js";
import type { Storage } from "./storage.js";

/**
 * The sale and recharge engine of a MiZip Plus-style reader (manual 3, 4.2-4.10, 7, 8), between
 * the bus (which turns VMC and peripheral messages into calls here) and the key, the pricing
 * rules and the non-volatile memory.
 *
 * Every method is async and the engine runs them one at a time in call order, so a bus can call
 * it from its message handlers without interleaving a coin into the middle of a key write.
 * Time (`now`) is wall-clock milliseconds read with UTC fields, as the reader's clock.
 *
 * Money: a key write and the reader's memory cannot change together, so every key write is
 * journalled first (see key-journal.ts). Statistics and the Maxi Box entry of a sale or
 * recharge are committed in one storage commit with the end of its journal entry.
 */
export interface PaymentPorts {
  /** The credit the VMC should show: the key's, the machine's, or undefined for none. */
  display?(credit: number | undefined): void;
  /** Which cash the coin and bill peripherals may accept now. */
  acceptance?(a: CashAcceptance): void;
  /**
   * Pay `amount` out as change (the bus asks the changer). With the reader's own changer,
   * `coins` says how many of each tube's coin type make it.
   */
  payOut?(amount: number, coins?: readonly { readonly type: number; readonly count: number }[]): void;
}

export interface PaymentSystemOptions {
  readonly storage: Storage;
  readonly purses: PurseSystem;
  readonly parameters: SystemParameters;
  readonly pricing: PricingConfig;
  readonly ports?: PaymentPorts;
  /**
   * "Rendiresto Plus MDB" (manual 4.8): the reader drives an MDB coin changer. The coin types
   * enabled (20017-20032), escrow lever, max change, min tube level, exact change (20049-20052)
   * and the coins still accepted when change is short (20053-20068) are parameters; this is the
   * changer's own setting: the safety coins it keeps in each tube.
   */
  readonly changer?: {
    readonly safetyCoins: number;
  };
  /** Who the reader is in its audits: needed to collect onto a data key (manual 7.3.4). */
  readonly auditIdentity?: AuditIdentity;
}

/** Parameter 30000's value for MDB. */
const MDB = 2;
/** Parameter 21001's value for an MDB bill acceptor. */
const MDB_ACCEPTOR = 5;
const SIXTEEN = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16] as const;

export interface VendRequest {
  /** Selection / price line (price holding, out-of-table lines under prices on VMC). */
  readonly line?: number;
  /** The price the VMC asks (prices on VMC, price system). */
  readonly price?: number;
  /** A test vend the VMC asked for: free, counted as ERR 15. */
  readonly test?: boolean;
}

export type VendRefusal =
  | RefusalReason
  | "READER_OUT_OF_SERVICE"
  | "VEND_IN_PROGRESS"
  | "REINSERT_KEY"
  | "KEY_WRITE_FAILED"
  /** Change is short and exact change is ENABLED: only the exact amount sells (4.8.6). */
  | "EXACT_CHANGE";

export type VendDecision =
  | { readonly approved: true; readonly amount: number; readonly charge: Charge }
  | { readonly approved: false; readonly reason: VendRefusal; readonly detail: string };

/** What a special key did at insertion: settings for the caller to keep, or a collection taken. */
export type Carried =
  | SpecialKeyContent
  | { readonly kind: "data"; readonly backup: boolean; readonly collection: Collection };

export type KeyOutcome =
  | {
      readonly ok: true;
      readonly function: KeyFunction;
      readonly credit: number;
      /** Setup and black-list keys: the settings they carry; data keys: the collection written. */
      readonly carried?: Carried;
    }
  | {
      readonly ok: false;
      readonly reason: "KEY_ALREADY_IN" | "READER_OUT_OF_SERVICE" | "REFUSED" | "UNREADABLE" | "SPECIAL_KEY";
      /** The error code counted (manual 7.5 list 14), when the refusal counts one. */
      readonly err?: ErrorCode;
      readonly detail: string;
    };

export class PaymentError extends Error {
  constructor(
    readonly code:
      | "VEND_IN_PROGRESS"
      | "NO_VEND"
      | "INVALID_AMOUNT"
      | "NO_KEY"
      | "PROGRAMMING_REFUSED"
      /** The load would put the key above the maximum loadable credit (40000, manual 4.10.2). */
      | "CREDIT_LIMIT",
    message: string,
  ) {
    super(message);
    this.name = "PaymentError";
  }
}

/**
 * The pricing a payment system sells by: the tables and EXTRA functions of `pricing`, with the
 * price system (30002) and the base coin (30003) from the parameters, the one store they live
 * in. Manual 8.8: an out-of-service band stops the cash the reader itself handles, in every mode.
 */
export function sellingPricing(params: SystemParameters, pricing: PricingConfig): PricingConfig {
  const n = params.numeric;
  return {
    ...pricing,
    priceSystem: PRICE_SYSTEMS[n.priceSystem] ?? "prices-on-vmc",
    baseCoin: n.baseCoin,
    outOfService: { ...pricing.outOfService, stopsCash: true },
  };
}

/** A key in the reader. */
interface Session {
  readonly reader: ClassicReader;
  view: CardView;
  readonly userGroup: number | undefined;
  /** Single sale type: the key has had its vend and must come out (manual 4.2.1). */
  used: boolean;
  /** A refused or special key: it is in the slot but nothing sells from it. */
  readonly usable: boolean;
}

type Vend =
  | { readonly medium: "key"; readonly uid: Uint8Array; readonly charge: Charge }
  | { readonly medium: "cash"; readonly charge: Charge }
  | { readonly medium: "test" };

const CREDIT = "engine/machine-credit";
const RECHARGE_CREDIT = "engine/recharge-key-credit";
/** Lowest credit with negative credit ON: −327.68 in a 2-decimal currency (manual 4.10.1). */
export const NEGATIVE_CREDIT_FLOOR = -32_768;

const sameUid = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

export class PaymentSystem {
  readonly statistics: Statistics;
  readonly maxiBox: MaxiBox;
  private readonly journal: KeyJournal;
  private readonly storage: Storage;
  private readonly purses: PurseSystem;
  private readonly params: SystemParameters;
  private readonly pricing: PricingConfig;
  private readonly ports: PaymentPorts;
  private readonly machine: MachineCredit;
  private session: Session | undefined;
  private vend: Vend | undefined;
  private tubeLoading = false;
  /** The programmer is connected: keys are read for key management, nothing sells. */
  private programming = false;
  /** How change is paid: by the bus, or by the reader's own changer and its tubes. */
  private readonly change: ChangePayer;
  private readonly auditIdentity: AuditIdentity | undefined;
  /** A cash sale was made since coins went in: the escrow lever may return the rest (4.8.3). */
  private soldSinceCash = false;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly parameterErrors: readonly number[];
  /** The time of the latest event, for what depends on the clock between events. */
  private now = 0;
  /** The VMC talks to the reader; the bus layer keeps this up to date. */
  vmcOnline = true;

  constructor(options: PaymentSystemOptions) {
    this.storage = options.storage;
    this.purses = options.purses;
    this.params = options.parameters;
    this.pricing = sellingPricing(options.parameters, options.pricing);
    this.ports = options.ports ?? {};
    this.auditIdentity = options.auditIdentity;
    this.parameterErrors = validateParameters(this.params).map((e) => e.parameter);
    const _n = this.params.numeric;
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

  private run<T>(now: number, f: () => Promise<T> | T): Promise<T> {
    const p = this.chain.then(() => {
      this.now = now;
      return f();
    });
    this.chain = p.then(
      () => undefined,
      () => undefined,
    );
    return p;
  }

  // ---- what the reader shows ----

  get state(): ReaderState {
    const p = this.params.numeric;
    return readerState({
      parameterErrors: this.parameterErrors,
      auditLocked: p.checkAudit === 1 && !this.statistics.intact,
      maxiBoxFull: this.maxiBox.isFull(this.maxiBoxMode),
      vmcOnline: this.vmcOnline,
    });
  }

  /** Cash waiting in the machine (no key). */
  get machineCredit(): number {
    return this.machine.credit;
  }

  /** A recharge key's value waiting for a sale key (manual 3.5). */
  get rechargeKeyCredit(): number {
    const v = decodeJson(this.storage.get(RECHARGE_CREDIT));
    return Number.isSafeInteger(v) && (v as number) > 0 ? (v as number) : 0;
  }

  /**
   * The coins in the reader's changer's tubes, as the audit's CA17 gives them: the safety coins
   * the changer keeps in each tube are not counted (manual 7.5: the changer's floor is not in the
   * figure). Empty without a changer or before its first tube status.
   */
  get coinTubes(): readonly CoinTube[] {
    return this.change.coinTubes;
  }

  /** The inserted key's credit, when a usable key is in. */
  get keyCredit(): number | undefined {
    return this.session?.usable ? this.session.view.state.credit : undefined;
  }

  /** Key writes not yet settled (keys pulled out mid-write), for the programmer and tests. */
  get pendingKeyWrites(): readonly PendingWrite[] {
    return this.journal.all().flatMap((j) => (j.pending === undefined ? [] : [j.pending]));
  }

  get acceptance(): CashAcceptance {
    const off: CashAcceptance = { coins: "DISABLED", bills: "DISABLED" };
    if (this.tubeLoading) return { coins: true, bills: "DISABLED" };
    if (this.programming) return off;
    if (!canSell(this.state) || this.outOfService(this.now)) return off;
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
        ? { ...base, billTypes: SIXTEEN.filter((i) => p[`mdbBillEnabled${i}`] === 1) }
        : base;
    return this.change.limit(withBills);
  }

  /** The reader's own changer reports its tubes (MDB TUBE STATUS). */
  tubeStatus(tubes: readonly Tube[], now: number): Promise<void> {
    return this.run(now, () => {
      this.change.report(tubes);
      this.show();
    });
  }

  private outOfService(now: number): boolean {
    const o = this.pricing.outOfService;
    const minute = localTime(now).minute;
    return o.enabled && o.bands.some((b) => b.enabled && inBand(b, minute));
  }

  private get maxiBoxMode(): MaxiBoxMode {
    const m = this.params.numeric.maxiBox;
    return m === 1 ? "on" : m === 2 ? "overwrite" : "off";
  }

  private show(): void {
    this.ports.display?.(this.keyCredit ?? (this.machine.credit > 0 ? this.machine.credit : undefined));
    this.ports.acceptance?.(this.acceptance);
  }

  // ---- commits ----

  /** Statistics, Maxi Box entry and other records in one commit. */
  private commit(
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

  private creditRecord(): [string, Uint8Array] {
    return [CREDIT, encodeJson(this.machine.saved)];
  }

  private countError(err: ErrorCode, now: number, keyNumber?: number): void {
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
  private async writeKey(next: PurseState, now: number): Promise<boolean> {
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

  // ---- power ----

  /**
   * After power returns: a sale whose charge was on a key when the power went is counted as
   * made (the key paid for it and the VMC had the approval), never twice; other pending key
   * writes wait for their key.
   */
  powerUp(now: number): Promise<void> {
    return this.run(now, () => {
      this.vend = undefined;
      this.session = undefined;
      this.tubeLoading = false;
      this.commit({ [S.powerRestores]: 1 }, undefined);
      for (const { key, pending } of this.journal.all())
        if (pending?.kind === "sale" && pending.phase === "charged")
          this.commit(pending.counts, pending.entry, [[key, undefined]]);
      // manual 9 (MDB): a power cycle zeroes the cash credit as overprice
      const gone = this.params.numeric.protocol === MDB ? this.machine.takeAll() : this.machine.tick(now);
      if (gone > 0) this.commit({ [S.overprice]: gone }, undefined, [this.creditRecord()]);
      this.show();
    });
  }

  // ---- keys ----

  insertKey(reader: ClassicReader, now: number): Promise<KeyOutcome> {
    return this.run(now, async () => {
      if (this.session !== undefined)
        return { ok: false, reason: "KEY_ALREADY_IN", detail: "a key is already in the reader" } as const;
      if (!canSell(this.state))
        return {
          ok: false,
          reason: "READER_OUT_OF_SERVICE",
          detail: `reader is ${this.state.state}`,
        } as const;
      let view: CardView;
      const p = this.params.numeric;
      // manual 4.16: with EURO ON a key of the previous operator code is taken over (not while
      // the programmer is connected: the manual has it unplugged first)
      const takeOver = p.euro === 1 && !this.programming && p.previousOperatorCode !== p.operatorCode;
      try {
        view = await this.purses.read(
          reader,
          0,
          takeOver ? [p.operatorCode, p.previousOperatorCode] : undefined,
        );
      } catch (e) {
        if (!(e instanceof PurseError)) throw e;
        const err = isErrorCode(e.err) ? e.err : 1;
        this.countError(err, now);
        return { ok: false, reason: "UNREADABLE", err, detail: e.message } as const;
      }
      const counts: Record<string, number> = { [S.keyReads]: 1 };
      if (view.restored) counts[errorCounter(14)] = 1;
      this.commit(counts, undefined);

      // the key is in, not usable until accepted; a write this reader left open on it is
      // settled first, whatever the key is now
      this.session = { reader, view, userGroup: undefined, used: false, usable: false };
      await this.settle(now);
      const left = { ok: false, reason: "UNREADABLE", detail: "the key left during a write" } as const;
      if (this.session === undefined) return left;
      if ((this.session as Session).view.identity.operatorCode !== p.operatorCode) {
        const refused = await this.takeOverKey(now);
        if (refused !== undefined) return refused;
      }
      view = (this.session as Session).view;
      const id = view.identity;
      const fn = id.keyFunction;
      if (fn === "programming") return this.startTubeLoading(view);
      if (fn === "setup" || fn === "black-list" || fn === "data") {
        // with the programmer connected the key is held to be loaded (`loadSpecialKey`)
        if (this.programming) return { ok: true, function: fn, credit: view.state.credit } as const;
        return this.specialKey(fn, now);
      }
      const disabled = (fn === "recharge" && p.rechargeKey !== 1) || (fn === "free" && p.freeKey !== 1);
      if (disabled || (fn !== "sale" && fn !== "free" && fn !== "recharge")) {
        if (disabled) {
          this.countError(6, now, id.keyNumber);
          return { ok: false, reason: "REFUSED", err: 6, detail: `${fn} keys are OFF` } as const;
        }
        return { ok: false, reason: "SPECIAL_KEY", detail: `a ${fn} key is not used for sales` } as const;
      }
      const access = checkAccess(accessSettings(this.params, this.pricing), {
        technology: "mifare",
        keyNumber: id.keyNumber,
        operatorCode: id.operatorCode,
        customerCode: id.customerCode,
        departmentCode: id.departmentCode,
        level: id.priceLevel,
        credit: view.state.credit,
      });
      if (!access.ok) {
        this.countError(access.err as ErrorCode, now, id.keyNumber);
        this.show();
        return { ok: false, reason: "REFUSED", err: access.err as ErrorCode, detail: access.reason } as const;
      }
      this.session = { reader, view, userGroup: access.userGroup, used: false, usable: true };
      // with the programmer connected the key is only read, for key management
      if (!this.programming && fn === "recharge") await this.takeRechargeKeyUse(now);
      else if (!this.programming && fn === "sale") await this.loadWaitingCredit(now);
      this.show();
      return this.session === undefined
        ? left
        : ({ ok: true, function: fn, credit: this.session.view.state.credit } as const);
    });
  }

  removeKey(now: number): Promise<void> {
    return this.run(now, () => {
      this.session = undefined;
      this.tubeLoading = false;
      this.show();
    });
  }

  /**
   * Manual 4.16: the key in the reader carries the previous operator code; it takes this
   * system's operator and customer codes and its money is converted at the EURO rate, all in one
   * tear-safe rewrite (a key pulled out midway reads as before and is converted next time).
   */
  private async takeOverKey(now: number): Promise<KeyOutcome | undefined> {
    const s = this.session as Session;
    const p = this.params.numeric;
    const keyNumber = s.view.identity.keyNumber;
    try {
      const identity = euroIdentity(s.view.identity, p.customerCode, p);
      s.view = await this.purses.rekey(s.reader, s.view, identity, (state) => euroState(state, p));
    } catch (e) {
      if (!(e instanceof PurseError) && !(e instanceof RangeError)) throw e;
      this.session = undefined;
      if (e instanceof RangeError || !isErrorCode(e.err)) {
        // the converted amounts do not fit the key: it stays the previous operator's
        this.countError(2, now, keyNumber);
        return { ok: false, reason: "REFUSED", err: 2, detail: `EURO conversion: ${e.message}` };
      }
      this.countError(e.err, now, keyNumber);
      return { ok: false, reason: "UNREADABLE", err: e.err, detail: e.message };
    }
    this.commit({ [S.keyWrites]: 1 }, undefined);
    return undefined;
  }

  /**
   * A special key inserted in service. Setup key (4.10.11) and black-list key (4.12): their
   * settings, checked whole, are handed back in `carried` for the caller to keep (the payment
   * system is built on its settings). Data key (7.3.4): the statistics are collected onto it as
   * an EVA-DTS audit (40007's EVA-DTS mode; DDCMP 6.0 Plus when 40007 names one of N&W's own
   * formats: a data key collects whatever the mode) and the period data is cleared once the key
   * reads back right; with BACKUP ON (7.2) the last collection goes instead and nothing is cleared.
   * Unreadable or unusable data counts ERR 10 and changes nothing.
   */
  private async specialKey(fn: "setup" | "black-list" | "data", now: number): Promise<KeyOutcome> {
    const s = this.session as Session;
    const keyNumber = s.view.identity.keyNumber;
    const credit = s.view.state.credit;
    try {
      if (fn !== "data") {
        const carried = decodeSpecialKey(fn, await this.purses.readPayload(s.reader, s.view));
        return { ok: true, function: fn, credit, carried };
      }
      if (this.auditIdentity === undefined)
        return {
          ok: false,
          reason: "SPECIAL_KEY",
          detail: "this reader has no audit identity for data keys",
        };
      const { backup, collection } = this.takeCollection(now);
      const audit = auditFile(
        collection,
        this.params,
        this.pricing,
        this.auditIdentity,
        collectionMode(this.params), // a data key collects in 40007's mode, Plus for N&W's own
        this.coinTubes,
      );
      await this.purses.writePayload(s.reader, s.view, deflateRawSync(audit));
      this.confirmCollection({ backup, collection });
      return { ok: true, function: fn, credit, carried: { kind: "data", backup, collection } };
    } catch (e) {
      if (e instanceof CollectionRefused) return { ok: false, reason: "REFUSED", detail: e.message };
      if (!(e instanceof PurseError) && !(e instanceof SpecialKeyRefused)) throw e;
      const err = isErrorCode(e.err) ? e.err : 10;
      this.countError(err, now, keyNumber);
      return { ok: false, reason: "REFUSED", err, detail: e.message };
    }
  }

  /**
   * A statistics collection (manual 7): with BACKUP ON (40116, 7.2) the last confirmed one again,
   * touching nothing; otherwise the data as it stands, cleared only by `confirmCollection`.
   * Throws `CollectionRefused` (within 2 minutes of the last one; no backup yet).
   */
  takeCollection(now: number): { readonly backup: boolean; readonly collection: Collection } {
    const backup = this.params.numeric.statisticsBackup === 1;
    return { backup, collection: backup ? this.statistics.backup() : this.statistics.collect(now) };
  }

  /** A security read (EVA-DTS list 2): the data as it stands; nothing will be cleared. */
  securityRead(now: number): Collection {
    return this.statistics.snapshot(now);
  }

  /** The collector has the data: the period is cleared, unless it was a backup re-read. */
  confirmCollection(taken: { readonly backup: boolean; readonly collection: Collection }): void {
    if (!taken.backup) this.statistics.confirm(taken.collection);
  }

  /**
   * Loads the special key in the reader from the programmer: a setup key takes this system's
   * settings (`setupKeyCopy` of the parameters, and the pricing), a black-list key `content`'s
   * list. Resolves once the key reads back right; PaymentError NO_KEY without such a key.
   */
  loadSpecialKey(content: SpecialKeyContent, now: number): Promise<void> {
    return this.run(now, async () => {
      const s = this.session;
      if (!this.programming || s === undefined || s.view.identity.keyFunction !== content.kind)
        throw new PaymentError(
          "NO_KEY",
          `no ${content.kind} key is in the reader with the programmer connected`,
        );
      await this.purses.writePayload(s.reader, s.view, encodeSpecialKey(content));
      this.commit({ [S.keyWrites]: 1 }, undefined);
    });
  }

  /** Manual 4.8.7: the programming key opens tube loading, refused while cash credit is in. */
  private startTubeLoading(view: CardView): KeyOutcome {
    if (this.machine.credit > 0)
      return { ok: false, reason: "REFUSED", detail: "tube loading is refused while cash credit is in" };
    if (view.identity.operatorCode !== this.params.numeric.operatorCode)
      return { ok: false, reason: "REFUSED", err: 2, detail: "programming key of another operator" };
    this.tubeLoading = true;
    this.show();
    return { ok: true, function: "programming", credit: view.state.credit };
  }

  /**
   * Settles the inserted key's pending write (see key-journal.ts) from how far its transaction
   * counter moved since. One step: our write landed. None: it did not. More: the key was
   * written elsewhere too, so whether ours landed cannot be known; the customer gets the benefit
   * of the doubt and the case is counted as an unverified key write (ERR 12).
   */
  private async settle(now: number): Promise<void> {
    const s = this.session as Session;
    const uid = s.view.uid;
    const pending = this.journal.get(uid);
    if (pending === undefined) return;
    if (this.vend?.medium === "key" && sameUid(this.vend.uid, uid)) return; // its vend is still open
    const drop = this.journal.record(uid, undefined);
    const settled = settlement(pending, s.view.state, (s.view.counter - pending.counter) >>> 0);
    if (settled.doubt) this.countError(12, now, s.view.identity.keyNumber);
    switch (settled.action) {
      case "count":
        return this.commit(settled.counts, settled.entry, [drop]);
      case "write":
        if (await this.writeKey(settled.state, now))
          this.commit({ ...settled.counts, [S.keyWrites]: 1 }, settled.entry, [drop]);
        return;
      case "recharge-key-credit":
        return this.commit({}, undefined, [
          drop,
          [RECHARGE_CREDIT, encodeJson(this.rechargeKeyCredit + settled.value)],
        ]);
    }
  }

  /** Manual 3.5: a recharge key gives one use; its value waits for the next sale key. */
  private async takeRechargeKeyUse(now: number): Promise<void> {
    const s = this.session as Session;
    const { state, counter } = s.view;
    const value = s.view.identity.rechargeValue;
    if (state.rechargesLeft <= 0 || value <= 0) return;
    const pending: PendingWrite = { kind: "recharge-key", counter, value };
    this.commit({}, undefined, [this.journal.record(s.view.uid, pending)]);
    if (!(await this.writeKey({ ...state, rechargesLeft: state.rechargesLeft - 1 }, now))) return;
    this.commit({ [S.keyWrites]: 1 }, undefined, [
      this.journal.record(s.view.uid, undefined),
      [RECHARGE_CREDIT, encodeJson(this.rechargeKeyCredit + value)],
    ]);
    s.used = true;
  }

  /**
   * What the inserted key may still take before the maximum loadable credit (40000, manual
   * 4.10.2). A lowered maximum never takes credit off a key: it only stops further loads.
   */
  private get keyRoom(): number {
    const credit = this.session?.view.state.credit ?? 0;
    return Math.max(0, this.params.numeric.maxLoadableCredit - credit);
  }

  /**
   * A sale key takes what waits: a recharge key's value, and cash left in the machine, each up to
   * the maximum loadable credit; what does not fit keeps waiting (on the recharge key, in the
   * machine's credit), so no money is lost.
   */
  private async loadWaitingCredit(now: number): Promise<void> {
    if (this.vend !== undefined) return; // a cash vend is still using the machine's credit
    const waiting = this.rechargeKeyCredit;
    const fromRechargeKey = Math.min(waiting, this.keyRoom);
    if (fromRechargeKey > 0) {
      const counts = { [S.programmedCredit]: fromRechargeKey, [S.rechargeKeyCredit]: fromRechargeKey };
      const left = waiting - fromRechargeKey;
      await this.recharge(fromRechargeKey, "recharge-key", counts, now, [
        [RECHARGE_CREDIT, left > 0 ? encodeJson(left) : undefined],
      ]);
    }
    // cash left in the machine goes on the key, unless coins are for sales only (manual 4.6.1)
    if (this.session === undefined || this.machine.credit === 0 || this.params.numeric.coinValidator === 1)
      return;
    const cash = Math.min(this.machine.credit, this.keyRoom);
    if (cash === 0) return;
    this.machine.take(cash);
    await this.recharge(cash, "machine-credit", { [S.cashRecharges]: cash }, now, [this.creditRecord()]);
  }

  /**
   * Loads `amount` on the session's key, journalled: `first` records go into the commit that
   * opens the journal entry (e.g. the coin's cash-in count), `counts` are counted when it lands.
   */
  private async recharge(
    amount: number,
    source: RechargeSource,
    counts: Counters,
    now: number,
    first: [string, Uint8Array | undefined][],
    firstCounts: Counters = {},
  ): Promise<void> {
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
    if (await this.writeKey({ ...s.view.state, credit: s.view.state.credit + amount }, now))
      this.commit({ ...counts, [S.keyWrites]: 1 }, entry, [this.journal.record(uid, undefined)]);
  }

  // ---- programmer ----

  /**
   * The programmer is connected (manual 9, digest §15): refused with a key in; in MDB refused
   * while cash credit is in the machine; in Executive the cash credit is zeroed as overprice.
   */
  connectProgrammer(now: number): Promise<void> {
    return this.run(now, () => {
      if (this.session !== undefined)
        throw new PaymentError("PROGRAMMING_REFUSED", "take the key out before programming");
      if (this.vend !== undefined) throw new PaymentError("PROGRAMMING_REFUSED", "a vend is in progress");
      if (this.machine.credit > 0 && this.params.numeric.protocol === MDB)
        throw new PaymentError(
          "PROGRAMMING_REFUSED",
          `cash credit ${this.machine.credit} is in the machine: sell it, load it on a key, or power-cycle`,
        );
      if (this.machine.credit > 0) {
        const gone = this.machine.takeAll();
        this.commit({ [S.overprice]: gone }, undefined, [this.creditRecord()]);
      }
      this.programming = true;
      this.show();
    });
  }

  disconnectProgrammer(now: number): Promise<void> {
    return this.run(now, () => {
      this.programming = false;
      this.show();
    });
  }

  /** Loads credit on the inserted sale key from the programmer (manual 9.5.1; password 4.9.3). */
  programmerRecharge(amount: number, now: number, password?: number): Promise<number> {
    return this.run(now, async () => {
      checkPassword(this.params, "key-credit", password);
      if (!Number.isSafeInteger(amount) || amount <= 0)
        throw new PaymentError("INVALID_AMOUNT", `a credit must be a whole amount > 0, not ${amount}`);
      const s = this.session;
      if (!s?.usable || s.view.identity.keyFunction !== "sale")
        throw new PaymentError("NO_KEY", "no usable sale key is in the reader");
      // the key's credit is held by the vend until its outcome: a load now would be lost to it
      if (this.vend !== undefined)
        throw new PaymentError("VEND_IN_PROGRESS", "a vend is in progress; load the credit after it");
      if (amount > this.keyRoom)
        throw new PaymentError(
          "CREDIT_LIMIT",
          `the key can take ${this.keyRoom} more before the maximum loadable credit (40000) of ${this.params.numeric.maxLoadableCredit}`,
        );
      const counts = { [S.programmedCredit]: amount, [S.programmerCredit]: amount };
      await this.recharge(amount, "programmer", counts, now, []);
      this.show();
      return this.keyCredit ?? 0;
    });
  }

  /** The key in the reader as the programmer reads it (manual 4.14.1), when one is read. */
  get keyReport(): KeyReport | undefined {
    return this.session === undefined ? undefined : keyReport(this.session.view, this.params);
  }

  /**
   * Changes the bonus tokens or loyalty points on the sale key in the reader (manual 4.14.1;
   * the password as for its credit, 4.9.3). Not money: one tear-safe write, old or new. Resolves
   * with whether the write landed.
   */
  programmerSetKey(changes: KeyChanges, now: number, password?: number): Promise<boolean> {
    return this.run(now, async () => {
      checkPassword(this.params, "key-credit", password);
      const s = this.session;
      if (!s?.usable || s.view.identity.keyFunction !== "sale")
        throw new PaymentError("NO_KEY", "no usable sale key is in the reader");
      const next = changedState(s.view.state, changes);
      if (typeof next === "string") throw new PaymentError("INVALID_AMOUNT", next);
      const landed = await this.writeKey(next, now);
      if (landed) this.commit({ [S.keyWrites]: 1 }, undefined);
      return landed;
    });
  }

  /** Sets the inserted recharge key's number of uses (manual 9.5.1; password 4.9.3). */
  setRechargeKeyUses(uses: number, now: number, password?: number): Promise<boolean> {
    return this.run(now, async () => {
      checkPassword(this.params, "recharge-key-uses", password);
      if (!Number.isInteger(uses) || uses < 0 || uses > 65_535)
        throw new PaymentError("INVALID_AMOUNT", `recharge-key uses are 0..65535, not ${uses}`);
      const s = this.session;
      if (s === undefined || s.view.identity.keyFunction !== "recharge")
        throw new PaymentError("NO_KEY", "no recharge key is in the reader");
      // not money on its own: a torn write leaves the old or the new count, never a mix
      const landed = await this.writeKey({ ...s.view.state, rechargesLeft: uses }, now);
      if (landed) this.commit({ [S.keyWrites]: 1 }, undefined);
      return landed;
    });
  }

  // ---- cash ----

  /**
   * A coin the validator or changer took; `type` 1..8 feeds the per-coin counters. What went in
   * is always counted and lands somewhere: on a sale key that may take it (within the maximum
   * loadable credit, 40000), else as the machine's cash credit. Whether the acceptor should take
   * cash at all is `acceptance`, which the caller's acceptor follows.
   */
  coin(value: number, now: number, type?: number): Promise<void> {
    return this.run(now, () => this.cash("coins", value, now, type));
  }

  /** A bill the acceptor stacked; `type` 1..4 feeds the per-bill counters. */
  bill(value: number, now: number, type?: number): Promise<void> {
    return this.run(now, () => this.cash("bills", value, now, type));
  }

  private async cash(source: "coins" | "bills", value: number, now: number, type?: number): Promise<void> {
    if (!Number.isSafeInteger(value) || value <= 0)
      throw new PaymentError("INVALID_AMOUNT", `a ${source} value must be a whole amount > 0, not ${value}`);
    if (this.tubeLoading && source === "coins") {
      this.commit({ [S.tubeFill]: value }, undefined);
      return;
    }
    const taken: Record<string, number> = { [source === "coins" ? S.coinsIn : S.billsIn]: value };
    add(taken, type === undefined ? undefined : source === "coins" ? coinCount(type) : billCount(type), 1);
    const s = this.session;
    // Cash always lands somewhere: on a usable key not vending, else in the machine's credit.
    const p = this.params.numeric;
    const recharges = source === "coins" ? p.coinValidator >= 2 : p.billAcceptor >= 1;
    // a coin that would put the key above the maximum loadable credit (40000) stays cash credit
    if (
      s?.usable &&
      recharges &&
      this.vend === undefined &&
      s.view.identity.keyFunction === "sale" &&
      value <= this.keyRoom
    ) {
      await this.recharge(value, source, { [S.cashRecharges]: value }, now, [], taken);
    } else {
      this.machine.insert(value);
      this.commit(taken, undefined, [this.creditRecord()]);
    }
    this.show();
  }

  /**
   * The escrow lever or return button: cash credit goes back as change — with the reader's own
   * changer, only what its tubes can pay up to the max change, and before any sale only with
   * the escrow lever ON (4.8.3, 4.8.4). Returns what was paid.
   */
  returnCredit(now: number): Promise<number> {
    return this.run(now, () => {
      if (this.vend !== undefined) return 0;
      const extra: [string, Uint8Array | undefined][] = [];
      const counts: Record<string, number> = {};
      // A recharge key's value cannot be paid out: pressing return cancels it (ERR 11).
      const cancelled = this.rechargeKeyCredit > 0;
      if (cancelled) {
        extra.push([RECHARGE_CREDIT, undefined]);
        counts[errorCounter(11)] = 1;
      }
      const change = this.change.mayReturn(this.soldSinceCash)
        ? this.change.plan(this.machine.credit)
        : NO_CHANGE;
      if (change.paid > 0) {
        this.machine.take(change.paid);
        extra.push(this.creditRecord());
        if (this.change.own !== undefined) counts[S.changePaid] = change.paid;
      }
      this.commit(counts, cancelled ? { kind: "error", at: now, error: 11 } : undefined, extra);
      this.change.give(change);
      if (this.machine.credit === 0) this.soldSinceCash = false;
      this.show();
      return change.paid;
    });
  }

  /** As time passes: the 3 MINUTES overprice (manual 4.10.6). */
  tick(now: number): Promise<void> {
    return this.run(now, () => {
      if (this.vend !== undefined) return; // the credit is in use; the deadline waits for the vend
      const gone = this.machine.tick(now);
      if (gone > 0) {
        this.commit({ [S.overprice]: gone }, undefined, [this.creditRecord()]);
        this.show();
      }
    });
  }

  // ---- vends ----

  vendRequest(asked: VendRequest, now: number): Promise<VendDecision> {
    return this.run(now, async (): Promise<VendDecision> => {
      const refuse = (reason: VendRefusal, detail: string): VendDecision => ({
        approved: false,
        reason,
        detail,
      });
      if (this.vend !== undefined) return refuse("VEND_IN_PROGRESS", "a vend is already in progress");
      if (!canSell(this.state)) return refuse("READER_OUT_OF_SERVICE", `reader is ${this.state.state}`);
      if (this.programming) return refuse("READER_OUT_OF_SERVICE", "the programmer is connected");
      const req = this.converted(asked);
      if (req === undefined)
        return refuse("LINE_NOT_SELLABLE", `selection ${asked.line} is no line's in the conversion table`);
      const at = localTime(now);
      const s = this.session;
      if (req.test) {
        const q = quote(this.pricing, {
          line: req.line,
          vmcPrice: req.price ?? 0,
          medium: { kind: "cash" },
          test: true,
          now: at,
        });
        if (!q.ok) return refuse(q.reason, q.detail);
        this.vend = { medium: "test" };
        return { approved: true, amount: 0, charge: q };
      }
      if (s?.usable) {
        if (s.used) return refuse("REINSERT_KEY", "single vend: take the key out and insert it again");
        const fn = s.view.identity.keyFunction;
        if (fn === "recharge") return refuse("INSUFFICIENT_FUNDS", "a recharge key does not buy");
        const bonus1 = this.pricing.bonus1.type;
        const q = quote(this.pricing, {
          line: req.line,
          vmcPrice: req.price,
          medium: {
            kind: "key",
            level: s.view.identity.priceLevel,
            technology: "mizip",
            free: fn === "free",
            state: toKeyState(s.view.state),
            minCredit: this.params.numeric.negativeCredit === 1 ? NEGATIVE_CREDIT_FLOOR : 0,
          },
          now: at,
        });
        if (!q.ok) return refuse(q.reason, q.detail);
        const next = toPurseState(q.key ?? toKeyState(s.view.state), s.view.state, {
          bonus1: bonus1,
          loyalty: this.pricing.loyalty.type,
        });
        const pending: PendingWrite = {
          kind: "sale",
          phase: "writing",
          counter: s.view.counter,
          before: s.view.state,
          charge: q.charge,
          counts: {
            ...saleCounts(this.pricing, q, fn === "free", s.view.identity.priceLevel, s.userGroup),
            [S.keyWrites]: 1,
          },
          entry: saleEntry(this.pricing, q, now, s.view.identity.keyNumber),
        };
        const uid = s.view.uid;
        this.commit({}, undefined, [this.journal.record(uid, pending)]);
        if (!(await this.writeKey(next, now))) {
          this.show();
          return refuse("KEY_WRITE_FAILED", "the key left while it was being charged");
        }
        this.commit({}, undefined, [this.journal.record(uid, { ...pending, phase: "charged" })]);
        this.vend = { medium: "key", uid, charge: q };
        this.show();
        return { approved: true, amount: q.charge + q.bonusCreditUsed, charge: q };
      }
      const q = quote(this.pricing, {
        line: req.line,
        vmcPrice: req.price,
        medium: { kind: "cash" },
        now: at,
      });
      if (!q.ok) return refuse(q.reason, q.detail);
      if (q.charge > this.machine.credit)
        return refuse("INSUFFICIENT_FUNDS", `credit ${this.machine.credit}, price ${q.charge}`);
      if (this.change.exactAmountOnly && q.charge !== this.machine.credit)
        return refuse("EXACT_CHANGE", `change is short: insert exactly ${q.charge}`);
      this.vend = { medium: "cash", charge: q };
      this.show();
      return { approved: true, amount: q.charge, charge: q };
    });
  }

  /**
   * A cash sale paid with someone else's cash: in RENDIRESTO an Executive changer holds the
   * coins and approves the vend, and the reader counts the sale (manual 4.3.3). No credit moves
   * here; the sale is priced like any cash sale and counted with its line and Maxi Box entry.
   */
  countCashSale(asked: VendRequest, now: number): Promise<boolean> {
    return this.run(now, () => {
      const req = this.converted(asked);
      if (req === undefined) return false;
      const q = quote(this.pricing, {
        line: req.line,
        vmcPrice: req.price,
        medium: { kind: "cash" },
        now: localTime(now),
      });
      if (!q.ok) return false;
      this.commit(
        saleCounts(this.pricing, q, false, "cash", undefined),
        saleEntry(this.pricing, q, now, undefined),
      );
      return true;
    });
  }

  /**
   * The request with the price line its selection number stands for: under the conversion table
   * (manual 4.4.6: MDB with price holding, table ON) the machine's number is looked up, and
   * undefined comes back when no line has it; otherwise the request as it is.
   */
  private converted(req: VendRequest): VendRequest | undefined {
    const { priceSystem, conversion } = this.pricing;
    const held = priceSystem === "price-holding" || priceSystem === "price-holding-display";
    if (conversion.mode === "off" || !held || this.params.numeric.protocol !== MDB || req.line === undefined)
      return req;
    const line = lineOfSelection(this.pricing, req.line);
    return line === undefined ? undefined : { ...req, line };
  }

  /** The VMC reports the product delivered. */
  vendSuccess(now: number): Promise<void> {
    return this.run(now, () => {
      const v = this.takeVend();
      if (v.medium === "test") {
        this.commit({ [errorCounter(15)]: 1 }, undefined);
      } else if (v.medium === "key") {
        const pending = this.pendingSale(v.uid);
        this.commit(pending.counts, { ...pending.entry, at: now }, [this.journal.record(v.uid, undefined)]);
        this.afterKeyVend(v.uid);
      } else {
        const q = v.charge;
        // with the reader's own changer, a single vend pays the rest back at once (4.8.3);
        // what the tubes cannot pay stays as credit, under the overprice rule
        const single = this.change.own !== undefined && this.params.numeric.saleType === 1;
        const change = single ? this.change.plan(this.machine.credit - q.charge) : NO_CHANGE;
        this.machine.take(change.paid);
        const overprice = this.machine.sell(q.charge, now);
        const counts = saleCounts(this.pricing, q, false, "cash", undefined);
        add(counts, S.overprice, overprice);
        add(counts, S.changePaid, change.paid);
        this.commit(counts, saleEntry(this.pricing, q, now, undefined), [this.creditRecord()]);
        this.change.give(change);
        this.soldSinceCash = this.machine.credit > 0;
      }
      this.show();
    });
  }

  /** The VMC reports the vend failed (manual 4.10.5: refunded when failed-vend refund is ON). */
  vendFailure(now: number): Promise<void> {
    return this.run(now, async () => {
      const v = this.takeVend();
      const refund = this.params.numeric.failedVendRefund === 1;
      const failed = { [errorCounter(8)]: 1 };
      if (v.medium === "test") {
        this.commit(failed, undefined);
      } else if (v.medium === "cash") {
        const q = v.charge;
        if (refund) this.commit(failed, undefined);
        else {
          const overprice = this.machine.sell(q.charge, now);
          const counts: Record<string, number> = { ...failed, [S.failedCashVends]: q.charge };
          add(counts, S.overprice, overprice);
          this.commit(counts, { ...saleEntry(this.pricing, q, now, undefined), error: 8 }, [
            this.creditRecord(),
          ]);
        }
      } else {
        const pending = this.pendingSale(v.uid);
        const entry: MaxiBoxEntry = { ...pending.entry, at: now, error: 8 };
        if (!refund) {
          // refund OFF (manual 4.10.5): the charge stays on the key, and with it what the same
          // write did besides: bonus-1 credit spent or lapsed, loyalty credit given back
          const counts: Record<string, number> = {
            ...failed,
            [S.failedKeyVends]: pending.charge,
            [S.keyWrites]: 1,
          };
          for (const name of [S.bonus, S.loyaltyCredit, V.bonusCreditLapsed])
            add(counts, name, pending.counts[name] ?? 0);
          this.commit(counts, entry, [this.journal.record(v.uid, undefined)]);
        } else {
          this.commit({ ...failed, [S.keyWrites]: 1 }, entry, [
            this.journal.record(v.uid, { ...pending, phase: "refund-due" }),
          ]);
          const s = this.session;
          if (s !== undefined && sameUid(s.view.uid, v.uid)) await this.settle(now);
        }
        this.afterKeyVend(v.uid);
      }
      this.show();
    });
  }

  private takeVend(): Vend {
    const v = this.vend;
    if (v === undefined) throw new PaymentError("NO_VEND", "no vend is in progress");
    this.vend = undefined;
    return v;
  }

  private pendingSale(uid: Uint8Array): Extract<PendingWrite, { kind: "sale" }> {
    const p = this.journal.get(uid);
    if (p?.kind !== "sale")
      throw new PaymentError("NO_VEND", `no charge is pending for key ${journalKey(uid)}`);
    return p;
  }

  private afterKeyVend(uid: Uint8Array): void {
    const s = this.session;
    if (s !== undefined && sameUid(s.view.uid, uid) && this.params.numeric.saleType === 1) s.used = true;
  }
}
