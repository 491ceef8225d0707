import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Duplex } from "node:stream";
import type { PeripheralBus } from "@vendkit/mdb";
import {
  EMPTY_STATE,
  type Holder,
  type KeyFunction,
  PurseError,
  type PurseSystem,
  SimulatedCard,
} from "@vendkit/mifare-purse";
import {
  type Carried,
  checkPassword,
  dataKeyAudit,
  formatting,
  type KeyChanges,
  type KeyOutcome,
  type NumericName,
  ParameterError,
  PaymentSystem,
  type PaymentSystemOptions,
  type Protocol,
  protocolOf,
  STATISTICS_COUNTERS as S,
  type SpecialKeyContent,
  SpecialKeyRefused,
  settingsAfterKey,
  validateParameters,
} from "@vendkit/mizip-core";
import type { PricingConfig } from "@vendkit/pricing";
import {
  AUDIT_IDENTITY,
  DEMO_KEYS,
  DEMO_PRICES,
  demoPurses,
  SPECIAL_KEYS,
  type SpecialKind,
} from "./demo.js";
import { DeviceSetupError } from "./device-errors.js";
import { linkFor } from "./links.js";

export { type Protocol, protocolOf } from "@vendkit/mizip-core";
export { DEMO_KEYS, DEMO_PRICES, demoPricing, SPECIAL_KEYS, type SpecialKind } from "./demo.js";

import { DeviceAudits } from "./audits.js";
import { DeviceCash } from "./cash.js";
import { simulatedCashDevices } from "./cash-devices.js";
import { type DurableKey, KeyStore } from "./key-store.js";
import { collectBeforeProtocolChange } from "./protocol-change.js";
import { DeviceSettings } from "./settings.js";
import { SqliteStorage } from "./sqlite-storage.js";
import type { VmcLink } from "./vmc-link.js";

/**
 * The reference device: the payment system (`@vendkit/mizip-core`) as an MDB cashless reader
 * (`@vendkit/mdb`) or an Executive master (`@vendkit/executive`) in front of a simulated VMC,
 * with its memory in SQLite and simulated MIFARE keys that keep their blocks on disk.
 * Everything a vendor would swap for hardware is one object here: the VMC side (`link`), the
 * keys (`keys`), the storage. The programmer's settings, the audits and the cash inputs are rooms
 * of their own (`settings`, `audits`, `cash`).
 */

export interface DeviceState {
  readonly machineCredit: number;
  readonly keyCredit: number | undefined;
  readonly keys: readonly {
    readonly uid: string;
    readonly keyNumber: number | undefined;
    readonly credit: number | undefined;
  }[];
  readonly statistics: Readonly<Record<string, number>>;
  readonly maxiBoxEntries: number;
  /** What the Maxi Box's lines add up to: key sales and recharges without an error. */
  readonly maxiBoxTotals: { readonly keySales: number; readonly recharges: number };
  readonly pendingKeyWrites: number;
  /** The parameters that fail validation (the "parameter error" of 5.1): numbers, then named settings. */
  readonly parameterErrors: readonly (number | string)[];
}

/** How to set a device up beyond the embedded defaults (the scenario runner uses it). */
export interface DeviceOptions {
  readonly protocol?: Protocol;
  readonly clock?: () => number;
  /** System parameters to change, by name (checked: a refused value throws ParameterError). */
  readonly parameters?: Partial<Record<NumericName, number>>;
  /** The pricing to use instead of the demo prices (checked with `validateConfig`). */
  readonly pricing?: PricingConfig;
  /** The reader drives an MDB coin changer ("Rendiresto Plus MDB", manual 4.8). */
  readonly changer?: PaymentSystemOptions["changer"];
  /**
   * The reader's own MDB coin changer and bill validator on its second bus (manual 4.8; kits
   * 10.1.6, 10.2.3): "sim" for simulated ones in memory, or a real bus: the stream to a Qibixx
   * adapter already in master mode (`startQibixxMaster`). Implies `changer` (2 safety coins
   * unless given).
   */
  readonly cashDevices?: "sim" | Duplex;
  /** A real MDB bus: a stream of two-byte 9-bit words from a UART (replaces the simulated VMC). */
  readonly serialMdb?: Duplex;
  /** Where the device reports what a real bus did. */
  readonly log?: (line: string) => void;
}

export type { VmcAuditPair } from "./audits.js";
export { DeviceSetupError };

export class Device {
  private inserted: DurableKey | undefined;

  private paySystem: PaymentSystem;

  /** Collections, security reads, the historic reset, the VMC's audit pairs (see DeviceAudits). */
  readonly audits: DeviceAudits;

  private constructor(
    /** The programmer's settings: parameters, prices, the clock (see DeviceSettings). */
    readonly settings: DeviceSettings,
    private purseSystem: PurseSystem,
    readonly keys: readonly DurableKey[],
    /** The special keys, by kind: not customers' keys, so not in `keys`. */
    readonly specialKeys: Readonly<Record<SpecialKind, DurableKey>>,
    link: (device: Device) => VmcLink,
    private readonly storage: SqliteStorage,
    private readonly keyStore: KeyStore,
    private readonly changer: DeviceOptions["changer"],
    /** Where the device keeps its files. */
    readonly dataDir: string,
    ownCash: {
      readonly bus?: PeripheralBus | Duplex;
      readonly sim?: ReturnType<typeof simulatedCashDevices>;
    },
  ) {
    this.clock = settings.clock;
    this.audits = new DeviceAudits(this.settings, storage, {
      pay: () => this.pay,
      clock: this.clock,
      changed: () => this.showCredit(),
    });
    this.paySystem = this.newPaymentSystem();
    // the link and the cash devices reach the payment system through the device they belong to
    this.link = link(this);
    this.cash = new DeviceCash(
      this.settings,
      { pay: () => this.pay, clock: this.clock, changed: () => this.showCredit(), link: () => this.link },
      changer !== undefined,
      ownCash,
    );
  }

  /** The reader's coin and bill inputs and its own cash devices (see DeviceCash). */
  readonly cash: DeviceCash;

  /** The payment system on the device's settings and storage; change goes out by the reader's changer. */
  private newPaymentSystem(): PaymentSystem {
    return new PaymentSystem({
      storage: this.storage,
      purses: this.purses,
      parameters: this.settings.params,
      pricing: this.settings.tables,
      changer: this.changer,
      auditIdentity: AUDIT_IDENTITY,
      ports: { payOut: (_amount, coins) => this.cash.devices?.payOut(coins ?? []) },
    });
  }

  readonly link: VmcLink;

  /** The reader's clock (manual 8.1): the settings' clock. */
  readonly clock: () => number;

  get pay(): PaymentSystem {
    return this.paySystem;
  }

  /** The key rules in force: the demo operator secret with the operator code programmed (000). */
  get purses(): PurseSystem {
    return this.purseSystem;
  }

  /** A new payment system over the same storage, after the programmer changed its settings. */
  private rebuild(): void {
    this.purseSystem = demoPurses(this.settings.params.numeric.operatorCode);
    this.paySystem = this.newPaymentSystem();
    this.showCredit();
  }

  /**
   * Key formatting in the reader (manual 9.5.2): the demo key `index`, carrying this system's
   * operator code or the previous one (008), takes this system's operator code and the reader's
   * customer and department codes; with PROGRAM. N. CHIAVE ON (40101) the number in 40115, which
   * then moves on to the next; with PROGRAM. CREDITO ON (40100) `credit` (asking for the
   * password, 4.9.3), otherwise it keeps its credit. One tear-safe rewrite: a key pulled out
   * midway is as it was and can be formatted again. Refused with a key in the reader, and while
   * a write to that key is still pending (its journal counts on the key's transaction counter).
   * Resolves with the key's number.
   */
  async formatKey(index: number, options: { credit?: number; password?: number } = {}): Promise<number> {
    const key = this.keys[index];
    if (key === undefined) throw new DeviceSetupError(`no demo key ${index + 1}`);
    if (this.inserted !== undefined) throw new DeviceSetupError("take the key out before formatting");
    const p = this.settings.params.numeric;
    const programCredit = p.formatProgramCredit === 1;
    if (programCredit !== (options.credit !== undefined))
      throw new DeviceSetupError(
        programCredit ? "PROGRAM. CREDITO is ON (40100): give the credit" : "PROGRAM. CREDITO is OFF (40100)",
      );
    if (options.credit !== undefined) {
      checkPassword(this.settings.params, "key-credit", options.password);
      if (!Number.isSafeInteger(options.credit) || options.credit < 0 || options.credit > p.maxLoadableCredit)
        throw new DeviceSetupError(`credit ${options.credit} is not 0..${p.maxLoadableCredit}`);
    }
    key.card.insert();
    try {
      const view = await this.purses.read(key, 0, [p.operatorCode, p.previousOperatorCode]);
      if (this.pay.pendingKeyWrite(view.uid) !== undefined)
        throw new DeviceSetupError("a write to this key is still pending: insert it once first");
      const { holder, parameters } = formatting(this.settings.params, view.identity);
      const credit = options.credit;
      await this.purses.rekey(key, view, holder, (state) =>
        credit === undefined ? state : { ...state, credit },
      );
      if (parameters !== this.settings.params) this.settings.keep({ parameters });
      return holder.keyNumber;
    } catch (e) {
      if (!(e instanceof PurseError)) throw e;
      // 9.5.2: E 2 for a key of another operator, FORMATT. ERRATA when the write fails
      throw new DeviceSetupError(
        e.code === "WRONG_OPERATOR"
          ? `E 2: the key is neither this operator's nor the previous operator's (008): ${e.message}`
          : `FORMATT. ERRATA: ${e.message}`,
      );
    } finally {
      key.card.remove();
    }
  }

  /** Key management from the programmer: credit loaded on the inserted key (password, 4.9.3). */
  async programmerRecharge(amount: number, password?: number): Promise<number> {
    const credit = await this.pay.programmerRecharge(amount, this.clock(), password);
    this.showCredit();
    return credit;
  }

  /**
   * Key management from the programmer: bonus tokens and loyalty points on the inserted key
   * (manual 4.14.1, password as for its credit). Resolves with whether the write landed.
   */
  async programmerSetKey(changes: KeyChanges, password?: number): Promise<boolean> {
    const landed = await this.pay.programmerSetKey(changes, this.clock(), password);
    this.showCredit();
    return landed;
  }

  /** The demo key in the reader, if any (index into `keys`). */
  get insertedIndex(): number | undefined {
    const i = this.inserted === undefined ? -1 : this.keys.indexOf(this.inserted);
    return i < 0 ? undefined : i;
  }

  /** The special key in the reader, if any. */
  get insertedSpecial(): SpecialKind | undefined {
    return SPECIAL_KEYS.find((k) => this.specialKeys[k.kind] === this.inserted)?.kind;
  }

  /** Opens (or creates, with the demo keys) the device whose files are in `dataDir`. */
  static async open(dataDir: string, options: DeviceOptions = {}): Promise<Device> {
    const hostClock = options.clock ?? Date.now;
    mkdirSync(dataDir, { recursive: true });
    const storage = new SqliteStorage(join(dataDir, "device.sqlite"));
    const keyStore = new KeyStore(join(dataDir, "keys.sqlite"));
    let device: Device | undefined;
    const settings = DeviceSettings.load(storage, options, {
      hostClock,
      busy: () => (device?.inserted === undefined ? undefined : "take the key out before programming"),
      beforeProtocolChange: () =>
        collectBeforeProtocolChange(
          (device as Device).audits,
          join(dataDir, "audits"),
          (device as Device).clock(),
        ),
      changed: () => device?.rebuild(),
    });
    const params = settings.params;
    const protocol = protocolOf(params);
    const purses = demoPurses(params.numeric.operatorCode);
    /** A demo key of this reader's codes, formatted and kept in the key store. */
    const demoKey = async (
      uid: string,
      size: "1K" | "4K",
      keyNumber: number,
      keyFunction: KeyFunction,
      credit: number,
    ): Promise<void> => {
      const card = new SimulatedCard(Uint8Array.from(Buffer.from(uid, "hex")), size);
      const holder: Holder = {
        keyNumber,
        customerCode: params.numeric.customerCode,
        departmentCode: params.numeric.departmentCode,
        priceLevel: 0,
        keyFunction,
        rechargeValue: 0,
      };
      await purses.format(card, holder, { ...EMPTY_STATE, credit });
      keyStore.saveAll(card, uid);
    };
    if (keyStore.uids().length === 0)
      for (const k of DEMO_KEYS)
        await demoKey(
          Buffer.from([0x04, 0xd3, 0x00, k.keyNumber]).toString("hex"),
          "1K",
          k.keyNumber,
          "sale",
          k.credit,
        );
    // the special keys join data directories made before them, blank
    const present = new Set(keyStore.uids());
    for (const k of SPECIAL_KEYS) if (!present.has(k.uid)) await demoKey(k.uid, "4K", k.keyNumber, k.kind, 0);
    const special = new Set<string>(SPECIAL_KEYS.map((k) => k.uid));
    const keys = keyStore
      .uids()
      .filter((uid) => !special.has(uid))
      .map((uid) => keyStore.load(uid));
    const specialKeys = Object.fromEntries(SPECIAL_KEYS.map((k) => [k.kind, keyStore.load(k.uid)])) as Record<
      SpecialKind,
      DurableKey
    >;
    const link = (device: Device) => linkFor(device, protocol, params.numeric, options, device.clock);
    // the reader's own cash devices: its changer's safety coins, 2 unless said
    const cash = options.cashDevices === "sim" ? simulatedCashDevices() : undefined;
    const cashBus = cash?.bus ?? (options.cashDevices === "sim" ? undefined : options.cashDevices);
    const changer = options.changer ?? (cashBus === undefined ? undefined : { safetyCoins: 2 });
    device = new Device(settings, purses, keys, specialKeys, link, storage, keyStore, changer, dataDir, {
      ...(cashBus === undefined ? {} : { bus: cashBus }),
      ...(cash === undefined ? {} : { sim: cash }),
    });
    await device.pay.powerUp(device.clock());
    device.showCredit();
    return device;
  }

  /** Tells the VMC what credit there is now: the key's, else the cash credit, else none. */
  private showCredit(): void {
    // Tab. 8.2.1: the machine is shown what the key can spend, its bonus-1 credit included
    const key = this.pay.keyFunds;
    if (key !== undefined) this.link.show(key, "key");
    else if (this.pay.machineCredit > 0) this.link.show(this.pay.machineCredit, "cash");
    else this.link.show(undefined, "none");
  }

  /** A key goes into the reader: the payment system reads it and the VMC is told its credit. */
  async insertKey(index: number): Promise<KeyOutcome> {
    const key = this.keys[index];
    if (key === undefined) throw new DeviceSetupError(`no demo key ${index + 1}`);
    return this.insert(key);
  }

  private async insert(key: DurableKey): Promise<KeyOutcome> {
    await this.removeKey();
    key.card.insert();
    this.inserted = key;
    const outcome = await this.pay.insertKey(key, this.clock());
    if (outcome.ok && outcome.carried !== undefined) this.keepCarried(outcome.carried);
    this.showCredit();
    return outcome;
  }

  /**
   * A special key inserted in service (programmer unplugged): a setup key's settings or a
   * black-list key's list become this device's, kept in its storage; a data key takes the
   * statistics collection (with BACKUP ON, the last one, and BACKUP goes back OFF, 7.2).
   * Unusable keys come back refused, with ERR 10 counted, and change nothing.
   */
  insertSpecialKey(kind: SpecialKind): Promise<KeyOutcome> {
    return this.insert(this.specialKeys[kind]);
  }

  private keepCarried(carried: Carried): void {
    let kept: ReturnType<typeof settingsAfterKey>;
    try {
      kept = settingsAfterKey(this.settings.params, carried);
    } catch (e) {
      if (!(e instanceof ParameterError)) throw e;
      throw new DeviceSetupError(`the setup key's settings here: ${e.message}`);
    }
    if (kept !== undefined) this.settings.keep(kept);
  }

  /**
   * The programmer loads a special key (manual 4.10.11 CHIAVE DI SETUP, 4.12): the setup key
   * with this device's settings, the black-list key with `blackList` (mode 1 = 50 keys, 2 = 500
   * keys). Done with no key in the reader; the key reads back right before this resolves.
   */
  async loadSpecialKey(
    kind: "setup" | "black-list",
    blackList?: { readonly mode: 1 | 2; readonly keys: readonly number[] },
  ): Promise<void> {
    if (this.inserted !== undefined) throw new DeviceSetupError("take the key out before programming");
    let content: SpecialKeyContent;
    if (kind === "setup")
      content = { kind, parameters: this.settings.params, pricing: this.settings.pricing };
    else if (blackList !== undefined) content = { kind, mode: blackList.mode, keys: blackList.keys };
    else throw new DeviceSetupError("a black-list key needs its list");
    const now = this.clock();
    const key = this.specialKeys[kind];
    await this.pay.connectProgrammer(now);
    key.card.insert();
    try {
      const outcome = await this.pay.insertKey(key, now);
      if (!outcome.ok) throw new DeviceSetupError(`the ${kind} key: ${outcome.detail}`);
      await this.pay.loadSpecialKey(content, now);
    } catch (e) {
      if (e instanceof PurseError || e instanceof SpecialKeyRefused)
        throw new DeviceSetupError(`the ${kind} key was not written: ${e.message}`);
      throw e;
    } finally {
      key.card.remove();
      await this.pay.removeKey(now);
      await this.pay.disconnectProgrammer(now);
    }
  }

  /** The audit on the data key, as the office reads it (manual 7.3.4). */
  async readDataKey(): Promise<Uint8Array> {
    const key = this.specialKeys.data;
    if (this.inserted === key) throw new DeviceSetupError("take the data key out of the reader first");
    key.card.insert();
    try {
      return await dataKeyAudit(this.purses, key);
    } catch (e) {
      if (e instanceof PurseError || e instanceof SpecialKeyRefused)
        throw new DeviceSetupError(`the data key holds no audit: ${e.message}`);
      throw e;
    } finally {
      key.card.remove();
    }
  }

  async removeKey(): Promise<void> {
    if (this.inserted === undefined) return;
    this.inserted.card.remove();
    this.inserted = undefined;
    await this.pay.removeKey(this.clock());
    this.showCredit();
  }

  /** The clock moved on: overprice deadlines (manual 4.10.6). */
  async tick(): Promise<void> {
    await this.pay.tick(this.clock());
    this.showCredit();
  }

  /**
   * A coin or bill into the VMC's own changer or acceptor (MDB, manual 10.2.1). With a key in the
   * VMC asks to put it on the key (REVALUE): resolves with true when the key took it; without a
   * key, or refused (a full key, 40000), it stays the VMC's own cash (false).
   */
  async vmcCash(amount: number): Promise<boolean> {
    if (!this.link.vmcCash) throw new DeviceSetupError(`${this.link.name}: the VMC revalues no key`);
    const taken = await this.link.vmcCash(amount, (a) => this.pay.revalue(a, this.clock()));
    this.showCredit();
    return taken;
  }

  /** The VMC sells `item` from its own cash and reports it (MDB CASH SALE): a cash sale counted here. */
  async vmcCashSale(item: number): Promise<void> {
    const price = DEMO_PRICES[item - 1];
    if (price === undefined) throw new DeviceSetupError(`the VMC has no selection ${item}`);
    if (!this.link.vmcCashSale) throw new DeviceSetupError(`${this.link.name}: the VMC reports no cash sale`);
    await this.link.vmcCashSale(item, price, async (line, p) => {
      await this.pay.countCashSale({ line, price: p }, this.clock());
    });
  }

  /**
   * A customer presses selection `item` on the simulated VMC: it asks to vend at its price, the
   * payment system decides, and the VMC vends. Returns the amount approved, or undefined.
   */
  async select(item: number): Promise<number | undefined> {
    const price = DEMO_PRICES[item - 1];
    if (price === undefined) throw new DeviceSetupError(`the VMC has no selection ${item}`);
    const amount = await this.link.vend(
      item,
      price,
      (asked) => this.requestVend(item, asked),
      (success) => this.endVend(success),
      () => this.withdrawVend(),
    );
    this.showCredit();
    return amount;
  }

  /**
   * A VMC asks to vend `item` at `price` (from any bus; an Executive VMC with prices on the VMC
   * names no item): the amount approved, or undefined.
   */
  async requestVend(item: number | undefined, price: number): Promise<number | undefined> {
    const d = await this.pay.vendRequest(
      { price, ...(item === undefined ? {} : { line: item }) },
      this.clock(),
    );
    return d.approved ? d.amount : undefined;
  }

  /** The VMC reports how the approved vend went. */
  async endVend(success: boolean): Promise<void> {
    await (success ? this.pay.vendSuccess(this.clock()) : this.pay.vendFailure(this.clock()));
    this.showCredit();
  }

  /** The bus could not pass an approval on to the VMC: the vend never started. */
  async withdrawVend(): Promise<void> {
    await this.pay.vendWithdrawn(this.clock());
    this.showCredit();
  }

  /** What the device holds now, for the console and the tests. */
  async state(): Promise<DeviceState> {
    const keys = [];
    for (const k of this.keys) {
      const wasIn = k.card.isPresent;
      k.card.insert();
      let credit: number | undefined;
      let keyNumber: number | undefined;
      try {
        const p = this.settings.params.numeric;
        const view = await this.purses.read(k, 0, [p.operatorCode, p.previousOperatorCode]);
        credit = view.state.credit;
        keyNumber = view.identity.keyNumber;
      } catch {
        credit = undefined; // torn or unreadable: the payment system repairs it on insertion
      }
      if (!wasIn) k.card.remove();
      keys.push({ uid: k.uidHex, keyNumber, credit });
    }
    const entries = this.pay.maxiBox.entries();
    const sum = (xs: typeof entries) => xs.reduce((a, e) => a + (e.kind === "error" ? 0 : e.amount), 0);
    const statistics: Record<string, number> = {};
    for (const name of Object.values(S)) statistics[name] = this.pay.statistics.get(name).historic;
    return {
      machineCredit: this.pay.machineCredit,
      keyCredit: this.pay.keyCredit,
      keys,
      statistics,
      maxiBoxEntries: entries.length,
      maxiBoxTotals: {
        keySales: sum(
          entries.filter((e) => e.kind === "sale" && e.keyNumber !== undefined && e.error === undefined),
        ),
        recharges: sum(entries.filter((e) => e.kind === "recharge" && e.error === undefined)),
      },
      pendingKeyWrites: this.pay.pendingKeyWrites.length,
      parameterErrors: validateParameters(this.settings.params).map((e) => e.parameter),
    };
  }

  close(): void {
    this.storage.close();
    this.keyStore.close();
  }
}
