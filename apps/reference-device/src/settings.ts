import {
  type ClockSettings,
  checkPricingChanges,
  type DeviceIdentity,
  decodeJson,
  encodeJson,
  formatClock,
  NUMERIC_PARAMETERS,
  type NumericName,
  ParameterError,
  type PriceTable,
  type Protocol,
  priceNumber,
  protocolOf,
  type SystemParameters,
  sellingPricing,
  setClockTime,
  setParameter,
  setPricingParameter,
  validateParameters,
  type WallTime,
  withClock,
  withPrice,
  withProtocol,
} from "@vendkit/mizip-core";
import { defaultConfig, type PricingConfig, validateConfig } from "@vendkit/pricing";
import { demoParameters, demoPricing } from "./demo.js";
import { DeviceSetupError } from "./device-errors.js";
import { merge } from "./merge.js";
import type { SqliteStorage } from "./sqlite-storage.js";

/** Where the device keeps the programmer's settings in its storage. */
const PARAMETERS = "device/parameters";
const PRICING = "device/pricing";
/** Who the reader's own MDB changer and bill validator said they are (for CA1, BA1). */
const CASH_DEVICE_IDS = "device/cash-device-ids";

/** A stored record (JSON, as the payment system keeps its own), when it is there and `looksRight`. */
export function stored<T>(storage: SqliteStorage, key: string, looksRight: (v: T) => boolean): T | undefined {
  const v = decodeJson(storage.get(key)) as T | undefined;
  try {
    return v !== undefined && looksRight(v) ? v : undefined;
  } catch {
    return undefined; // a record of another shape (null, a number...) that looksRight cannot read
  }
}

/** What the settings tell the device they belong to, and ask of it. */
export interface SettingsHooks {
  /** The host's clock; the reader's is this plus the offset its clock setting holds (8.1.3). */
  readonly hostClock: () => number;
  /** Why the programmer may not change settings now (a key is in the reader), or undefined. */
  readonly busy: () => string | undefined;
  /**
   * Before a change of protocol (30000, 20001) is kept: the statistics are collected (manual
   * 4.2); gives where the audit file went (undefined when a collection moments ago took them).
   */
  readonly beforeProtocolChange: () => string | undefined;
  /** After settings were kept: the device rebuilds its payment system on them. */
  readonly changed: () => void;
}

/**
 * The device's settings room: the system parameters of table 5.2, the price tables and EXTRA
 * functions, the clock, and who its own cash devices said they are, kept in the device's storage.
 * Every change the programmer makes is checked as the manual says, committed, then handed to the
 * device (`changed`).
 */
export class DeviceSettings {
  private constructor(
    private parameters: SystemParameters,
    private prices: PricingConfig,
    private readonly storage: SqliteStorage,
    private readonly hooks: SettingsHooks,
  ) {}

  /**
   * The settings kept in `storage`, or the demo ones on a first start: `protocol` chooses the
   * bus (otherwise the stored 30000 does), `parameters` and `pricing` override what is kept.
   */
  static load(
    storage: SqliteStorage,
    options: {
      readonly protocol?: Protocol;
      readonly parameters?: Partial<Record<NumericName, number>>;
      readonly pricing?: PricingConfig;
    },
    hooks: SettingsHooks,
  ): DeviceSettings {
    const kept = stored<SystemParameters>(
      storage,
      PARAMETERS,
      (p) => typeof p.numeric === "object" && Array.isArray(p.userGroups) && Array.isArray(p.blackList),
    );
    // 30000 is where the protocol lives: `protocol` sets it (the first start, or an explicit
    // choice), otherwise the stored parameters say which bus to run
    const protocol = options.protocol ?? (kept === undefined ? "mdb" : protocolOf(kept));
    const defaults = demoParameters(protocol);
    // parameters a newer release added take their defaults; the rest stay as programmed
    let params =
      kept === undefined
        ? defaults
        : { ...defaults, ...kept, numeric: { ...defaults.numeric, ...kept.numeric } };
    for (const [name, value] of Object.entries(options.parameters ?? {})) {
      const def = NUMERIC_PARAMETERS.find((d) => d.name === name);
      if (def === undefined) throw new DeviceSetupError(`no system parameter named ${name}`);
      params = setParameter(params, def.number, value as number, params.numeric.password);
    }
    // RENDIRESTO is Executive master with an Executive changer (manual 4.3.2)
    params = withProtocol(params, protocol, defaults);
    storage.commit(new Map([[PARAMETERS, encodeJson(params)]]));
    // settings a newer release added (selection names...) take their defaults here too
    const keptPricing = stored<Partial<PricingConfig>>(
      storage,
      PRICING,
      (c) => typeof c === "object" && c !== null,
    );
    const upgraded =
      keptPricing === undefined ? undefined : ({ ...defaultConfig(), ...keptPricing } as PricingConfig);
    const pricing =
      options.pricing ??
      (upgraded !== undefined && validateConfig(sellingPricing(params, upgraded)).length === 0
        ? upgraded
        : undefined) ??
      demoPricing();
    const findings = validateConfig(sellingPricing(params, pricing));
    if (findings.length > 0)
      throw new DeviceSetupError(`pricing: ${findings.map((f) => f.message).join("; ")}`);
    return new DeviceSettings(params, pricing, storage, hooks);
  }

  /** The system parameters in force. */
  get params(): SystemParameters {
    return this.parameters;
  }

  /** The price tables and EXTRA functions as programmed (what the payment system is built on). */
  get tables(): PricingConfig {
    return this.prices;
  }

  /** The pricing the device sells by: its tables, with 30002 and 30003 from the parameters. */
  get pricing(): PricingConfig {
    return sellingPricing(this.parameters, this.prices);
  }

  /** The reader's clock (manual 8.1): the host's time, set forward or back as programmed. */
  readonly clock = (): number => this.hooks.hostClock() + this.parameters.clock.offset;

  /** The reader's date and time as the programmer shows it (8.1.1, 8.1.2). */
  get clockText(): string {
    return formatClock(this.clock(), this.parameters.clock);
  }

  /**
   * The programmer's clock menu (manual 8.1): the time zone (an IANA name: daylight saving comes
   * from the platform's time-zone data), the date and hour formats, and the date and time, read
   * as wall-clock time in the time zone. Refused as a `ParameterError` naming "clock".
   */
  async setClock(changes: {
    readonly timeZone?: string;
    readonly dateFormat?: ClockSettings["dateFormat"];
    readonly hourFormat?: ClockSettings["hourFormat"];
    readonly dateTime?: WallTime;
  }): Promise<void> {
    this.programming();
    const { dateTime, ...rest } = changes;
    const zoned = withClock(this.parameters, rest);
    this.keep({
      parameters: dateTime === undefined ? zoned : setClockTime(zoned, dateTime, this.hooks.hostClock()),
    });
  }

  /**
   * The programmer changes one system parameter by its table 5.2 number (manual 9.2-9.3): not
   * with a key in, checked as the manual says (`ParameterError` with the number,
   * `PasswordRefused` for the operator code and the password), kept. The numbered price,
   * category and EXTRA settings (10001-17139, 40109, 40112, 50000-55009) are set the same way,
   * into the pricing (`setPricingParameter`). The protocol (30000, and 20001 for RENDIRESTO)
   * takes effect at the next start; before a change of it is kept the statistics are collected
   * (manual 4.2) into an audit file, whose path this resolves with.
   */
  async setParameter(number: number, value: number, password?: number): Promise<string | undefined> {
    this.programming();
    // prices and the EXTRA functions have table 5.2 numbers too; they live in the pricing
    const priced = setPricingParameter(this.prices, number, value, { copyCash: this.copyCash });
    if (priced !== undefined) {
      this.keepPricing(priced, number);
      return undefined;
    }
    // 30000 (and 20001) take effect at the next start, as on the original after a power cycle
    const next = setParameter(this.parameters, number, value, password);
    // 30003: every price must stay a whole number of base coins (manual 4.2.3)
    const finding = validateConfig(sellingPricing(next, this.prices)).find((f) => f.parameter !== undefined);
    if (number === 30003 && finding !== undefined) throw new ParameterError(30003, finding.message);
    const audit =
      protocolOf(next) === protocolOf(this.parameters) ? undefined : this.hooks.beforeProtocolChange();
    this.keep({ parameters: next });
    return audit;
  }

  /**
   * The machine and reader codes (parameters 003 and 004, manual 4.9.2) and the black list
   * (41001-41500, manual 4.12), checked by `validateParameters`: the first problem is thrown as
   * the `ParameterError` the programmer shows.
   */
  async setCodes(codes: {
    machineCode?: string;
    readerCode?: string;
    blackList?: readonly number[];
  }): Promise<void> {
    this.programming();
    const next: SystemParameters = {
      ...this.parameters,
      machineCode: codes.machineCode ?? this.parameters.machineCode,
      readerCode: codes.readerCode ?? this.parameters.readerCode,
      blackList: codes.blackList ?? this.parameters.blackList,
    };
    const problem = validateParameters(next)[0];
    if (problem !== undefined) throw problem;
    this.keep({ parameters: next });
  }

  /** The programmer names a price line (manual 4.4.7); checked by `validateConfig` (BAD_NAME). */
  async setName(line: number, name: string): Promise<void> {
    this.programming();
    if (!Number.isInteger(line) || line < 1 || line > 100)
      throw new DeviceSetupError(`line ${line} is not 1..100`);
    this.keepPricing({ ...this.prices, names: this.prices.names.map((n, i) => (i === line - 1 ? name : n)) });
  }

  /**
   * The programmer sets one price (manual 4.4.3-4.4.5): the cash table or key level 0-3, line
   * 1..100. Checked by `validateConfig` (range, base-coin multiple), refused as a
   * `ParameterError` with the table 5.2 number (10001-10100 cash, 11001-14100 key levels).
   */
  async setPrice(table: PriceTable, line: number, price: number): Promise<void> {
    this.programming();
    const next = withPrice(this.prices, table, line, price, this.copyCash);
    this.keepPricing(next, priceNumber(table, line));
  }

  /**
   * The EXTRA functions and the rest of the pricing (manual 4.4-4.5, ch. 8: limits, bonus 1-3,
   * loyalty, promotions, happy hours, out-of-service bands): `changes` is merged into the
   * pricing (objects by key, arrays by index) and checked whole by `validateConfig`; a refusal
   * is a `ParameterError` with the table 5.2 number where the setting has one.
   */
  async setPricing(changes: unknown): Promise<void> {
    this.programming();
    checkPricingChanges(changes);
    this.keepPricing(merge(this.prices, changes) as PricingConfig);
  }

  /**
   * Settings the device itself moves on (a key formatted, a backup read, a setup key's parameters
   * and pricing): committed together, only those given (so a record this device could not use
   * stays as it was stored), without the programmer's checks, key in or not; then handed to the
   * device once.
   */
  keep(changed: { readonly parameters?: SystemParameters; readonly pricing?: PricingConfig }): void {
    const records = new Map<string, Uint8Array>();
    if (changed.parameters !== undefined) records.set(PARAMETERS, encodeJson(changed.parameters));
    if (changed.pricing !== undefined) {
      // kept without the two fields the parameters own, so no second copy can disagree
      const { priceSystem: _system, baseCoin: _coin, ...tables } = changed.pricing;
      records.set(PRICING, encodeJson(tables));
    }
    this.storage.commit(records);
    this.parameters = changed.parameters ?? this.parameters;
    this.prices = changed.pricing ?? this.prices;
    this.hooks.changed();
  }

  /**
   * Manual 4.8.2, 4.8.9: the coin and bill values "are written once the changer (acceptor) is
   * enabled": what the reader's own devices report at SETUP goes into 20033-20048 / 21038-21053.
   */
  learnValues(kind: "coin" | "bill", values: readonly number[]): void {
    const first = kind === "coin" ? 20_033 : 21_038;
    let next = this.parameters;
    values.slice(0, 16).forEach((v, i) => {
      const name = `${kind === "coin" ? "mdbCoinValue" : "mdbBillValue"}${i + 1}` as NumericName;
      if (next.numeric[name] !== v && v >= 0 && v <= 65_535) next = setParameter(next, first + i, v);
    });
    if (next !== this.parameters) this.keep({ parameters: next });
  }

  /** Who the reader's own changer and bill validator said they are, kept for the audit (CA1, BA1). */
  get cashDeviceIds(): { coin?: DeviceIdentity; bill?: DeviceIdentity } {
    return (
      stored<{ coin?: DeviceIdentity; bill?: DeviceIdentity }>(
        this.storage,
        CASH_DEVICE_IDS,
        (v) => typeof v === "object" && v !== null,
      ) ?? {}
    );
  }

  keepCashDeviceId(kind: "coin" | "bill", id: DeviceIdentity): void {
    this.storage.commit(new Map([[CASH_DEVICE_IDS, encodeJson({ ...this.cashDeviceIds, [kind]: id })]]));
  }

  /** COPIA TAB. CONTANTI ON (40117, manual 4.4.2): cash prices programmed go to key tables 0-3 too. */
  private get copyCash(): boolean {
    return this.parameters.numeric.copyCashTable === 1;
  }

  private programming(): void {
    const busy = this.hooks.busy();
    if (busy !== undefined) throw new DeviceSetupError(busy);
  }

  private keepPricing(next: PricingConfig, number?: number): void {
    const finding = validateConfig(sellingPricing(this.parameters, next))[0];
    if (finding !== undefined) {
      const at = finding.parameter ?? number;
      if (at === undefined) throw new DeviceSetupError(finding.message);
      throw new ParameterError(at, finding.message);
    }
    this.keep({ pricing: next });
  }
}
