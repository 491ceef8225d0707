import { ChangerSimulator, RendirestoBridge, VmcSimulator } from "@vendkit/executive";
import { Wiring } from "@vendkit/machine";
import type { VmcLink } from "./vmc-link.js";

/** Bus time per step, and how long to wait for the machine at most. */
const PATIENCE = 70_000;

/** What the reader's payment system does for the bridge; the calls the bridge cannot await. */
export interface RendirestoReader {
  keyCredit(): number | undefined;
  /** Changer credit moved onto the key (the bridge's 100-base-unit transfers). */
  recharged(amount: number): Promise<void>;
  /** A cash sale the changer paid for, for the reader's statistics. */
  cashSale(item: number, price: number): Promise<void>;
}

/**
 * RENDIRESTO (manual 4.3.2, kit 10.1.4): a simulated Executive coin changer is master of the
 * reader, the reader master of a simulated Executive VMC, through `RendirestoBridge`. Coins go
 * into the changer; cash vends are the changer's to approve and the reader's to count; a key
 * vend is charged before the selection is sent, so the bridge can approve it on the spot.
 */
export class RendirestoLink implements VmcLink {
  readonly name = "Executive rendiresto (changer master of the reader)";
  readonly changer: ChangerSimulator;
  readonly vmc: VmcSimulator;
  readonly bridge: RendirestoBridge;
  private t = 0;
  private readonly wiring: Wiring;
  /** A key vend already charged, waiting for the VMC's request at this price. */
  private charged: number | undefined;
  private keyResult: boolean | undefined;
  private cashSold: number | undefined;
  private readonly later: Promise<void>[] = [];

  constructor(
    private readonly reader: RendirestoReader,
    prices: readonly number[],
    baseCoin = 1,
    decimals = 2,
  ) {
    this.changer = new ChangerSimulator({ baseCoin, decimals, single: false });
    this.vmc = new VmcSimulator({ priceSystem: "prices-on-vmc", prices, baseCoin, vendMs: 1500 });
    this.bridge = new RendirestoBridge(
      {
        keyCredit: () => reader.keyCredit(),
        keyVend: (price) => {
          const ok = this.charged === price;
          this.charged = undefined;
          return ok;
        },
        keyVendResult: (success) => {
          this.keyResult = success;
        },
        recharged: (amount) => {
          this.later.push(reader.recharged(amount));
        },
        cashSale: (amount) => {
          this.cashSold = amount;
        },
      },
      { baseCoin, decimals },
    );
    this.wiring = new Wiring([
      [this.changer.master, this.bridge.changerPort],
      [this.bridge.vmcPort, this.vmc],
    ]).on(this.changer.master, (events) => this.changer.handle(events));
  }

  /** Runs the three parties for up to `ms` of bus time, or until `until` holds. */
  private run(ms: number, until: () => boolean = () => false): void {
    if (until()) return;
    this.t = this.wiring.run(this.t, ms - 1, { until });
  }

  /** Runs until the VMC's vend request has been asked and answered (or `done` holds). */
  private runVend(done: () => boolean): void {
    let asked = false;
    this.run(PATIENCE, () => {
      if (this.bridge.vmc.vending) asked = true;
      return done() || (asked && !this.bridge.vmc.vending);
    });
  }

  private async settle(): Promise<void> {
    while (this.later.length > 0) await this.later.shift();
  }

  /** Coins go into the changer, which shows its credit; with a key in it moves to the key. */
  async coin(value: number): Promise<void> {
    this.changer.insert(value);
    this.run(3000);
    await this.settle();
  }

  show(): void {
    // the bridge asks the reader for the key's credit at every step and shows it, or the
    // changer's credit without a key
    this.run(300);
  }

  async vend(
    item: number,
    price: number,
    decide: (price: number) => Promise<number | undefined>,
    ended: (success: boolean) => Promise<void>,
  ): Promise<number | undefined> {
    this.keyResult = undefined;
    this.cashSold = undefined;
    if (this.reader.keyCredit() !== undefined) {
      const amount = await decide(price);
      if (amount === undefined) return undefined;
      this.charged = price;
      this.vmc.press(item);
      this.runVend(() => this.keyResult !== undefined);
      const success = this.keyResult === true;
      this.charged = undefined;
      await ended(success);
      return success ? amount : undefined;
    }
    const salesBefore = this.changer.sales.length;
    this.vmc.press(item);
    this.runVend(() => this.cashSold !== undefined);
    // the VEND's answer reaches the changer on its line's next byte time
    if (this.cashSold !== undefined) this.run(50, () => this.changer.sales.length > salesBefore);
    await this.settle();
    if (this.cashSold === undefined || this.changer.sales.length === salesBefore) return undefined;
    await this.reader.cashSale(item, this.cashSold);
    return this.cashSold;
  }
}
