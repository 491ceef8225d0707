import type { CashlessEvent, CashlessPeripheral } from "@vendkit/mdb";
import { VmcSimulator } from "@vendkit/mdb";
import type { SystemParameters } from "@vendkit/mizip-core";
import { announcedFunds, fromBus, referenceReader, toBus } from "./cashless-reader.js";
import type { VmcLink } from "./vmc-link.js";

/** MDB: the device is a level-3 cashless reader at 0x10 in front of a simulated VMC. */
export class MdbLink implements VmcLink {
  readonly name = "MDB cashless level 3";
  readonly reader: CashlessPeripheral;
  readonly vmc: VmcSimulator<CashlessEvent>;
  private readonly events: CashlessEvent[] = [];
  private session: "key" | "cash" | "none" = "none";
  /** The funds the VMC's session holds: what was announced, less the vends it approved. */
  private sessionFunds = 0;
  /** 30003: money travels in units of the base coin (the reader's scale factor). */
  private readonly scale: number;

  constructor(
    numeric: SystemParameters["numeric"],
    private readonly now: {
      /** 40111 as programmed now (it takes effect at once, unlike the reader's SETUP settings). */
      readonly negativeCredit: () => boolean;
      /** The most a REVALUE may add now (money). */
      readonly revalueLimit: () => number;
    },
  ) {
    this.scale = numeric.baseCoin;
    this.reader = referenceReader(numeric);
    this.vmc = new VmcSimulator(this.reader, { vmcLevel: 3, onEvent: (e) => this.events.push(e) });
    this.vmc.initialise();
  }

  private endSession(): void {
    if (this.reader.cancelSession()) {
      this.vmc.pollFor(["session-cancel-request"]);
      this.vmc.endSession();
    }
  }

  show(credit: number | undefined, session: "key" | "cash" | "none"): void {
    if (session === "none" || credit === undefined) {
      this.endSession();
      this.session = "none";
      return;
    }
    const funds = Math.max(0, credit);
    const announced = announcedFunds(credit, session, this.scale, this.now.negativeCredit());
    // answered to REVALUE LIMIT REQUEST (manual 10.2.1: the VMC's own cash onto the key)
    this.reader.setRevalueLimit(toBus(this.now.revalueLimit(), this.scale));
    if (this.session === "none") {
      this.reader.beginSession(announced);
      this.vmc.pollFor(["begin-session"]);
      this.sessionFunds = funds;
    } else if (
      announced !== "unknown" &&
      funds !== this.sessionFunds &&
      this.reader.updateCredit(announced)
    ) {
      // only when the credit moved other than by the vends the VMC already took off
      this.sessionFunds = funds;
      this.vmc.pollFor(["session-cancel-request"]);
      this.vmc.endSession();
      this.vmc.pollFor(["begin-session"]);
    }
    this.session = session;
  }

  /**
   * The VMC's own coins or bills, `amount` of them, with a key in: it asks the reader's revalue
   * limit, then REVALUE; `revalue` asks the payment system. Resolves with whether the key took
   * them (otherwise the VMC keeps them as its own cash credit).
   */
  async vmcCash(amount: number, revalue: (amount: number) => Promise<boolean>): Promise<boolean> {
    if (this.session !== "key") return false;
    // REVALUE LIMIT REQUEST is answered at once, not at a POLL
    const asked = this.vmc.send({ type: "revalue-limit-request" });
    const limit =
      asked.kind === "responses" ? asked.responses.find((r) => r.type === "revalue-limit") : undefined;
    if (limit?.type !== "revalue-limit" || toBus(amount, this.scale) > limit.amount) return false;
    this.events.length = 0;
    this.vmc.send({ type: "revalue-request", amount: toBus(amount, this.scale) });
    const request = this.events.find((e) => e.type === "revalue-request");
    if (request?.type !== "revalue-request") return false;
    const taken = await revalue(fromBus(request.amount, this.scale));
    if (taken) {
      this.sessionFunds += fromBus(request.amount, this.scale);
      this.reader.approveRevalue(toBus(this.sessionFunds, this.scale));
    } else this.reader.denyRevalue();
    return this.vmc.pollFor(["revalue-approved", "revalue-denied"])?.type === "revalue-approved";
  }

  /** The VMC sold `item` at `price` from its own cash and tells the reader (CASH SALE, level 3). */
  async vmcCashSale(
    item: number,
    price: number,
    count: (item: number, price: number) => Promise<void>,
  ): Promise<void> {
    this.events.length = 0;
    this.vmc.send({ type: "cash-sale", price: toBus(price, this.scale), item });
    for (const e of this.events)
      if (e.type === "cash-sale") await count(e.item, fromBus(e.price, this.scale));
  }

  async vend(
    item: number,
    price: number,
    decide: (price: number) => Promise<number | undefined>,
    ended: (success: boolean) => Promise<void>,
    withdrawn: () => Promise<void>,
  ): Promise<number | undefined> {
    this.events.length = 0;
    // the simulated VMC holds its prices in money; on the bus they go in units of the scale factor
    this.vmc.send({ type: "vend-request", price: toBus(price, this.scale), item });
    const request = this.events.find((e) => e.type === "vend-request");
    if (request?.type !== "vend-request") return undefined;
    const amount = await decide(fromBus(request.price, this.scale));
    if (amount === undefined) this.reader.denyVend();
    else if (!this.reader.approveVend(toBus(amount, this.scale))) {
      // above the funds the session announced (UPDATE CREDIT off, say): the VMC is denied
      await withdrawn();
      return undefined;
    }
    const answer = this.vmc.pollFor(["vend-approved", "vend-denied"]);
    if (answer?.type !== "vend-approved" || amount === undefined) return undefined;
    this.vmc.send({ type: "vend-success", item });
    this.sessionFunds -= amount;
    await ended(true);
    return amount;
  }
}
