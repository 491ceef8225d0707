/**
 * Cash credit waiting in the machine (no key), with the overprice rule of MiZip Plus manual
 * 4.10.6: ON zeroes what is left right after a sale, 3 MINUTES zeroes it 3 minutes after the
 * last sale, OFF keeps it for further sales or a recharge. What is zeroed is counted as "cash
 * sales / overprice". Sans-I/O: time is an argument. Money is in the smallest unit.
 */
export type OverpriceMode = "off" | "on" | "3-minutes";

/** Parameter 40003 as the mode: 0 OFF, 1 ON, 2 3 MINUTES. */
export const overpriceMode = (parameter: number): OverpriceMode =>
  parameter === 1 ? "on" : parameter === 2 ? "3-minutes" : "off";

export const OVERPRICE_DELAY = 3 * 60 * 1000;

export class InsufficientCredit extends Error {
  readonly code = "INSUFFICIENT_CREDIT" as const;
  constructor(
    readonly credit: number,
    readonly price: number,
  ) {
    super(`credit ${credit} does not cover price ${price}`);
    this.name = "InsufficientCredit";
  }
}

const whole = (n: number, what: string) => {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a whole amount ≥ 0, not ${n}`);
};

export interface MachineCreditRecord {
  readonly credit: number;
  /** When a 3 MINUTES overprice zeroes the credit. */
  readonly deadline?: number;
}

export class MachineCredit {
  private amount = 0;
  private deadline: number | undefined;

  /** `saved` is what `saved` gave before a power cut: the credit and its overprice deadline. */
  constructor(
    private readonly mode: OverpriceMode,
    saved?: MachineCreditRecord,
  ) {
    if (saved !== undefined) {
      whole(saved.credit, "a saved credit");
      this.amount = saved.credit;
      this.deadline = saved.deadline;
    }
  }

  /** What to keep in non-volatile memory to carry the credit across a power cut. */
  get saved(): MachineCreditRecord {
    return this.deadline === undefined
      ? { credit: this.amount }
      : { credit: this.amount, deadline: this.deadline };
  }

  get credit(): number {
    return this.amount;
  }

  insert(value: number): void {
    whole(value, "an inserted value");
    this.amount += value;
  }

  /**
   * Sells at `price`; returns the overprice zeroed at once (ON), else 0. Throws
   * `InsufficientCredit` and changes nothing when the credit does not cover the price.
   */
  sell(price: number, now: number): number {
    whole(price, "a price");
    if (price > this.amount) throw new InsufficientCredit(this.amount, price);
    this.amount -= price;
    if (this.mode === "on") return this.takeAll();
    if (this.mode === "3-minutes" && this.amount > 0) this.deadline = now + OVERPRICE_DELAY;
    return 0;
  }

  /** Call as time passes: returns the overprice zeroed now (3 MINUTES), else 0. */
  tick(now: number): number {
    if (this.deadline === undefined || now < this.deadline) return 0;
    return this.takeAll();
  }

  /** Part of the credit leaves as change; throws `InsufficientCredit` beyond the credit. */
  take(amount: number): void {
    whole(amount, "an amount");
    if (amount > this.amount) throw new InsufficientCredit(this.amount, amount);
    this.amount -= amount;
    if (this.amount === 0) this.deadline = undefined;
  }

  /** The whole credit leaves the machine's account (returned as change, or loaded on a key). */
  takeAll(): number {
    const all = this.amount;
    this.amount = 0;
    this.deadline = undefined;
    return all;
  }
}
