import { NO_CHANGE } from "./change-payer.js";
import type { Tube } from "./change-rules.js";
import { billCount, changerCoinCount, coinCount, errorCounter, S, V } from "./counters.js";
import { canSell } from "./diagnostics.js";
import { type Engine, RECHARGE_CREDIT } from "./engine.js";
import { PaymentError } from "./payment-types.js";
import { add } from "./sale-statistics.js";

/**
 * Cash at the reader (manual 3.2-3.4, 4.6-4.8, 4.10.6): coins and bills landing on a key or as
 * the machine's credit, the return button and escrow lever, the changer's tubes, and the
 * overprice clock.
 */
export class CashDesk {
  constructor(private readonly e: Engine) {}

  tubeStatus(tubes: readonly Tube[]): void {
    this.e.change.report(tubes);
    this.e.show();
  }

  returnCredit(now: number): number {
    if (this.e.vend !== undefined) return 0;
    const extra: [string, Uint8Array | undefined][] = [];
    const counts: Record<string, number> = {};
    // A recharge key's value cannot be paid out: pressing return cancels it (ERR 11).
    const cancelled = this.e.rechargeKeyCredit > 0;
    if (cancelled) {
      extra.push([RECHARGE_CREDIT, undefined]);
      counts[errorCounter(11)] = 1;
    }
    const change = this.e.change.mayReturn(this.e.soldSinceCash)
      ? this.e.change.plan(this.e.machine.credit)
      : NO_CHANGE;
    if (change.paid > 0) {
      this.e.machine.take(change.paid);
      extra.push(this.e.creditRecord());
      if (this.e.change.own !== undefined) counts[S.changePaid] = change.paid;
    }
    this.e.commit(counts, cancelled ? { kind: "error", at: now, error: 11 } : undefined, extra);
    this.e.change.give(change);
    if (this.e.machine.credit === 0) this.e.soldSinceCash = false;
    this.e.show();
    return change.paid;
  }

  tick(now: number): void {
    if (this.e.vend !== undefined) return; // the credit is in use; the deadline waits for the vend
    const gone = this.e.machine.tick(now);
    if (gone > 0) {
      this.e.commit({ [S.overprice]: gone }, undefined, [this.e.creditRecord()]);
      this.e.show();
    }
  }

  /** A usable sale key may take the VMC's cash: nothing open, the reader in service. */
  private get revaluable(): boolean {
    const s = this.e.session;
    return (
      s?.usable === true &&
      s.view.identity.keyFunction === "sale" &&
      this.e.vend === undefined &&
      !this.e.programming &&
      canSell(this.e.state)
    );
  }

  get revalueLimit(): number {
    return this.revaluable ? this.e.keyRoom : 0;
  }

  async revalue(amount: number, now: number): Promise<boolean> {
    if (!Number.isSafeInteger(amount) || amount <= 0)
      throw new PaymentError("INVALID_AMOUNT", `a revalue must be a whole amount > 0, not ${amount}`);
    if (amount > this.revalueLimit) return false;
    const counts = { [S.cashRecharges]: amount, [V.revalued]: amount };
    const landed = await this.e.recharge(amount, "machine-credit", counts, now, []);
    this.e.show();
    return landed;
  }

  manualDispense(value: number): void {
    if (!Number.isSafeInteger(value) || value <= 0)
      throw new PaymentError("INVALID_AMOUNT", `a manual dispense is a whole amount > 0, not ${value}`);
    this.e.commit({ [S.manualDispense]: value }, undefined);
  }

  /** A coin of MDB type `type` (1-16) from the reader's own changer, counted by where it went. */
  changerCoin(value: number, now: number, type: number, route: "cashbox" | "tubes"): Promise<void> {
    const where = route === "tubes" ? "tubes" : "box";
    const counts: Record<string, number> = { [route === "tubes" ? V.cashToTubes : V.cashToBox]: value };
    add(counts, changerCoinCount(type, "in"), 1);
    add(counts, changerCoinCount(type, where), 1);
    return this.cash("coins", value, now, undefined, counts);
  }

  async cash(
    source: "coins" | "bills",
    value: number,
    now: number,
    type?: number,
    also: Record<string, number> = {},
  ): Promise<void> {
    if (!Number.isSafeInteger(value) || value <= 0)
      throw new PaymentError("INVALID_AMOUNT", `a ${source} value must be a whole amount > 0, not ${value}`);
    if (this.e.tubeLoading && source === "coins") {
      this.e.commit({ [S.tubeFill]: value }, undefined);
      return;
    }
    const taken: Record<string, number> = { ...also, [source === "coins" ? S.coinsIn : S.billsIn]: value };
    add(taken, type === undefined ? undefined : source === "coins" ? coinCount(type) : billCount(type), 1);
    const s = this.e.session;
    // Cash always lands somewhere: on a usable key not vending, else in the machine's credit.
    const p = this.e.params.numeric;
    const recharges = source === "coins" ? p.coinValidator >= 2 : p.billAcceptor >= 1;
    // a coin that would put the key above the maximum loadable credit (40000) stays cash credit
    if (
      s?.usable &&
      recharges &&
      this.e.vend === undefined &&
      s.view.identity.keyFunction === "sale" &&
      value <= this.e.keyRoom
    ) {
      await this.e.recharge(value, source, { [S.cashRecharges]: value }, now, [], taken);
    } else {
      this.e.machine.insert(value);
      this.e.commit(taken, undefined, [this.e.creditRecord()]);
    }
    this.e.show();
  }
}
