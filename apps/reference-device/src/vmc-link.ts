/**
 * The reference device's side of the vending machine: whatever bus it is, the device shows a
 * credit and lets a customer's selection ask the payment system. One implementation per bus
 * (`MdbLink`, `ExecutiveLink`), each driving its simulated VMC in memory.
 */
export interface VmcLink {
  /** Which bus, for the start-up lines. */
  readonly name: string;
  /**
   * Where coins go when the VMC side has its own changer (RENDIRESTO); without it they go to the
   * reader's own validator or changer.
   */
  coin?(value: number): Promise<void>;
  /**
   * MDB (manual 10.2.1): the VMC's own coins and bills with a key in go onto the key by REVALUE;
   * `revalue` asks the payment system. Resolves with whether the key took them.
   */
  vmcCash?(amount: number, revalue: (amount: number) => Promise<boolean>): Promise<boolean>;
  /** MDB: the VMC sold `item` from its own cash and reports it (CASH SALE); `count` counts it. */
  vmcCashSale?(
    item: number,
    price: number,
    count: (item: number, price: number) => Promise<void>,
  ): Promise<void>;
  /** Show `credit` (a key's, or the cash credit) or nothing; `session` says whether a key is in. */
  show(credit: number | undefined, session: "key" | "cash" | "none"): void;
  /**
   * A customer presses `item`, priced `price` by the VMC: `decide` asks the payment system,
   * `ended` tells it the outcome, `withdrawn` that the bus could not pass its approval on (the
   * vend never started). Returns the amount approved, or undefined when refused.
   */
  vend(
    item: number,
    price: number,
    decide: (price: number) => Promise<number | undefined>,
    ended: (success: boolean) => Promise<void>,
    withdrawn: () => Promise<void>,
  ): Promise<number | undefined>;
}
