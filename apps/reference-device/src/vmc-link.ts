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
