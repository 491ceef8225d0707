import {
  type CardReaderHandler,
  CardReaderPeripheral,
  creditBlock,
  SlaveModeBus,
  SlaveModeChanger,
  type SlaveModeEvent,
  VmcSimulator,
} from "@vendkit/executive";
import type { VmcLink } from "./vmc-link.js";

/** How long to wait for the machine at most (bus milliseconds). */
const PATIENCE = 70_000;

/** What the reader's payment system tells the card reader peripheral. */
export interface SlaveReader {
  /** The inserted key's credit, or undefined without a key. */
  keyCredit(): number | undefined;
}

/**
 * EXECUTIVE SLAVE (manual 4.3.3, kit 10.1.5): a simulated Executive coin changer is master of
 * both the simulated VMC and this reader, which answers it as the card reader peripheral (address
 * 011). Coins are the changer's (it counts cash sales, 4.3.3's table). With a key in, the changer
 * reads the key's credit, shows it on the VMC, and after the vend asks the reader to DECREMENT
 * the price (or REINSTATE it when the vend failed): the payment system approves the key vend
 * before the selection goes to the VMC and settles it at DECREMENT or REINSTATE. The card
 * reader's payloads are our assumption (`@vendkit/executive`'s `card-reader.ts`), tested only
 * against our own changer simulator.
 */
export class ExecutiveSlaveLink implements VmcLink {
  readonly name = "Executive slave (changer master of VMC and reader)";
  readonly changer: SlaveModeChanger;
  readonly vmc: VmcSimulator;
  readonly reader: CardReaderPeripheral;
  private readonly bus: SlaveModeBus;
  private t = 0;
  /** A key vend the payment system approved, waiting for DECREMENT or REINSTATE. */
  private reserved: number | undefined;
  private settled: "decremented" | "reinstated" | undefined;

  constructor(
    private readonly hooks: SlaveReader,
    prices: readonly number[],
    baseCoin = 1,
    decimals = 2,
  ) {
    const handler: CardReaderHandler = {
      cardPresent: () => hooks.keyCredit() !== undefined,
      readCard: () => {
        const credit = hooks.keyCredit();
        return credit === undefined
          ? undefined
          : creditBlock(credit - (credit % baseCoin), baseCoin, decimals);
      },
      decrement: () => {
        if (this.reserved === undefined) return false;
        this.settled = "decremented";
        return true;
      },
      reinstate: () => {
        if (this.reserved !== undefined) this.settled = "reinstated";
      },
      returnCard: () => {},
    };
    this.reader = new CardReaderPeripheral(handler);
    this.changer = new SlaveModeChanger({ baseCoin, decimals });
    this.vmc = new VmcSimulator({ priceSystem: "prices-on-vmc", prices, baseCoin, vendMs: 1500 });
    this.bus = new SlaveModeBus(this.changer, this.vmc, this.reader);
    this.run(500);
  }

  private run(ms: number, until?: (events: readonly SlaveModeEvent[]) => boolean): SlaveModeEvent[] {
    const events = this.bus.run(this.t, ms, until);
    this.t += ms + 1;
    return events;
  }

  /** Coins go into the changer, which shows its credit when no key is in. */
  async coin(value: number): Promise<void> {
    this.changer.insert(value);
    this.run(300);
  }

  show(): void {
    // the changer polls the reader: a key in or out, and its credit, reach the VMC this way
    this.run(400);
  }

  async vend(
    item: number,
    price: number,
    decide: (price: number) => Promise<number | undefined>,
    ended: (success: boolean) => Promise<void>,
  ): Promise<number | undefined> {
    this.settled = undefined;
    if (this.hooks.keyCredit() !== undefined) {
      const amount = await decide(price);
      if (amount === undefined) return undefined;
      this.reserved = amount;
      this.vmc.press(item);
      this.run(PATIENCE, () => this.settled !== undefined);
      const success = this.settled === "decremented";
      this.reserved = undefined;
      this.settled = undefined;
      await ended(success);
      this.run(400); // the changer reads the key again
      return success ? amount : undefined;
    }
    this.vmc.press(item);
    const sale = this.run(PATIENCE, (events) => events.some((e) => e.kind === "sale")).find(
      (e) => e.kind === "sale",
    );
    return sale?.kind === "sale" && sale.success ? sale.price : undefined;
  }
}
