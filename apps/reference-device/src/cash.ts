import type { Duplex } from "node:stream";
import type { PeripheralBus } from "@vendkit/mdb";
import { type NumericName, type PaymentSystem, parallelInput, type Tube } from "@vendkit/mizip-core";
import { ReaderCashDevices, type simulatedCashDevices } from "./cash-devices.js";
import { CashRefused } from "./device-errors.js";
import type { DeviceSettings } from "./settings.js";
import type { VmcLink } from "./vmc-link.js";

type PulseLines = ReturnType<typeof parallelInput>;

/** What the cash room reads of the device it belongs to. */
export interface CashHooks {
  /** The payment system in force (the device rebuilds it when settings change). */
  readonly pay: () => PaymentSystem;
  readonly clock: () => number;
  /** Credit changed: the device tells the VMC what there is now. */
  readonly changed: () => void;
  /** The VMC side, when it takes coins itself (an Executive VMC's changer). */
  readonly link: () => VmcLink;
}

/**
 * The device's cash room: the reader's own coin and bill inputs (manual 4.6-4.8) — the
 * parallel validator's and acceptor's pulse lines, the MDB changer's tubes and coin types, the
 * bill acceptor, the escrow lever — and, when it drives them, its own MDB changer and bill
 * validator on a second bus.
 */
export class DeviceCash {
  /**
   * The reader's own MDB coin changer and bill validator on its second bus, when it drives them
   * (`cashDevices`, manual 4.8): pumped by the caller (`step` with real time, `run` in tests).
   */
  readonly devices: ReaderCashDevices | undefined;

  /** With `cashDevices: "sim"`: the simulated changer and validator, to put coins and bills in. */
  readonly sim: ReturnType<typeof simulatedCashDevices> | undefined;

  /** The coin types of the reader's MDB changer, by value, from its last tube status. */
  private tubeTypes: readonly { readonly type: number; readonly value: number }[] = [];

  /** The reader's parallel validator's and bill acceptor's pulse lines (manual 4.6.3, 4.7.3). */
  private readonly lines: { readonly coin: PulseLines; readonly bill: PulseLines };

  constructor(
    readonly settings: DeviceSettings,
    private readonly hooks: CashHooks,
    /** Whether the reader drives an MDB changer (the `changer` option). */
    private readonly changer: boolean,
    own: { readonly bus?: PeripheralBus | Duplex; readonly sim?: ReturnType<typeof simulatedCashDevices> },
  ) {
    this.sim = own.sim;
    this.devices =
      own.bus === undefined
        ? undefined
        : new ReaderCashDevices(
            own.bus,
            {
              pay: hooks.pay,
              clock: hooks.clock,
              changed: hooks.changed,
              learned: (kind, values) => settings.learnValues(kind, values),
              identified: (kind, id) => settings.keepCashDeviceId(kind, id),
            },
            Array.from(
              { length: 16 },
              (_, i) => settings.params.numeric[`mdbBillSecurity${i + 1}` as NumericName],
            ).reduce((mask, high, i) => mask | (high << i), 0),
          );
    const into = {
      coin: (v: number, now: number, type?: number) => hooks.pay().coin(v, now, type),
      bill: (v: number, now: number, type?: number) => hooks.pay().bill(v, now, type),
    };
    this.lines = {
      coin: parallelInput("coin", () => settings.params, into),
      bill: parallelInput("bill", () => settings.params, into),
    };
  }

  /** The reader's MDB changer reports its tubes (with the `changer` option). */
  async tubes(tubes: readonly Tube[]): Promise<void> {
    this.tubeTypes = tubes.map((t) => ({ type: t.type, value: t.value }));
    await this.hooks.pay().tubeStatus(tubes, this.hooks.clock());
  }

  /**
   * The customer presses the coin return (escrow) lever: the cash credit the rules let go back
   * (manual 4.8.3-4.8.4: lever ON, within the max change) is paid out. Resolves with the amount.
   */
  async escrow(): Promise<number> {
    const paid = await this.hooks.pay().returnCredit(this.hooks.clock());
    this.hooks.changed();
    return paid;
  }

  /** A bill into the reader's bill acceptor; refused (`CashRefused`) when the acceptor takes none now. */
  async bill(value: number): Promise<void> {
    this.accepts("bill");
    await this.hooks.pay().bill(value, this.hooks.clock());
    this.hooks.changed();
  }

  /**
   * A coin of line `type` (1-8) from the reader's parallel validator: a pulse on its line, worth
   * what parameters 20002-20009 say (manual 4.6.3), counted per type as well (S11-S18). Refused
   * (`CashRefused`) while the reader inhibits the validator.
   */
  async insertCoin(type: number): Promise<void> {
    this.accepts("coin");
    await this.lines.coin.pulse(type, this.hooks.clock());
    this.hooks.changed();
  }

  /** A bill of line `type` (1-4), worth what parameters 21002-21005 say (manual 4.7.3). */
  async insertBill(type: number): Promise<void> {
    this.accepts("bill");
    await this.lines.bill.pulse(type, this.hooks.clock());
    this.hooks.changed();
  }

  /** A coin into the reader's changer: onto the inserted key, or into the cash credit. */
  async coin(value: number): Promise<void> {
    const link = this.hooks.link();
    if (link.coin) {
      await link.coin(value);
      this.hooks.changed();
      return;
    }
    this.accepts("coin");
    const pay = this.hooks.pay();
    // the reader's MDB changer takes only the coin types the reader enables (manual 4.8.2, 4.8.6)
    const type = this.changer ? this.tubeTypes.find((t) => t.value === value)?.type : undefined;
    const enabled = pay.acceptance.coinTypes;
    if (type !== undefined && enabled !== undefined && !enabled.includes(type))
      throw new CashRefused("coin", "TYPE_DISABLED");
    await pay.coin(value, this.hooks.clock());
    this.hooks.changed();
  }

  /**
   * The reader's acceptor follows `PaymentSystem.acceptance` (20000, 21000, 40000, 40118...): a coin
   * or bill it would not take goes back and never becomes credit.
   */
  private accepts(kind: "coin" | "bill"): void {
    const a = this.hooks.pay().acceptance;
    const verdict = kind === "coin" ? a.coins : a.bills;
    if (verdict !== true) throw new CashRefused(kind, verdict);
  }
}
