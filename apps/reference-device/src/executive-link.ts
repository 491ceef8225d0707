import {
  Bus,
  type CreditBlock,
  creditBlock,
  EXECUTIVE,
  ExecutiveMaster,
  type MasterEvent,
  VmcSimulator,
} from "@vendkit/executive";
import type { VmcLink } from "./vmc-link.js";

/** Milliseconds of bus time per run while waiting for the VMC. */
const SLICE = 50;
/** Give up on a VMC that says nothing for this long: past the vend wait (60 s, or 250 s with VEND DELAY). */
const PATIENCE = 10_000;

/**
 * What an Executive master shows the VMC for `credit` (smallest unit), or nothing. With NON DA
 * RESTO (40110, manual 4.10.13) the "no change" flag is always on, so a block goes even with no
 * credit.
 */
export function displayBlock(
  credit: number | undefined,
  baseCoin: number,
  decimals: number,
  noChange: boolean,
): CreditBlock | undefined {
  const none = credit === undefined || credit <= 0;
  return none && !noChange ? undefined : creditBlock(none ? 0 : credit, baseCoin, decimals, noChange);
}

/** How much RITARDO DISPLAY (30007) and RITARDO COMUNICAZIONE (30008) slow the link when ON, ms: the manual gives no figure. */
export const DISPLAY_DELAY_MS = 50;
export const COMMUNICATION_DELAY_MS = 30;

/** The Executive master's options from the parameters: 30006 VEND DELAY, 30007, 30008 (manual 4.3.8-4.3.10). */
export function masterOptions(numeric: {
  vendDelay: number;
  displayDelay: number;
  communicationDelay: number;
}) {
  return {
    vendDelay: numeric.vendDelay === 1,
    displayDelayMs: numeric.displayDelay === 1 ? DISPLAY_DELAY_MS : 0,
    communicationDelayMs: numeric.communicationDelay === 1 ? COMMUNICATION_DELAY_MS : 0,
  };
}

/**
 * EXECUTIVE MASTER (manual 4.3.1): the device is master of a simulated Executive VMC with
 * prices on the VMC (the vend request carries the price in base units), run in memory on its
 * own bus clock.
 */
export class ExecutiveLink implements VmcLink {
  readonly name = "Executive master";
  readonly master: ExecutiveMaster;
  readonly vmc: VmcSimulator;
  private readonly bus: Bus;
  private t = 0;
  private readonly patience: number;

  private readonly baseCoin: number;
  private readonly decimals: number;
  private readonly noChangeMessage: boolean;
  /** Extra ms per byte on a slowed link (30007, 30008). */
  private readonly slowdown: number;
  private readonly onAuditPair: ((pair: { address: number; value: number }) => void) | undefined;

  constructor(options: {
    readonly prices: readonly number[];
    readonly baseCoin?: number;
    readonly decimals?: number;
    /** Parameter 30006, VEND DELAY (manual 4.3.8): wait for machines that answer a vend after more than 60 s. */
    readonly vendDelay?: boolean;
    /** Parameters 30007 and 30008 (manual 4.3.9, 4.3.10), as `masterOptions` gives them. */
    readonly displayDelayMs?: number;
    readonly communicationDelayMs?: number;
    /** How long the simulated machine takes to vend. */
    readonly vmcVendMs?: number;
    /** Parameter 40110, NON DA RESTO: the machine's display always says "no change". */
    readonly noChangeMessage?: boolean;
    /** An audit pair the VMC handed over (AUDIT, SEND AUDIT ADDRESS, SEND AUDIT DATA). */
    readonly onAuditPair?: (pair: { address: number; value: number }) => void;
  }) {
    this.onAuditPair = options.onAuditPair;
    this.noChangeMessage = options.noChangeMessage === true;
    this.baseCoin = options.baseCoin ?? 1;
    this.decimals = options.decimals ?? 2;
    this.slowdown = (options.displayDelayMs ?? 0) + (options.communicationDelayMs ?? 0);
    this.master = new ExecutiveMaster({
      vendDelay: options.vendDelay === true,
      displayDelayMs: options.displayDelayMs ?? 0,
      communicationDelayMs: options.communicationDelayMs ?? 0,
    });
    this.patience = (options.vendDelay ? EXECUTIVE.vendDelayMs : EXECUTIVE.vendMs) + PATIENCE;
    this.vmc = new VmcSimulator({
      priceSystem: "prices-on-vmc",
      prices: options.prices,
      baseCoin: this.baseCoin,
      vendMs: options.vmcVendMs ?? 1500,
    });
    this.bus = new Bus(this.master, this.vmc);
    this.run(() => false, 500);
  }

  /** Runs the bus until `until` sees its event, or `limit` ms pass; returns the events seen. */
  private run(until: (e: MasterEvent) => boolean, limit = this.patience): MasterEvent | undefined {
    for (let spent = 0; spent < limit; spent += SLICE) {
      const events = this.bus.run(this.t, SLICE - 1);
      this.t += SLICE;
      for (const e of events) if (e.kind === "audit-pair") this.onAuditPair?.(e);
      const found = events.find(until);
      if (found) return found;
    }
    return undefined;
  }

  show(credit: number | undefined): void {
    this.master.display(displayBlock(credit, this.baseCoin, this.decimals, this.noChangeMessage));
    // a slowed link (30007, 30008) takes longer to carry the 10 bytes of the credit block
    this.run((e) => e.kind === "display-shown", 2 * SLICE + 12 * this.slowdown);
  }

  async vend(
    item: number,
    _price: number,
    decide: (price: number) => Promise<number | undefined>,
    ended: (success: boolean) => Promise<void>,
  ): Promise<number | undefined> {
    this.vmc.press(item);
    const request = this.run((e) => e.kind === "vend-request");
    if (request?.kind !== "vend-request") return undefined;
    const amount = await decide(request.value * this.baseCoin);
    if (amount === undefined) {
      this.master.deny();
      this.run(() => false, SLICE);
      return undefined;
    }
    this.master.approve();
    const result = this.run((e) => e.kind === "vend-result");
    const success = result?.kind === "vend-result" && result.success;
    await ended(success);
    return success ? amount : undefined;
  }
}
