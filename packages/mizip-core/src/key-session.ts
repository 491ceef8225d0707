import { type CardView, type ClassicReader, PurseError } from "@vendkit/mifare-purse";
import { deflateSync } from "fflate";
import { accessSettings, checkAccess } from "./access.js";
import { auditFile } from "./audit.js";
import { collectionMode } from "./audit-port.js";
import { errorCounter, S } from "./counters.js";
import { canSell, type ErrorCode, isErrorCode } from "./diagnostics.js";
import { type Engine, MDB, RECHARGE_CREDIT, type Session, sameUid } from "./engine.js";
import { euroIdentity, euroState } from "./euro.js";
import { encodeJson } from "./json-record.js";
import type { PendingWrite } from "./key-journal.js";
import type { KeyOutcome } from "./payment-types.js";
import { settlement } from "./settlement.js";
import { decodeSpecialKey, SpecialKeyRefused } from "./special-keys.js";
import { CollectionRefused } from "./statistics.js";

/**
 * A key in the reader (manual 3, 4.9-4.12, 4.16): inserted, checked, settled from its journal,
 * taken over at the EURO rate, read as a special key or as the programming key, and loaded with
 * what waits for it; removed; and the reader's power coming back.
 */
/** Manual 3.5: a recharge key taken out sooner than this only shows its remaining recharges. */
export const RECHARGE_KEY_CHECK_MS = 3_000;

export class KeySession {
  constructor(private readonly e: Engine) {}

  async insertKey(reader: ClassicReader, now: number): Promise<KeyOutcome> {
    if (this.e.session !== undefined)
      return { ok: false, reason: "KEY_ALREADY_IN", detail: "a key is already in the reader" } as const;
    if (!canSell(this.e.state))
      return {
        ok: false,
        reason: "READER_OUT_OF_SERVICE",
        detail: `reader is ${this.e.state.state}`,
      } as const;
    let view: CardView;
    const p = this.e.params.numeric;
    // manual 4.16: with EURO ON a key of the previous operator code is taken over (not while
    // the programmer is connected: the manual has it unplugged first)
    const takeOver = p.euro === 1 && !this.e.programming && p.previousOperatorCode !== p.operatorCode;
    try {
      view = await this.e.purses.read(
        reader,
        0,
        takeOver ? [p.operatorCode, p.previousOperatorCode] : undefined,
      );
    } catch (e) {
      if (!(e instanceof PurseError)) throw e;
      const err = isErrorCode(e.err) ? e.err : 1;
      this.e.countError(err, now);
      return { ok: false, reason: "UNREADABLE", err, detail: e.message } as const;
    }
    const counts: Record<string, number> = { [S.keyReads]: 1 };
    if (view.restored) counts[errorCounter(14)] = 1;
    this.e.commit(counts, undefined);

    // the key is in, not usable until accepted; a write this reader left open on it is
    // settled first, whatever the key is now
    this.e.session = { reader, view, userGroup: undefined, used: false, usable: false, insertedAt: now };
    await this.settle(now);
    const left = { ok: false, reason: "UNREADABLE", detail: "the key left during a write" } as const;
    if (this.e.session === undefined) return left;
    if ((this.e.session as Session).view.identity.operatorCode !== p.operatorCode) {
      const refused = await this.takeOverKey(now);
      if (refused !== undefined) return refused;
    }
    view = (this.e.session as Session).view;
    const id = view.identity;
    const fn = id.keyFunction;
    if (fn === "programming") return this.startTubeLoading(view);
    if (fn === "setup" || fn === "black-list" || fn === "data") {
      // with the programmer connected the key is held to be loaded (`loadSpecialKey`)
      if (this.e.programming) return { ok: true, function: fn, credit: view.state.credit } as const;
      return this.specialKey(fn, now);
    }
    const disabled = (fn === "recharge" && p.rechargeKey !== 1) || (fn === "free" && p.freeKey !== 1);
    if (disabled || (fn !== "sale" && fn !== "free" && fn !== "recharge")) {
      if (disabled) {
        this.e.countError(6, now, id.keyNumber);
        return { ok: false, reason: "REFUSED", err: 6, detail: `${fn} keys are OFF` } as const;
      }
      return { ok: false, reason: "SPECIAL_KEY", detail: `a ${fn} key is not used for sales` } as const;
    }
    const access = checkAccess(accessSettings(this.e.params, this.e.pricing), {
      technology: "mifare",
      keyNumber: id.keyNumber,
      operatorCode: id.operatorCode,
      customerCode: id.customerCode,
      departmentCode: id.departmentCode,
      level: id.priceLevel,
      credit: view.state.credit,
    });
    if (!access.ok) {
      this.e.countError(access.err as ErrorCode, now, id.keyNumber);
      this.e.show();
      return { ok: false, reason: "REFUSED", err: access.err as ErrorCode, detail: access.reason } as const;
    }
    this.e.session = {
      reader,
      view,
      userGroup: access.userGroup,
      used: false,
      usable: true,
      insertedAt: now,
    };
    // with the programmer connected the key is only read, for key management; a recharge key
    // gives its use at `tick` once it has stayed 3 s (taken out sooner, it only showed its count)
    if (!this.e.programming && fn === "sale") await this.loadWaitingCredit(now);
    this.e.show();
    if (this.e.session === undefined) return left;
    const credit = this.e.session.view.state.credit;
    return fn === "recharge"
      ? ({ ok: true, function: fn, credit, rechargesLeft: view.state.rechargesLeft } as const)
      : ({ ok: true, function: fn, credit } as const);
  }

  /**
   * Manual 3.5: a recharge key taken out within 3 seconds has only shown how many recharges it
   * holds; one that stays gives one of them.
   */
  async tick(now: number): Promise<void> {
    const s = this.e.session;
    if (s === undefined || !s.usable || s.used || this.e.programming) return;
    if (s.view.identity.keyFunction !== "recharge" || now - s.insertedAt < RECHARGE_KEY_CHECK_MS) return;
    await this.takeRechargeKeyUse(now);
    this.e.show();
  }

  removeKey(): void {
    this.e.session = undefined;
    this.e.tubeLoading = false;
    this.e.show();
  }

  powerUp(now: number): void {
    this.e.vend = undefined;
    this.e.session = undefined;
    this.e.tubeLoading = false;
    // every power-up but the first follows a power failure (CADUTE ALIMENT., S66)
    const failed = this.e.statistics.get(S.powerRestores).historic > 0 ? 1 : 0;
    this.e.commit({ [S.powerRestores]: 1, [S.powerFailures]: failed }, undefined);
    for (const { key, pending } of this.e.journal.all())
      if (pending?.kind === "sale" && pending.phase === "charged")
        this.e.commit(pending.counts, pending.entry, [[key, undefined]]);
    // manual 9 (MDB): a power cycle zeroes the cash credit as overprice
    const gone = this.e.params.numeric.protocol === MDB ? this.e.machine.takeAll() : this.e.machine.tick(now);
    if (gone > 0) this.e.commit({ [S.overprice]: gone }, undefined, [this.e.creditRecord()]);
    this.e.show();
  }

  /**
   * Manual 4.16: the key in the reader carries the previous operator code; it takes this
   * system's operator and customer codes and its money is converted at the EURO rate, all in one
   * tear-safe rewrite (a key pulled out midway reads as before and is converted next time).
   */
  async takeOverKey(now: number): Promise<KeyOutcome | undefined> {
    const s = this.e.session as Session;
    const p = this.e.params.numeric;
    const keyNumber = s.view.identity.keyNumber;
    try {
      const identity = euroIdentity(s.view.identity, p.customerCode, p);
      s.view = await this.e.purses.rekey(s.reader, s.view, identity, (state) => euroState(state, p));
    } catch (e) {
      if (!(e instanceof PurseError) && !(e instanceof RangeError)) throw e;
      this.e.session = undefined;
      if (e instanceof RangeError || !isErrorCode(e.err)) {
        // the converted amounts do not fit the key: it stays the previous operator's
        this.e.countError(2, now, keyNumber);
        return { ok: false, reason: "REFUSED", err: 2, detail: `EURO conversion: ${e.message}` };
      }
      this.e.countError(e.err, now, keyNumber);
      return { ok: false, reason: "UNREADABLE", err: e.err, detail: e.message };
    }
    this.e.commit({ [S.keyWrites]: 1 }, undefined);
    return undefined;
  }

  /**
   * A special key inserted in service. Setup key (4.10.11) and black-list key (4.12): their
   * settings, checked whole, are handed back in `carried` for the caller to keep (the payment
   * system is built on its settings). Data key (7.3.4): the statistics are collected onto it as
   * an EVA-DTS audit (40007's EVA-DTS mode; DDCMP 6.0 Plus when 40007 names one of N&W's own
   * formats: a data key collects whatever the mode) and the period data is cleared once the key
   * reads back right; with BACKUP ON (7.2) the last collection goes instead and nothing is cleared.
   * Unreadable or unusable data counts ERR 10 and changes nothing.
   */
  async specialKey(fn: "setup" | "black-list" | "data", now: number): Promise<KeyOutcome> {
    const s = this.e.session as Session;
    const keyNumber = s.view.identity.keyNumber;
    const credit = s.view.state.credit;
    try {
      if (fn !== "data") {
        const carried = decodeSpecialKey(fn, await this.e.purses.readPayload(s.reader, s.view));
        return { ok: true, function: fn, credit, carried };
      }
      if (this.e.auditIdentity === undefined)
        return {
          ok: false,
          reason: "SPECIAL_KEY",
          detail: "this reader has no audit identity for data keys",
        };
      const { backup, collection } = this.e.takeCollection(now);
      const audit = auditFile(
        collection,
        this.e.params,
        this.e.pricing,
        this.e.auditIdentity,
        collectionMode(this.e.params), // a data key collects in 40007's mode, Plus for N&W's own
        this.e.change.coinTubes,
      );
      await this.e.purses.writePayload(s.reader, s.view, deflateSync(audit));
      this.e.confirmCollection({ backup, collection });
      return { ok: true, function: fn, credit, carried: { kind: "data", backup, collection } };
    } catch (e) {
      if (e instanceof CollectionRefused) return { ok: false, reason: "REFUSED", detail: e.message };
      if (!(e instanceof PurseError) && !(e instanceof SpecialKeyRefused)) throw e;
      const err = isErrorCode(e.err) ? e.err : 10;
      this.e.countError(err, now, keyNumber);
      return { ok: false, reason: "REFUSED", err, detail: e.message };
    }
  }

  /** Manual 4.8.7: the programming key opens tube loading, refused while cash credit is in. */
  startTubeLoading(view: CardView): KeyOutcome {
    if (this.e.machine.credit > 0)
      return { ok: false, reason: "REFUSED", detail: "tube loading is refused while cash credit is in" };
    if (view.identity.operatorCode !== this.e.params.numeric.operatorCode)
      return { ok: false, reason: "REFUSED", err: 2, detail: "programming key of another operator" };
    this.e.tubeLoading = true;
    this.e.show();
    return { ok: true, function: "programming", credit: view.state.credit };
  }

  /**
   * Settles the inserted key's pending write (see key-journal.ts) from how far its transaction
   * counter moved since. One step: our write landed. None: it did not. More: the key was
   * written elsewhere too, so whether ours landed cannot be known; the customer gets the benefit
   * of the doubt and the case is counted as an unverified key write (ERR 12).
   */
  async settle(now: number): Promise<void> {
    const s = this.e.session as Session;
    const uid = s.view.uid;
    const pending = this.e.journal.get(uid);
    if (pending === undefined) return;
    if (this.e.vend?.medium === "key" && sameUid(this.e.vend.uid, uid)) return; // its vend is still open
    const drop = this.e.journal.record(uid, undefined);
    const settled = settlement(pending, s.view.state, (s.view.counter - pending.counter) >>> 0);
    if (settled.doubt) this.e.countError(12, now, s.view.identity.keyNumber);
    switch (settled.action) {
      case "count":
        return this.e.commit(settled.counts, settled.entry, [drop]);
      case "write":
        if (await this.e.writeKey(settled.state, now))
          this.e.commit({ ...settled.counts, [S.keyWrites]: 1 }, settled.entry, [drop]);
        return;
      case "recharge-key-credit":
        return this.e.commit({}, undefined, [
          drop,
          [RECHARGE_CREDIT, encodeJson(this.e.rechargeKeyCredit + settled.value)],
        ]);
    }
  }

  /** Manual 3.5: a recharge key gives one use; its value waits for the next sale key. */
  async takeRechargeKeyUse(now: number): Promise<void> {
    const s = this.e.session as Session;
    const { state, counter } = s.view;
    const value = s.view.identity.rechargeValue;
    if (state.rechargesLeft <= 0 || value <= 0) return;
    const pending: PendingWrite = { kind: "recharge-key", counter, value };
    this.e.commit({}, undefined, [this.e.journal.record(s.view.uid, pending)]);
    if (!(await this.e.writeKey({ ...state, rechargesLeft: state.rechargesLeft - 1 }, now))) return;
    this.e.commit({ [S.keyWrites]: 1 }, undefined, [
      this.e.journal.record(s.view.uid, undefined),
      [RECHARGE_CREDIT, encodeJson(this.e.rechargeKeyCredit + value)],
    ]);
    s.used = true;
  }

  /**
   * A sale key takes what waits: a recharge key's value, and cash left in the machine, each up to
   * the maximum loadable credit; what does not fit keeps waiting (on the recharge key, in the
   * machine's credit), so no money is lost.
   */
  async loadWaitingCredit(now: number): Promise<void> {
    if (this.e.vend !== undefined) return; // a cash vend is still using the machine's credit
    const waiting = this.e.rechargeKeyCredit;
    const fromRechargeKey = Math.min(waiting, this.e.keyRoom);
    if (fromRechargeKey > 0) {
      const counts = { [S.programmedCredit]: fromRechargeKey, [S.rechargeKeyCredit]: fromRechargeKey };
      const left = waiting - fromRechargeKey;
      await this.e.recharge(fromRechargeKey, "recharge-key", counts, now, [
        [RECHARGE_CREDIT, left > 0 ? encodeJson(left) : undefined],
      ]);
    }
    // cash left in the machine goes on the key, unless coins are for sales only (manual 4.6.1)
    if (
      this.e.session === undefined ||
      this.e.machine.credit === 0 ||
      this.e.params.numeric.coinValidator === 1
    )
      return;
    const cash = Math.min(this.e.machine.credit, this.e.keyRoom);
    if (cash === 0) return;
    this.e.machine.take(cash);
    await this.e.recharge(cash, "machine-credit", { [S.cashRecharges]: cash }, now, [this.e.creditRecord()]);
  }
}
