import type { CashlessEvent, CashlessPeripheral } from "@vendkit/mdb";
import { VmcSimulator } from "@vendkit/mdb";
import type { SystemParameters } from "@vendkit/mizip-core";
import { announcedFunds, fromBus, referenceReader, toBus } from "./cashless-reader.js";
import type { VmcLink } from "./vmc-link.js";

/** MDB: the device is a level-3 cashless reader at 0x10 in front of a simulated VMC. */
export class MdbLink implements VmcLink {
  readonly name = "MDB cashless level 3";
  readonly reader: CashlessPeripheral;
  readonly vmc: VmcSimulator;
  private readonly events: CashlessEvent[] = [];
  private session: "key" | "cash" | "none" = "none";
  /** The funds the VMC's session holds: what was announced, less the vends it approved. */
  private sessionFunds = 0;
  /** 30003: money travels in units of the base coin (the reader's scale factor). */
  private readonly scale: number;

  constructor(
    numeric: SystemParameters["numeric"],
    /** 40111 as programmed now (it takes effect at once, unlike the reader's SETUP settings). */
    private readonly negativeCredit: () => boolean,
  ) {
    this.scale = numeric.baseCoin;
    this.reader = referenceReader(numeric);
    this.vmc = new VmcSimulator(
      {
        receiveWord: (w, now) => {
          const r = this.reader.receiveWord(w, now);
          this.events.push(...r.events);
          return r;
        },
      },
      { vmcLevel: 3 },
    );
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
    const announced = announcedFunds(credit, session, this.scale, this.negativeCredit());
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
