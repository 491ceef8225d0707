import { joinBytes, type Machine, type Step } from "@vendkit/machine";
import { ExecutiveMaster, type MasterEvent, type MasterOptions } from "./master.js";
import { ExecutiveSlave, type SlaveEvent, type SlaveHandler } from "./slave.js";
import { type CreditBlock, displayCredit, EXECUTIVE, type ExecutiveConstants } from "./wire.js";

/**
 * The three Executive modes of a MiZip-style reader (manual 4.3.1-4.3.3) and who counts what
 * in each (the table of 4.3.3), as data for the statistics layer.
 */
export type ExecutiveMode = "master" | "rendiresto" | "slave";

export interface StatisticsSplit {
  /** What the changer's own audit holds. */
  readonly changer: readonly string[];
  /** What the reader counts. */
  readonly reader: readonly string[];
  /** Whether a recharge key may be used. */
  readonly rechargeKey: boolean;
  /** How coins reach a key. */
  readonly coinRecharge: "reader" | "automatic-100-base-units" | "changer-dependent";
}

export const STATISTICS_SPLIT: Readonly<Record<ExecutiveMode, StatisticsSplit>> = {
  master: {
    changer: [],
    reader: ["coins and bills in", "cash sales", "key sales", "key recharges", "discounts"],
    rechargeKey: true,
    coinRecharge: "reader",
  },
  rendiresto: {
    changer: ["coins in and where they went (cash box, tubes)"],
    reader: [
      "total taken",
      "cash sales",
      "key sales",
      "key recharges",
      "discount levels",
      "loyalty",
      "promotions",
    ],
    rechargeKey: true,
    coinRecharge: "automatic-100-base-units",
  },
  slave: {
    changer: ["coins in and where they went", "cash sales", "key sales and recharges (without discounts)"],
    reader: ["key sales", "key recharges", "discount levels", "cash taken for key recharges only"],
    rechargeKey: false,
    // Coinco Global Euro and NRI G-46 automatic; Mars Cashflow 690/7000 by "Autoreval"
    coinRecharge: "changer-dependent",
  },
};

/** What the reader's payment logic decides and counts, as the bridge asks for it. */
export interface RendirestoHooks {
  /** The inserted key's credit, or undefined without a key. */
  keyCredit(): number | undefined;
  /** A key vend at `price`: true when the key was charged (the vend goes ahead). */
  keyVend(price: number): boolean;
  /** The outcome of a key vend `keyVend` allowed (refund on failure is the caller's rule). */
  keyVendResult(success: boolean): void;
  /** Changer credit moved onto the key (manual 4.3.3: in steps of 100 base units). */
  recharged(amount: number): void;
  /** A cash sale the changer paid for and the VMC delivered: the reader counts it (4.3.3). */
  cashSale(amount: number): void;
}

export interface RendirestoOptions extends MasterOptions {
  readonly baseCoin: number;
  readonly decimals: number;
  readonly constants?: ExecutiveConstants;
}

/** Units of changer credit moved onto a key per transfer (manual 4.3.3). */
export const RECHARGE_STEP_UNITS = 100;

/**
 * RENDIRESTO (manual 4.3.2): an Executive changer is master of the reader, the reader master of
 * the VMC. Toward the changer the reader answers like a VMC; toward the VMC it polls like a
 * changer. A cash vend the VMC asks for is passed to the changer (which approves it against its
 * coins) and its outcome passed back; a key vend is the reader's own; with a key in, the
 * changer's credit is moved onto the key by asking the changer for "vends" of 100 base units.
 *
 * The reader has two lines, so the bridge has two ports, each a machine of docs/machines.md:
 * `changerPort` (it answers the changer) and `vmcPort` (it polls the VMC).
 */
export class RendirestoBridge implements SlaveHandler {
  readonly vmc: ExecutiveMaster;
  readonly changerSide: ExecutiveSlave;
  private changerCredit = 0;
  /** What the changer is to be asked for at its next CREDIT poll. */
  private ask: { readonly kind: "cash"; readonly value: number } | { readonly kind: "transfer" } | undefined;
  /** What the changer's VEND is for, once asked. */
  private asked: typeof this.ask;
  private vmcVend: { readonly kind: "key" | "cash"; readonly price: number } | undefined;
  /** The line to the changer: the reader answers it as a VMC would. */
  readonly changerPort: Machine<SlaveEvent>;
  /** The line to the VMC: the reader polls it as a changer would. */
  readonly vmcPort: Machine<MasterEvent>;

  constructor(
    private readonly hooks: RendirestoHooks,
    private readonly o: RendirestoOptions,
  ) {
    const c = o.constants ?? EXECUTIVE;
    this.vmc = new ExecutiveMaster({ ...o, constants: c });
    this.changerSide = new ExecutiveSlave(this, c);
    this.changerPort = this.changerSide;
    this.vmcPort = {
      receive: (bytes, now) => {
        this.showOnVmc();
        return this.onVmc(this.vmc.receive(bytes, now), now);
      },
      tick: (now) => {
        this.showOnVmc();
        return this.onVmc(this.vmc.tick(now), now);
      },
    };
  }

  // ---- toward the changer (we are its slave) ----

  status(): number {
    // a new poll cycle: a cash request the changer did not take up was refused
    if (this.asked?.kind === "cash" && this.vmcVend?.kind === "cash") {
      this.vmcVend = undefined;
      this.vmc.deny();
    }
    this.asked = undefined;
    return 0;
  }

  display(block: CreditBlock | undefined): void {
    this.changerCredit = block === undefined ? 0 : block.count * block.baseUnit;
    this.showOnVmc();
  }

  vendRequest(): number | undefined {
    const key = this.hooks.keyCredit();
    if (
      this.ask === undefined &&
      key !== undefined &&
      this.changerCredit >= RECHARGE_STEP_UNITS * this.o.baseCoin
    )
      this.ask = { kind: "transfer" };
    const a = this.ask;
    this.ask = undefined;
    this.asked = a;
    if (a === undefined) return undefined;
    return a.kind === "transfer" ? RECHARGE_STEP_UNITS : a.value;
  }

  vend(): void {
    const a = this.asked;
    this.asked = undefined;
    if (a?.kind === "transfer" && this.hooks.keyCredit() !== undefined) {
      // the changer has taken the 100 units: they are the key's now
      this.changerSide.vendDone(true);
      this.hooks.recharged(RECHARGE_STEP_UNITS * this.o.baseCoin);
    } else if (a?.kind === "cash" && this.vmcVend?.kind === "cash") {
      this.vmc.approve(); // the changer approved: the VMC may vend
    } else {
      this.changerSide.vendDone(false);
    }
  }

  // ---- toward the VMC (we are its master) ----

  private showOnVmc(): void {
    const key = this.hooks.keyCredit();
    const amount = key ?? this.changerCredit;
    this.vmc.display(displayCredit(amount, this.o.baseCoin, this.o.decimals));
  }

  /** The VMC's step: its requests and results decided here, the decisions sent on the same step. */
  private onVmc(m: Step<MasterEvent>, now: number): Step<MasterEvent> {
    for (const e of m.events) {
      if (e.kind === "vend-request") {
        const price = e.value * this.o.baseCoin;
        if (this.hooks.keyCredit() !== undefined) {
          const ok = this.hooks.keyVend(price);
          this.vmcVend = ok ? { kind: "key", price } : undefined;
          if (ok) this.vmc.approve();
          else this.vmc.deny();
        } else {
          this.vmcVend = { kind: "cash", price };
          this.ask = { kind: "cash", value: e.value };
        }
      } else if (e.kind === "vend-result") {
        const v = this.vmcVend;
        this.vmcVend = undefined;
        if (v?.kind === "key") this.hooks.keyVendResult(e.success);
        if (v?.kind === "cash") {
          this.changerSide.vendDone(e.success);
          if (e.success) this.hooks.cashSale(v.price);
        }
      }
    }
    // decisions taken above go out on the same step
    const decided = this.vmc.tick(now);
    return {
      send: joinBytes([m.send, decided.send]),
      events: [...m.events, ...decided.events],
      deadline: decided.deadline,
    };
  }
}
