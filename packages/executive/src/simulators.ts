import type { Machine, Step } from "@vendkit/machine";
import { ExecutiveMaster, type MasterEvent, type MasterOptions } from "./master.js";
import { ExecutiveSlave, type SlaveEvent, type SlaveHandler } from "./slave.js";
import { type CreditBlock, displayCredit, EXECUTIVE, type ExecutiveConstants, priceCode } from "./wire.js";

/**
 * A vending machine on the Executive bus, for tests and the reference device: it shows the
 * credit it is sent, and when someone presses a selection it asks to vend — with the price in
 * base steps (prices on VMC, at most `maxPriceCode`) or the selection number (price holding) —
 * then takes `vendMs` to deliver, succeeding unless told to fail. After each delivered vend it
 * queues an audit pair (the selection, and its delivered count modulo 254) for the master to
 * read: our own choice of content, since the pairs' meaning is the VMC's. After `linkLossMs`
 * without a poll it locks (Necta: 30 s, F9) and answers the next STATUS with "vending inhibited";
 * polled again, it unlocks (our assumption of how the lock ends).
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

export class VmcSimulator implements SlaveHandler, Machine<SlaveEvent> {
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
  /** STATUS flags to report (0x80 free vend, 0x40 inhibited, 0x20 BDV variant). */
  statusFlags = 0;
  private lastPoll: number | undefined;
  private readonly c: ExecutiveConstants;

  constructor(private readonly o: VmcSimulatorOptions) {
    this.c = o.constants ?? EXECUTIVE;
    this.slave = new ExecutiveSlave(this, this.c);
    // a price the CREDIT byte cannot carry is a setup error, found now (PRICE_TOO_HIGH)
    if (o.priceSystem === "prices-on-vmc")
      for (const p of o.prices ?? []) priceCode(p, o.baseCoin ?? 1, this.c);
  }

  /** Whether the VMC has locked for want of polls (link loss). */
  get locked(): boolean {
    return this.lockedNow;
  }
  private lockedNow = false;

  /** A customer presses a selection (1-based). It stays pressed until a vend request goes. */
  press(selection: number): void {
    this.pressed = selection;
  }

  status(now: number): number {
    const gap = this.lastPoll === undefined ? 0 : now - this.lastPoll;
    this.lastPoll = now;
    if (gap > this.c.linkLossMs) {
      this.lockedNow = true;
      return this.statusFlags | this.c.statusBits.inhibited;
    }
    this.lockedNow = false;
    return this.statusFlags;
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
    return priceCode(this.o.prices?.[s - 1] ?? 0, this.o.baseCoin ?? 1, this.c);
  }

  vend(now: number): void {
    this.vendEnds = now + (this.o.vendMs ?? 2000);
  }

  /** Bytes from the master in, answers out. */
  receive(bytes: ArrayLike<number>, now: number): Step<SlaveEvent> {
    return this.timed(this.slave.receive(bytes, now));
  }

  /** Ends a vend in progress when its time comes. */
  tick(now: number): Step<SlaveEvent> {
    if (this.vendEnds !== undefined && now >= this.vendEnds) this.endVend();
    return this.timed(this.slave.tick(now));
  }

  private timed(step: Step<SlaveEvent>): Step<SlaveEvent> {
    return { send: step.send, events: step.events, deadline: this.vendEnds };
  }

  private endVend(): void {
    this.vendEnds = undefined;
    const ok = !this.failVends && !this.slave.silent; // a VMC that has gone quiet delivers nothing
    if (ok && this.vending !== undefined) {
      const selection = this.vending;
      this.delivered.push(selection);
      const count = this.delivered.filter((d) => d === selection).length;
      this.slave.queueAudit({ address: selection % 254, value: count % 254 });
    }
    this.vending = undefined;
    this.slave.vendDone(ok);
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
    this.master.display(displayCredit(this.credit, this.o.baseCoin, this.o.decimals));
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
