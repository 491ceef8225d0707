import type { ClassicReader } from "@vendkit/mifare-purse";
import type { CoinTube } from "./audit.js";
import { CashDesk } from "./cash.js";
import type { CashAcceptance } from "./cash-acceptance.js";
import type { Tube } from "./change-rules.js";
import type { ReaderState } from "./diagnostics.js";
import { Engine } from "./engine.js";
import type { PendingWrite } from "./key-journal.js";
import { type KeyChanges, type KeyReport, keyReport } from "./key-management.js";
import { KeySession } from "./key-session.js";
import type { MaxiBox } from "./maxi-box.js";
import type { KeyOutcome, PaymentSystemOptions, VendDecision, VendRequest } from "./payment-types.js";
import { Programmer } from "./programmer.js";
import { Sales } from "./sale.js";
import type { SpecialKeyContent } from "./special-keys.js";
import type { Collection, Statistics } from "./statistics.js";

/**
 * The sale and recharge engine of a MiZip Plus-style reader (manual 3, 4.2-4.10, 7, 8), between
 * the bus (which turns VMC and peripheral messages into calls here) and the key, the pricing
 * rules and the non-volatile memory.
 *
 * Every method is async and the engine runs them one at a time in call order, so a bus can call
 * it from its message handlers without interleaving a coin into the middle of a key write.
 * Time (`now`) is wall-clock milliseconds read with UTC fields, as the reader's clock.
 *
 * Money: a key write and the reader's memory cannot change together, so every key write is
 * journalled first (see key-journal.ts). Statistics and the Maxi Box entry of a sale or
 * recharge are committed in one storage commit with the end of its journal entry.
 */
export class PaymentSystem {
  readonly statistics: Statistics;
  readonly maxiBox: MaxiBox;
  private readonly e: Engine;
  private readonly keys: KeySession;
  private readonly cashDesk: CashDesk;
  private readonly programmer: Programmer;
  private readonly sales: Sales;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(options: PaymentSystemOptions) {
    this.e = new Engine(options);
    this.statistics = this.e.statistics;
    this.maxiBox = this.e.maxiBox;
    this.keys = new KeySession(this.e);
    this.cashDesk = new CashDesk(this.e);
    this.programmer = new Programmer(this.e);
    this.sales = new Sales(this.e, this.keys);
  }

  private run<T>(now: number, f: () => Promise<T> | T): Promise<T> {
    const p = this.chain.then(() => {
      this.e.now = now;
      return f();
    });
    this.chain = p.then(
      () => undefined,
      () => undefined,
    );
    return p;
  }

  get state(): ReaderState {
    return this.e.state;
  }

  /** Cash waiting in the machine (no key). */
  get machineCredit(): number {
    return this.e.machine.credit;
  }

  /** A recharge key's value waiting for a sale key (manual 3.5). */
  get rechargeKeyCredit(): number {
    return this.e.rechargeKeyCredit;
  }

  /**
   * The coins in the reader's changer's tubes, as the audit's CA17 gives them: the safety coins
   * the changer keeps in each tube are not counted (manual 7.5: the changer's floor is not in the
   * figure). Empty without a changer or before its first tube status.
   */
  get coinTubes(): readonly CoinTube[] {
    return this.e.change.coinTubes;
  }

  /** The inserted key's credit, when a usable key is in. */
  get keyCredit(): number | undefined {
    return this.e.keyCredit;
  }

  /**
   * What the machine should show for the inserted key (manual Tab. 8.2.1): its credit plus the
   * bonus-1 credit a sale would spend first, so a VMC that checks funds does not refuse a sale
   * only the bonus covers.
   */
  get keyFunds(): number | undefined {
    return this.e.keyFunds;
  }

  /** Key writes not yet settled (keys pulled out mid-write), for the programmer and tests. */
  get pendingKeyWrites(): readonly PendingWrite[] {
    return this.e.journal.all().flatMap((j) => (j.pending === undefined ? [] : [j.pending]));
  }

  /**
   * The write still pending on the key with this UID, if any: such a key is settled at its next
   * insertion, and must not be reformatted before (manual 9.5.2).
   */
  pendingKeyWrite(uid: Uint8Array): PendingWrite | undefined {
    return this.e.journal.get(uid);
  }

  get acceptance(): CashAcceptance {
    return this.e.acceptance;
  }

  /** The VMC talks to the reader; the bus layer keeps this up to date. */
  get vmcOnline(): boolean {
    return this.e.vmcOnline;
  }

  set vmcOnline(online: boolean) {
    this.e.vmcOnline = online;
  }

  insertKey(reader: ClassicReader, now: number): Promise<KeyOutcome> {
    return this.run(now, () => this.keys.insertKey(reader, now));
  }

  removeKey(now: number): Promise<void> {
    return this.run(now, () => this.keys.removeKey());
  }

  /**
   * After power returns: a sale whose charge was on a key when the power went is counted as
   * made (the key paid for it and the VMC had the approval), never twice; other pending key
   * writes wait for their key.
   */
  powerUp(now: number): Promise<void> {
    return this.run(now, () => this.keys.powerUp(now));
  }

  /**
   * A statistics collection (manual 7): with BACKUP ON (40116, 7.2) the last confirmed one again,
   * touching nothing; otherwise the data as it stands, cleared only by `confirmCollection`.
   * Throws `CollectionRefused` (within 2 minutes of the last one; no backup yet).
   */
  takeCollection(now: number): { readonly backup: boolean; readonly collection: Collection } {
    return this.e.takeCollection(now);
  }

  /** A security read (EVA-DTS list 2): the data as it stands; nothing will be cleared. */
  securityRead(now: number): Collection {
    return this.e.securityRead(now);
  }

  /** The collector has the data: the period is cleared, unless it was a backup re-read. */
  confirmCollection(taken: { readonly backup: boolean; readonly collection: Collection }): void {
    this.e.confirmCollection(taken);
  }

  /**
   * The programmer is connected (manual 9, digest §15): refused with a key in; in MDB refused
   * while cash credit is in the machine; in Executive the cash credit is zeroed as overprice.
   */
  connectProgrammer(now: number): Promise<void> {
    return this.run(now, () => this.programmer.connectProgrammer());
  }

  disconnectProgrammer(now: number): Promise<void> {
    return this.run(now, () => this.programmer.disconnectProgrammer());
  }

  /** Loads credit on the inserted sale key from the programmer (manual 9.5.1; password 4.9.3). */
  programmerRecharge(amount: number, now: number, password?: number): Promise<number> {
    return this.run(now, () => this.programmer.programmerRecharge(amount, now, password));
  }

  /**
   * Changes the bonus tokens or loyalty points on the sale key in the reader (manual 4.14.1;
   * the password as for its credit, 4.9.3). Not money: one tear-safe write, old or new. Resolves
   * with whether the write landed.
   */
  programmerSetKey(changes: KeyChanges, now: number, password?: number): Promise<boolean> {
    return this.run(now, () => this.programmer.programmerSetKey(changes, now, password));
  }

  /** Sets the inserted recharge key's number of uses (manual 9.5.1; password 4.9.3). */
  setRechargeKeyUses(uses: number, now: number, password?: number): Promise<boolean> {
    return this.run(now, () => this.programmer.setRechargeKeyUses(uses, now, password));
  }

  /**
   * Loads the special key in the reader from the programmer: a setup key takes this system's
   * settings (`setupKeyCopy` of the parameters, and the pricing), a black-list key `content`'s
   * list. Resolves once the key reads back right; PaymentError NO_KEY without such a key.
   */
  loadSpecialKey(content: SpecialKeyContent, now: number): Promise<void> {
    return this.run(now, () => this.programmer.loadSpecialKey(content));
  }

  /** The key in the reader as the programmer reads it (manual 4.14.1), when one is read. */
  get keyReport(): KeyReport | undefined {
    return this.e.session === undefined ? undefined : keyReport(this.e.session.view, this.e.params);
  }

  /** The reader's own changer reports its tubes (MDB TUBE STATUS). */
  tubeStatus(tubes: readonly Tube[], now: number): Promise<void> {
    return this.run(now, () => this.cashDesk.tubeStatus(tubes));
  }

  /**
   * A coin the validator or changer took; `type` 1..8 feeds the per-coin counters. What went in
   * is always counted and lands somewhere: on a sale key that may take it (within the maximum
   * loadable credit, 40000), else as the machine's cash credit. Whether the acceptor should take
   * cash at all is `acceptance`, which the caller's acceptor follows.
   */
  coin(value: number, now: number, type?: number): Promise<void> {
    return this.run(now, () => this.cashDesk.cash("coins", value, now, type));
  }

  /** A bill the acceptor stacked; `type` 1..4 feeds the per-bill counters. */
  bill(value: number, now: number, type?: number): Promise<void> {
    return this.run(now, () => this.cashDesk.cash("bills", value, now, type));
  }

  /**
   * The escrow lever or return button: cash credit goes back as change — with the reader's own
   * changer, only what its tubes can pay up to the max change, and before any sale only with
   * the escrow lever ON (4.8.3, 4.8.4). Returns what was paid.
   */
  returnCredit(now: number): Promise<number> {
    return this.run(now, () => this.cashDesk.returnCredit(now));
  }

  /** The clock moved on: overprice deadlines (4.10.6), a recharge key's 3 seconds (3.5). */
  tick(now: number): Promise<void> {
    return this.run(now, async () => {
      this.cashDesk.tick(now);
      await this.keys.tick(now);
    });
  }

  vendRequest(asked: VendRequest, now: number): Promise<VendDecision> {
    return this.run(now, () => this.sales.vendRequest(asked, now));
  }

  /**
   * MDB REVALUE (manual 10.2.1): the VMC's own coins and bills onto the inserted sale key, as a
   * recharge from the machine's credit (RICARICHE CONT., S72; the cash is in the VMC's changer,
   * not the reader's). Resolves with whether the key took it: refused with no usable sale key, a
   * vend open, the programmer connected, the reader out of service, or above the maximum loadable
   * credit (40000, `revalueLimit`).
   */
  revalue(amount: number, now: number): Promise<boolean> {
    return this.run(now, () => this.cashDesk.revalue(amount, now));
  }

  /**
   * A coin of MDB coin type `type` (1-16) the reader's own changer took (manual 4.8), sent to the
   * cash box or the tubes: credited like `coin`, and counted per type and route for the audit's
   * CA11 and CA3 (7.5 list 1).
   */
  changerCoin(value: number, now: number, type: number, route: "cashbox" | "tubes"): Promise<void> {
    return this.run(now, () => this.cashDesk.changerCoin(value, now, type, route));
  }

  /**
   * Coins paid out of the tubes by hand at the reader's changer (its own buttons): counted for
   * the audit's CA4 (S122, table 7.5 list 1); the tubes report the rest.
   */
  manualDispense(value: number, now: number): Promise<void> {
    return this.run(now, () => this.cashDesk.manualDispense(value));
  }

  /** The most a REVALUE may add now (MDB REVALUE LIMIT REQUEST): room up to 40000 on a sale key, else 0. */
  get revalueLimit(): number {
    return this.cashDesk.revalueLimit;
  }

  /**
   * A cash sale paid with someone else's cash: in RENDIRESTO an Executive changer holds the
   * coins and approves the vend, and the reader counts the sale (manual 4.3.3); on MDB the VMC
   * reports the sales it made from its own cash (CASH SALE). No credit moves
   * here; the sale is priced like any cash sale and counted with its line and Maxi Box entry.
   */
  countCashSale(asked: VendRequest, now: number): Promise<boolean> {
    return this.run(now, () => this.sales.countCashSale(asked, now));
  }

  /** The VMC reports the product delivered. */
  vendSuccess(now: number): Promise<void> {
    return this.run(now, () => this.sales.vendSuccess(now));
  }

  /** The VMC reports the vend failed (manual 4.10.5: refunded when failed-vend refund is ON). */
  vendFailure(now: number): Promise<void> {
    return this.run(now, () => this.sales.vendFailure(now));
  }

  /** The bus could not pass the approval on: the vend never started (a key's charge goes back). */
  vendWithdrawn(now: number): Promise<void> {
    return this.run(now, () => this.sales.vendWithdrawn(now));
  }
}
