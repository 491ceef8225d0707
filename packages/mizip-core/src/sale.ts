import { lineOfSelection, quote } from "@vendkit/pricing";
import { NO_CHANGE } from "./change-payer.js";
import { localTime } from "./clock.js";
import { errorCounter, S, V } from "./counters.js";
import { canSell } from "./diagnostics.js";
import { type Engine, MDB, sameUid, type Vend } from "./engine.js";
import { toKeyState, toPurseState } from "./key-bridge.js";
import { journalKey, type PendingWrite } from "./key-journal.js";
import type { KeySession } from "./key-session.js";
import type { MaxiBoxEntry } from "./maxi-box.js";
import {
  NEGATIVE_CREDIT_FLOOR,
  PaymentError,
  type VendDecision,
  type VendRefusal,
  type VendRequest,
} from "./payment-types.js";
import { add, saleCounts, saleEntry } from "./sale-statistics.js";

/**
 * Vends (manual 3.1, 3.2, 4.2.1, 4.4.6, 4.10.5): a request priced and approved or refused, the
 * key charged before the approval, and the outcome settling the charge and the statistics.
 */
export class Sales {
  constructor(
    private readonly e: Engine,
    private readonly keys: KeySession,
  ) {}

  async vendRequest(asked: VendRequest, now: number): Promise<VendDecision> {
    const refuse = (reason: VendRefusal, detail: string): VendDecision => ({
      approved: false,
      reason,
      detail,
    });
    if (this.e.vend !== undefined) return refuse("VEND_IN_PROGRESS", "a vend is already in progress");
    if (!canSell(this.e.state)) return refuse("READER_OUT_OF_SERVICE", `reader is ${this.e.state.state}`);
    if (this.e.programming) return refuse("READER_OUT_OF_SERVICE", "the programmer is connected");
    const req = this.converted(asked);
    if (req === undefined)
      return refuse("LINE_NOT_SELLABLE", `selection ${asked.line} is no line's in the conversion table`);
    const at = localTime(now, this.e.params.clock.timeZone);
    const s = this.e.session;
    if (req.test) {
      const q = quote(this.e.pricing, {
        line: req.line,
        vmcPrice: req.price ?? 0,
        medium: { kind: "cash" },
        test: true,
        now: at,
      });
      if (!q.ok) return refuse(q.reason, q.detail);
      this.e.vend = { medium: "test" };
      return { approved: true, amount: 0, charge: q };
    }
    if (s?.usable) {
      if (s.used) return refuse("REINSERT_KEY", "single vend: take the key out and insert it again");
      const fn = s.view.identity.keyFunction;
      if (fn === "recharge") return refuse("INSUFFICIENT_FUNDS", "a recharge key does not buy");
      const bonus1 = this.e.pricing.bonus1.type;
      const q = quote(this.e.pricing, {
        line: req.line,
        vmcPrice: req.price,
        medium: {
          kind: "key",
          level: s.view.identity.priceLevel,
          technology: "mizip",
          free: fn === "free",
          state: toKeyState(s.view.state),
          minCredit: this.e.params.numeric.negativeCredit === 1 ? NEGATIVE_CREDIT_FLOOR : 0,
        },
        now: at,
      });
      if (!q.ok) return refuse(q.reason, q.detail);
      const next = toPurseState(q.key ?? toKeyState(s.view.state), s.view.state, {
        bonus1: bonus1,
        loyalty: this.e.pricing.loyalty.type,
      });
      const pending: PendingWrite = {
        kind: "sale",
        phase: "writing",
        counter: s.view.counter,
        before: s.view.state,
        charge: q.charge,
        counts: {
          ...saleCounts(this.e.pricing, q, fn === "free", s.view.identity.priceLevel, s.userGroup),
          [S.keyWrites]: 1,
        },
        entry: saleEntry(this.e.pricing, q, now, s.view.identity.keyNumber, this.e.params.clock.timeZone),
      };
      const uid = s.view.uid;
      this.e.commit({}, undefined, [this.e.journal.record(uid, pending)]);
      if (!(await this.e.writeKey(next, now))) {
        this.e.show();
        return refuse("KEY_WRITE_FAILED", "the key left while it was being charged");
      }
      this.e.commit({}, undefined, [this.e.journal.record(uid, { ...pending, phase: "charged" })]);
      this.e.vend = { medium: "key", uid, charge: q };
      this.e.show();
      return { approved: true, amount: q.charge + q.bonusCreditUsed, charge: q };
    }
    const q = quote(this.e.pricing, {
      line: req.line,
      vmcPrice: req.price,
      medium: { kind: "cash" },
      now: at,
    });
    if (!q.ok) return refuse(q.reason, q.detail);
    if (q.charge > this.e.machine.credit)
      return refuse("INSUFFICIENT_FUNDS", `credit ${this.e.machine.credit}, price ${q.charge}`);
    if (this.e.change.exactAmountOnly && q.charge !== this.e.machine.credit)
      return refuse("EXACT_CHANGE", `change is short: insert exactly ${q.charge}`);
    this.e.vend = { medium: "cash", charge: q };
    this.e.show();
    return { approved: true, amount: q.charge, charge: q };
  }

  countCashSale(asked: VendRequest, now: number): boolean {
    const req = this.converted(asked);
    if (req === undefined) return false;
    const q = quote(this.e.pricing, {
      line: req.line,
      vmcPrice: req.price,
      medium: { kind: "cash" },
      now: localTime(now, this.e.params.clock.timeZone),
    });
    if (!q.ok) return false;
    this.e.commit(
      saleCounts(this.e.pricing, q, false, "cash", undefined),
      saleEntry(this.e.pricing, q, now, undefined, this.e.params.clock.timeZone),
    );
    return true;
  }

  vendSuccess(now: number): void {
    const v = this.takeVend();
    if (v.medium === "test") {
      this.e.commit({ [errorCounter(15)]: 1 }, undefined);
    } else if (v.medium === "key") {
      const pending = this.pendingSale(v.uid);
      this.e.commit(pending.counts, { ...pending.entry, at: now }, [this.e.journal.record(v.uid, undefined)]);
      this.afterKeyVend(v.uid);
    } else {
      const q = v.charge;
      // with the reader's own changer, a single vend pays the rest back at once (4.8.3);
      // what the tubes cannot pay stays as credit, under the overprice rule
      const single = this.e.change.own !== undefined && this.e.params.numeric.saleType === 1;
      const change = single ? this.e.change.plan(this.e.machine.credit - q.charge) : NO_CHANGE;
      this.e.machine.take(change.paid);
      const overprice = this.e.machine.sell(q.charge, now);
      const counts = saleCounts(this.e.pricing, q, false, "cash", undefined);
      add(counts, S.overprice, overprice);
      add(counts, S.changePaid, change.paid);
      this.e.commit(counts, saleEntry(this.e.pricing, q, now, undefined, this.e.params.clock.timeZone), [
        this.e.creditRecord(),
      ]);
      this.e.change.give(change);
      this.e.soldSinceCash = this.e.machine.credit > 0;
    }
    this.e.show();
  }

  async vendFailure(now: number): Promise<void> {
    const v = this.takeVend();
    const refund = this.e.params.numeric.failedVendRefund === 1;
    const failed = { [errorCounter(8)]: 1 };
    if (v.medium === "test") {
      this.e.commit(failed, undefined);
    } else if (v.medium === "cash") {
      const q = v.charge;
      if (refund) this.e.commit(failed, undefined);
      else {
        const overprice = this.e.machine.sell(q.charge, now);
        const counts: Record<string, number> = { ...failed, [S.failedCashVends]: q.charge };
        add(counts, S.overprice, overprice);
        this.e.commit(
          counts,
          { ...saleEntry(this.e.pricing, q, now, undefined, this.e.params.clock.timeZone), error: 8 },
          [this.e.creditRecord()],
        );
      }
    } else {
      const pending = this.pendingSale(v.uid);
      const entry: MaxiBoxEntry = { ...pending.entry, at: now, error: 8 };
      if (!refund) {
        // refund OFF (manual 4.10.5): the charge stays on the key, and with it what the same
        // write did besides: bonus-1 credit spent or lapsed, loyalty credit given back
        const counts: Record<string, number> = {
          ...failed,
          [S.failedKeyVends]: pending.charge,
          [S.keyWrites]: 1,
        };
        for (const name of [V.bonusCreditSpent, S.loyaltyCredit, V.bonusCreditLapsed, S.bonus1CreditGiven])
          add(counts, name, pending.counts[name] ?? 0);
        this.e.commit(counts, entry, [this.e.journal.record(v.uid, undefined)]);
      } else {
        this.e.commit({ ...failed, [S.keyWrites]: 1 }, entry, [
          this.e.journal.record(v.uid, { ...pending, phase: "refund-due" }),
        ]);
        const s = this.e.session;
        if (s !== undefined && sameUid(s.view.uid, v.uid)) await this.keys.settle(now);
      }
      this.afterKeyVend(v.uid);
    }
    this.e.show();
  }

  /**
   * The approval never reached the machine (its bus turned it into a denial, e.g. above the funds
   * the session announced): nothing was sold, so a key's charge goes back whatever refund (40002)
   * says, and nothing is counted but the write that gives it back.
   */
  async vendWithdrawn(now: number): Promise<void> {
    const v = this.takeVend();
    if (v.medium === "key") {
      const pending = this.pendingSale(v.uid);
      this.e.commit({ [S.keyWrites]: 1 }, undefined, [
        this.e.journal.record(v.uid, { ...pending, phase: "refund-due" }),
      ]);
      const s = this.e.session;
      if (s !== undefined && sameUid(s.view.uid, v.uid)) await this.keys.settle(now);
    }
    this.e.show();
  }

  /**
   * The request with the price line its selection number stands for: under the conversion table
   * (manual 4.4.6: MDB with price holding, table ON) the machine's number is looked up, and
   * undefined comes back when no line has it; otherwise the request as it is.
   */
  converted(req: VendRequest): VendRequest | undefined {
    const { priceSystem, conversion } = this.e.pricing;
    const held = priceSystem === "price-holding" || priceSystem === "price-holding-display";
    if (
      conversion.mode === "off" ||
      !held ||
      this.e.params.numeric.protocol !== MDB ||
      req.line === undefined
    )
      return req;
    const line = lineOfSelection(this.e.pricing, req.line);
    return line === undefined ? undefined : { ...req, line };
  }

  takeVend(): Vend {
    const v = this.e.vend;
    if (v === undefined) throw new PaymentError("NO_VEND", "no vend is in progress");
    this.e.vend = undefined;
    return v;
  }

  pendingSale(uid: Uint8Array): Extract<PendingWrite, { kind: "sale" }> {
    const p = this.e.journal.get(uid);
    if (p?.kind !== "sale")
      throw new PaymentError("NO_VEND", `no charge is pending for key ${journalKey(uid)}`);
    return p;
  }

  afterKeyVend(uid: Uint8Array): void {
    const s = this.e.session;
    // manual 4.2.1: with the reader's own MDB changer ("Rendiresto Plus MDB") a key always sells
    // on; SINGOLA then only makes the changer pay the rest of a cash sale back
    const single = this.e.params.numeric.saleType === 1 && this.e.change.own === undefined;
    if (s !== undefined && sameUid(s.view.uid, uid) && single) s.used = true;
  }
}
