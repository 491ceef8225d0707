import { ExecutiveMaster, type MasterEvent, type MasterOptions } from "./master.js";
import { ExecutiveSlave, type SlaveHandler, type SlaveOutput } from "./slave.js";
import { type CreditBlock, creditBlock, EXECUTIVE, type ExecutiveConstants } from "./wire.js";

/**
 * A vending machine on the Executive bus, for tests and the reference device: it shows the
 * credit it is sent, and when someone presses a selection it asks to vend — with the price in
 * base units (prices on VMC, price system) or the selection number (price holding) — then takes
 * `vendMs` to deliver, succeeding unless told to fail.
 */
export interface VmcSimulatorOptions {
  /** "price-holding": the vend request byte is the selection; else the price in base units. */
  readonly priceSystem: "prices-on-vmc" | "price-holding";
  /** Prices of selections 1..n, in money (prices on VMC). */
  readonly prices?: readonly number[];
  readonly baseCoin?: number;
  readonly vendMs?: number;
  readonly constants?: ExecutiveConstants;
}

export class VmcSimulator implements SlaveHandler {
  readonly slave: ExecutiveSlave;
  /** The credit the display shows (money), or undefined. */
  shown: number | undefined;
  /** Displays in the order shown. */
  readonly displays: (number | undefined)[] = [];
  /** Whether the display shows "exact coins only" / "no change" (the credit block's flag). */
  exactOnly = false;
  private pressed: number | undefined;
  private vendEnds: number | undefined;
  private vending: number | undefined;
  /** The next vends fail (a jammed spiral). */
  failVends = false;
  readonly delivered: number[] = [];
  statusByte = 0;

  constructor(private readonly o: VmcSimulatorOptions) {
    this.slave = new ExecutiveSlave(this, o.constants ?? EXECUTIVE);
  }

  /** A customer presses a selection (1-based). It stays pressed until a vend request goes. */
  press(selection: number): void {
    this.pressed = selection;
  }

  status(): number {
    return this.statusByte;
  }

  display(block: CreditBlock | undefined): void {
    this.shown = block === undefined ? undefined : block.count * block.baseUnit;
    this.exactOnly = block?.exactOnly === true;
    this.displays.push(this.shown);
  }

  vendRequest(): number | undefined {
    const s = this.pressed;
    if (s === undefined) return undefined;
    this.pressed = undefined;
    this.vending = s;
    if (this.o.priceSystem === "price-holding") return s;
    const price = this.o.prices?.[s - 1] ?? 0;
    return price / (this.o.baseCoin ?? 1);
  }

  vend(now: number): void {
    this.vendEnds = now + (this.o.vendMs ?? 2000);
  }

  /** Byte from the master in, answer out; `tick` ends a vend in progress when its time comes. */
  step(byte: number, now: number): SlaveOutput {
    return this.slave.step(byte, now);
  }

  tick(now: number): SlaveOutput {
    if (this.vendEnds === undefined || now < this.vendEnds) return { send: [], events: [] };
    this.vendEnds = undefined;
    const ok = !this.failVends && !this.slave.silent; // a VMC that has gone quiet delivers nothing
    if (ok && this.vending !== undefined) this.delivered.push(this.vending);
    this.vending = undefined;
    return this.slave.vendDone(ok);
  }
}

/**
 * An Executive coin changer as master of the bus (RENDIRESTO / EXECUTIVE SLAVE modes): coins
 * make credit, which it shows to its slave; a vend request (a price in base units) is approved
 * when the credit covers it and the price is taken when the vend succeeds. With single vend
 * the rest is returned after the sale (manual 4.3.4).
 */
export class ChangerSimulator {
  readonly master: ExecutiveMaster;
  credit = 0;
  readonly returned: number[] = [];
  readonly sales: number[] = [];
  private pending: number | undefined;

  constructor(
    private readonly o: {
      readonly baseCoin: number;
      readonly decimals: number;
      readonly single: boolean;
    } & MasterOptions,
  ) {
    this.master = new ExecutiveMaster(o);
    this.show();
  }

  private show(): void {
    this.master.display(
      this.credit > 0 ? creditBlock(this.credit, this.o.baseCoin, this.o.decimals) : undefined,
    );
  }

  insert(coin: number): void {
    this.credit += coin;
    this.show();
  }

  /** The escrow lever: the credit comes back. */
  escrow(): void {
    if (this.credit > 0) this.returned.push(this.credit);
    this.credit = 0;
    this.show();
  }

  /** Runs the master and acts on what it reports. */
  handle(events: readonly MasterEvent[]): void {
    for (const e of events) {
      if (e.kind === "vend-request") {
        const price = e.value * this.o.baseCoin;
        if (price <= this.credit) {
          this.pending = price;
          this.master.approve();
        } else this.master.deny();
      } else if (e.kind === "vend-result" && this.pending !== undefined) {
        if (e.success) {
          this.credit -= this.pending;
          this.sales.push(this.pending);
          if (this.o.single) this.escrow();
        }
        this.pending = undefined;
        this.show();
      }
    }
  }
}
