import type { Duplex } from "node:stream";
import type { CashlessEvent, CashlessPeripheral } from "@vendkit/mdb";
import { Driver, mdb9Codec } from "@vendkit/mdb/node";
import type { SystemParameters } from "@vendkit/mizip-core";
import { announcedFunds, fromBus, referenceReader, toBus } from "./cashless-reader.js";
import { DeviceSetupError } from "./device-errors.js";
import type { VmcLink } from "./vmc-link.js";

/** What the reader does for a real VMC's requests. */
export interface SerialMdbReader {
  requestVend(item: number, price: number): Promise<number | undefined>;
  endVend(success: boolean): Promise<void>;
  withdrawVend(): Promise<void>;
  /** 40111 as programmed now: a key may go below zero. */
  negativeCredit(): boolean;
  /** MDB REVALUE: the VMC's own cash onto the key; whether it took it. */
  revalue(amount: number): Promise<boolean>;
  /** The most a REVALUE may add now. */
  revalueLimit(): number;
  /** MDB CASH SALE: the VMC sold `item` from its own cash. */
  countCashSale(item: number, price: number): Promise<void>;
}

/**
 * A real MDB bus through a UART that carries the mode bit as two-byte words (`--serial-9bit`):
 * the VMC's words go to the device's `CashlessPeripheral` and its replies back. The VMC polls,
 * so a vend request can be decided asynchronously: the reader answers POLL with ACK until the
 * payment system has charged the key, then with VEND APPROVED. The customer chooses at the
 * machine, so `vend` (the simulated customer) is refused here.
 */
export class SerialMdbLink implements VmcLink {
  readonly name = "MDB cashless level 3 over a 9-bit serial link";
  readonly reader: CashlessPeripheral;
  private readonly link: Driver<CashlessEvent, Uint16Array>;
  private session = false;
  private sessionFunds = 0;
  private approved = 0;
  /** 30003: money travels in units of the base coin (the reader's scale factor). */
  private readonly scale: number;

  constructor(
    stream: Duplex,
    numeric: SystemParameters["numeric"],
    private readonly device: SerialMdbReader,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.scale = numeric.baseCoin;
    this.reader = referenceReader(numeric);
    // the one driver runs the reader on the stream: words in with the time, replies out
    this.link = new Driver(this.reader, stream, { codec: mdb9Codec() });
    this.link.on("event", (e) => void this.handle(e));
  }

  private async handle(e: CashlessEvent): Promise<void> {
    if (e.type === "vend-request") {
      const amount = await this.device.requestVend(e.item, fromBus(e.price, this.scale));
      const approved = amount !== undefined && this.reader.approveVend(toBus(amount, this.scale));
      if (amount === undefined) this.reader.denyVend();
      else if (approved) this.approved = amount;
      // above the funds the session announced: the VMC is denied, so the vend never starts
      else await this.device.withdrawVend();
      this.log(`vend ${e.item} at ${e.price}: ${approved ? `approved ${amount}` : "denied"}`);
    } else if (e.type === "vend-success" || e.type === "vend-failure") {
      if (e.type === "vend-success") this.sessionFunds -= this.approved;
      await this.device.endVend(e.type === "vend-success");
      this.log(e.type === "vend-success" ? "vend delivered" : "vend failed");
    } else if (e.type === "revalue-request") {
      // manual 10.2.1: the VMC's own cash onto the key
      const amount = fromBus(e.amount, this.scale);
      const taken = await this.device.revalue(amount);
      if (taken) {
        this.sessionFunds += amount;
        this.reader.approveRevalue(toBus(this.sessionFunds, this.scale));
      } else this.reader.denyRevalue();
      this.log(`revalue ${amount}: ${taken ? "on the key" : "refused"}`);
    } else if (e.type === "cash-sale") {
      await this.device.countCashSale(e.item, fromBus(e.price, this.scale));
      this.log(`cash sale ${e.item} at ${e.price}`);
    } else if (e.type === "session-complete") this.session = false;
  }

  show(credit: number | undefined, session: "key" | "cash" | "none"): void {
    if (session === "none" || credit === undefined) {
      if (this.session) this.reader.cancelSession();
      this.session = false;
      return;
    }
    const funds = Math.max(0, credit);
    const announced = announcedFunds(credit, session, this.scale, this.device.negativeCredit());
    this.reader.setRevalueLimit(toBus(this.device.revalueLimit(), this.scale));
    if (!this.session) {
      this.session = this.reader.beginSession(announced);
      this.sessionFunds = funds;
    } else if (announced !== "unknown" && funds !== this.sessionFunds && this.reader.updateCredit(announced))
      this.sessionFunds = funds;
  }

  vend(): Promise<number | undefined> {
    return Promise.reject(new DeviceSetupError("on a real VMC the customer chooses at the machine"));
  }
}
