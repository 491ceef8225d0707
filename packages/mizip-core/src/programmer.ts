import { S } from "./counters.js";
import { type Engine, MDB } from "./engine.js";
import { changedState, type KeyChanges } from "./key-management.js";
import { checkPassword } from "./password.js";
import { PaymentError } from "./payment-types.js";
import { encodeSpecialKey, type SpecialKeyContent } from "./special-keys.js";

/**
 * The programmer connected to the reader (manual 9, 9.5.1, 4.14.1, 4.10.11, 4.12): key
 * management on the inserted key, and loading special keys. Nothing sells meanwhile.
 */
export class Programmer {
  constructor(private readonly e: Engine) {}

  connectProgrammer(): void {
    if (this.e.session !== undefined)
      throw new PaymentError("PROGRAMMING_REFUSED", "take the key out before programming");
    if (this.e.vend !== undefined) throw new PaymentError("PROGRAMMING_REFUSED", "a vend is in progress");
    if (this.e.machine.credit > 0 && this.e.params.numeric.protocol === MDB)
      throw new PaymentError(
        "PROGRAMMING_REFUSED",
        `cash credit ${this.e.machine.credit} is in the machine: sell it, load it on a key, or power-cycle`,
      );
    if (this.e.machine.credit > 0) {
      const gone = this.e.machine.takeAll();
      this.e.commit({ [S.overprice]: gone }, undefined, [this.e.creditRecord()]);
    }
    this.e.programming = true;
    this.e.show();
  }

  disconnectProgrammer(): void {
    this.e.programming = false;
    this.e.show();
  }

  async programmerRecharge(amount: number, now: number, password?: number): Promise<number> {
    checkPassword(this.e.params, "key-credit", password);
    if (!Number.isSafeInteger(amount) || amount <= 0)
      throw new PaymentError("INVALID_AMOUNT", `a credit must be a whole amount > 0, not ${amount}`);
    const s = this.e.session;
    if (!s?.usable || s.view.identity.keyFunction !== "sale")
      throw new PaymentError("NO_KEY", "no usable sale key is in the reader");
    // the key's credit is held by the vend until its outcome: a load now would be lost to it
    if (this.e.vend !== undefined)
      throw new PaymentError("VEND_IN_PROGRESS", "a vend is in progress; load the credit after it");
    if (amount > this.e.keyRoom)
      throw new PaymentError(
        "CREDIT_LIMIT",
        `the key can take ${this.e.keyRoom} more before the maximum loadable credit (40000) of ${this.e.params.numeric.maxLoadableCredit}`,
      );
    const counts = { [S.programmedCredit]: amount, [S.programmerCredit]: amount };
    await this.e.recharge(amount, "programmer", counts, now, []);
    this.e.show();
    return this.e.keyCredit ?? 0;
  }

  async programmerSetKey(changes: KeyChanges, now: number, password?: number): Promise<boolean> {
    checkPassword(this.e.params, "key-credit", password);
    const s = this.e.session;
    if (!s?.usable || s.view.identity.keyFunction !== "sale")
      throw new PaymentError("NO_KEY", "no usable sale key is in the reader");
    const next = changedState(s.view.state, changes);
    if (typeof next === "string") throw new PaymentError("INVALID_AMOUNT", next);
    const landed = await this.e.writeKey(next, now);
    if (landed) this.e.commit({ [S.keyWrites]: 1 }, undefined);
    return landed;
  }

  async setRechargeKeyUses(uses: number, now: number, password?: number): Promise<boolean> {
    checkPassword(this.e.params, "recharge-key-uses", password);
    if (!Number.isInteger(uses) || uses < 0 || uses > 65_535)
      throw new PaymentError("INVALID_AMOUNT", `recharge-key uses are 0..65535, not ${uses}`);
    const s = this.e.session;
    if (s === undefined || s.view.identity.keyFunction !== "recharge")
      throw new PaymentError("NO_KEY", "no recharge key is in the reader");
    // not money on its own: a torn write leaves the old or the new count, never a mix
    const landed = await this.e.writeKey({ ...s.view.state, rechargesLeft: uses }, now);
    if (landed) this.e.commit({ [S.keyWrites]: 1 }, undefined);
    return landed;
  }

  async loadSpecialKey(content: SpecialKeyContent): Promise<void> {
    const s = this.e.session;
    if (!this.e.programming || s === undefined || s.view.identity.keyFunction !== content.kind)
      throw new PaymentError(
        "NO_KEY",
        `no ${content.kind} key is in the reader with the programmer connected`,
      );
    await this.e.purses.writePayload(s.reader, s.view, encodeSpecialKey(content));
    this.e.commit({ [S.keyWrites]: 1 }, undefined);
  }
}
