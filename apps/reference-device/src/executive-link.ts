import { Bus, creditBlock, ExecutiveMaster, type MasterEvent, VmcSimulator } from "@vendkit/executive";
import type { VmcLink } from "./vmc-link.js";

/** Milliseconds of bus time per run while waiting for the VMC. */
const SLICE = 50;
/** Give up on a VMC that says nothing for this long (the vend wait is 60 s). */
const PATIENCE = 70_000;

/**
 * EXECUTIVE MASTER (manual 4.3.1): the device is master of a simulated Executive VMC with
 * prices on the VMC (the vend request carries the price in base units), run in memory on its
 * own bus clock.
 */
export class ExecutiveLink implements VmcLink {
  readonly name = "Executive master";
  readonly master = new ExecutiveMaster();
  readonly vmc: VmcSimulator;
  private readonly bus: Bus;
  private t = 0;

  constructor(
    prices: readonly number[],
    private readonly baseCoin = 1,
    private readonly decimals = 2,
  ) {
    this.vmc = new VmcSimulator({ priceSystem: "prices-on-vmc", prices, baseCoin, vendMs: 1500 });
    this.bus = new Bus(this.master, this.vmc);
    this.run(() => false, 500);
  }

  /** Runs the bus until `until` sees its event, or `limit` ms pass; returns the events seen. */
  private run(until: (e: MasterEvent) => boolean, limit = PATIENCE): MasterEvent | undefined {
    for (let spent = 0; spent < limit; spent += SLICE) {
      const events = this.bus.run(this.t, SLICE - 1);
      this.t += SLICE;
      const found = events.find(until);
      if (found) return found;
    }
    return undefined;
  }

  show(credit: number | undefined): void {
    const shown =
      credit === undefined || credit <= 0 ? undefined : creditBlock(credit, this.baseCoin, this.decimals);
    this.master.display(shown);
    this.run((e) => e.kind === "display-shown", 2 * SLICE);
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
