import { bytesOf, earliest, type Machine, type Step, Wiring } from "@vendkit/machine";
import { CARD_READER, type CardReaderCommand, type CardReaderLayout } from "./card-reader.js";
import { ExecutiveMaster, type MasterEvent } from "./master.js";
import {
  CommandSet,
  creditBlock,
  creditFromNibbles,
  creditNibbles,
  displayCredit,
  EXECUTIVE,
  type ExecutiveConstants,
  encodeBlock,
} from "./wire.js";

/** A byte for the card reader and what to do with its answer (undefined: silence after the retries). */
interface CardExchange {
  readonly byte: number;
  readonly onAnswer: (answer: number | undefined) => void;
}

export type SlaveModeEvent =
  | MasterEvent
  | { readonly kind: "card"; readonly credit: number | undefined }
  | {
      readonly kind: "sale";
      readonly medium: "cash" | "card";
      readonly price: number;
      readonly success: boolean;
    }
  | { readonly kind: "decrement-refused"; readonly price: number }
  | { readonly kind: "card-audit-pair"; readonly address: number; readonly value: number }
  | { readonly kind: "card-reader-lost" };

/**
 * EXECUTIVE SLAVE (manual 4.3.3, kit 10.1.5) from the changer's side, for tests and the
 * reference device: an Executive coin changer that is master of both the VMC (address 001, with
 * an `ExecutiveMaster`) and the card reader (address 011, `CardReaderPeripheral`) on one loop.
 * Bytes to the reader go only between the VMC's poll cycles, one at a time.
 *
 * Coins make the changer's cash credit. A card is read (READ CARD, then eight SEND DATA for its
 * credit), and its credit is shown to the VMC instead of the cash. A vend request is approved
 * against the card when one is read and covers the price, else against the cash. After the vend:
 * on the card, ACCEPT DATA with the price then DECREMENT when it succeeded, REINSTATE when it
 * failed, and the card read again; in cash, the price is taken. A card gone from STATUS gets
 * RETURN CARD. The card reader's payloads are our assumption (see `card-reader.ts`); this changer
 * is the only counterpart they are tested against.
 *
 * Its two peers are two ports, each a machine of docs/machines.md: `vmcPort` and `cardPort`.
 * Either port's step runs the changer; what it has for the other port goes out at that port's
 * next step, and its events come out of whichever port steps first.
 */
export class SlaveModeChanger {
  readonly vmc: ExecutiveMaster;
  cash = 0;
  /** The card's credit as last read, or undefined with no card read. */
  card: number | undefined;
  private readonly c: ExecutiveConstants;
  private readonly l: CardReaderLayout;
  /** The card reader's commands, each declared once. */
  private readonly cardCommands: CommandSet<CardReaderCommand>;
  private readonly queue: CardExchange[] = [];
  private inFlight: { x: CardExchange; deadline: number; tries: number } | undefined;
  private reading = false;
  private nextCardPoll = 0;
  private vend: { medium: "cash" | "card"; price: number } | undefined;
  private readonly events: SlaveModeEvent[] = [];
  private readonly pending = { vmc: [] as number[], card: [] as number[] };
  private vmcDeadline: number | undefined;
  /** The line to the VMC (address 001). */
  readonly vmcPort: Machine<SlaveModeEvent>;
  /** The line to the card reader (address 011). */
  readonly cardPort: Machine<SlaveModeEvent>;

  constructor(
    private readonly o: {
      readonly baseCoin: number;
      readonly decimals: number;
      readonly constants?: ExecutiveConstants;
      readonly layout?: CardReaderLayout;
    },
  ) {
    this.c = o.constants ?? EXECUTIVE;
    this.l = o.layout ?? CARD_READER;
    this.cardCommands = new CommandSet("Executive card reader command", this.l.commands);
    this.vmc = new ExecutiveMaster({ constants: this.c });
    this.show();
    const port = (side: "vmc" | "card"): Machine<SlaveModeEvent> => ({
      receive: (bytes, now) => {
        for (let i = 0; i < bytes.length; i++) this.step({ from: side, byte: bytes[i] as number }, now);
        return this.drain(side);
      },
      tick: (now) => {
        this.step({ from: "clock" }, now);
        return this.drain(side);
      },
    });
    this.vmcPort = port("vmc");
    this.cardPort = port("card");
  }

  private drain(side: "vmc" | "card"): Step<SlaveModeEvent> {
    const send = bytesOf(this.pending[side].splice(0));
    // while a card exchange waits, the VMC's next cycle waits with it: only the card's answer
    // time can move the changer on (the VMC's due time would repeat until then)
    const deadline =
      this.inFlight !== undefined
        ? this.inFlight.deadline
        : earliest(this.vmc.idle ? this.nextCardPoll : undefined, this.vmcDeadline);
    return { send, events: this.events.splice(0), deadline };
  }

  insert(coin: number): void {
    this.cash += coin;
    this.show();
  }

  /** What the VMC shows: the card's credit when one is read, else the cash. */
  private show(): void {
    const amount = this.card ?? this.cash;
    this.vmc.display(displayCredit(amount, this.o.baseCoin, this.o.decimals));
  }

  /** A byte from the VMC, a byte from the card reader, or the clock. */
  private step(
    input: { readonly from: "vmc" | "card"; readonly byte: number } | { readonly from: "clock" },
    now: number,
  ): void {
    const out = { toVmc: this.pending.vmc, toCard: this.pending.card };
    if (input.from === "vmc") this.onVmc(this.vmc.receive([input.byte], now), now, out);
    if (input.from === "card" && this.inFlight !== undefined) {
      const x = this.inFlight.x;
      this.inFlight = undefined;
      if (input.byte === this.l.pnak) this.queue.unshift(x);
      else x.onAnswer(input.byte);
    }
    if (this.inFlight !== undefined && now >= this.inFlight.deadline) {
      const f = this.inFlight;
      this.inFlight = undefined;
      if (f.tries < this.c.retries) {
        this.inFlight = { x: f.x, deadline: now + this.c.answerMs, tries: f.tries + 1 };
        out.toCard.push(f.x.byte);
      } else {
        this.lostReader(now);
        f.x.onAnswer(undefined);
      }
    }
    if (
      this.inFlight === undefined &&
      !this.toCard(now, out) &&
      (this.queue.length === 0 || !this.vmc.idle)
    ) {
      this.onVmc(this.vmc.tick(now), now, out);
      // a VMC cycle that ended on this step gives the card line its turn on it too
      if (this.inFlight === undefined) this.toCard(now, out);
    }
  }

  /** Between VMC cycles, the card reader's next command (a STATUS poll when due); true if one went. */
  private toCard(now: number, out: { readonly toCard: number[] }): boolean {
    if (!this.vmc.idle) return false;
    if (this.queue.length === 0 && now >= this.nextCardPoll) {
      this.nextCardPoll = now + this.c.pollMs;
      this.queue.push({ byte: this.cardCommands.byteOf("status"), onAnswer: (a) => this.onCardStatus(a) });
    }
    const x = this.queue.shift();
    if (x === undefined) return false;
    this.inFlight = { x, deadline: now + this.c.answerMs, tries: 1 };
    out.toCard.push(x.byte);
    return true;
  }

  private lostReader(now: number): void {
    this.queue.length = 0;
    this.reading = false;
    if (this.card !== undefined) {
      this.card = undefined;
      this.show();
    }
    this.nextCardPoll = now + this.c.pollMs;
    this.events.push({ kind: "card-reader-lost" });
  }

  private ask(byte: number, onAnswer: (answer: number) => void): void {
    this.queue.push({ byte, onAnswer: (a) => (a === undefined ? undefined : onAnswer(a)) });
  }

  private onCardStatus(answer: number | undefined): void {
    if (answer === undefined) return;
    const present = (answer & this.l.cardPresent) !== 0;
    if (present && this.card === undefined && !this.reading) this.readCard();
    else if (!present && this.card !== undefined && this.vend === undefined) {
      this.card = undefined;
      this.ask(this.cardCommands.byteOf("returnCard"), () => {});
      this.events.push({ kind: "card", credit: undefined });
      this.show();
    }
    const pairs = answer & this.l.auditPairs;
    if (pairs > 0) this.ask(this.cardCommands.byteOf("audit"), (n) => this.readCardAudit(n));
  }

  private readCardAudit(left: number): void {
    if (left <= 0) return;
    this.ask(this.cardCommands.byteOf("sendAuditAddress"), (address) =>
      this.ask(this.cardCommands.byteOf("sendAuditData"), (value) => {
        this.events.push({ kind: "card-audit-pair", address, value });
        this.readCardAudit(left - 1);
      }),
    );
  }

  private readCard(): void {
    this.reading = true;
    this.ask(this.cardCommands.byteOf("readCard"), (answer) => {
      if (answer !== this.l.ok) {
        this.reading = false;
        return;
      }
      const nibbles: number[] = [];
      for (let i = 0; i < 8; i++)
        this.ask(this.cardCommands.byteOf("sendData"), (b) => {
          nibbles.push(b & 0x0f);
          if (nibbles.length < 8) return;
          this.reading = false;
          try {
            const block = creditFromNibbles(nibbles);
            this.card = block.count * block.baseUnit;
          } catch {
            this.card = undefined;
          }
          this.events.push({ kind: "card", credit: this.card });
          this.show();
        });
    });
  }

  private onVmc(o: Step<MasterEvent>, now: number, out: { toVmc: number[] }): void {
    out.toVmc.push(...o.send);
    this.vmcDeadline = o.deadline;
    this.events.push(...o.events);
    for (const e of o.events) {
      if (e.kind === "vend-request") {
        const price = e.value * this.o.baseCoin;
        const medium =
          this.card !== undefined && this.card >= price ? "card" : this.cash >= price ? "cash" : undefined;
        if (medium === undefined) this.vmc.deny();
        else {
          this.vend = { medium, price };
          this.vmc.approve();
        }
        const decided = this.vmc.tick(now);
        out.toVmc.push(...decided.send);
        this.vmcDeadline = decided.deadline;
      } else if (e.kind === "vend-result" && this.vend !== undefined) {
        const { medium, price } = this.vend;
        this.vend = undefined;
        this.events.push({ kind: "sale", medium, price, success: e.success });
        if (medium === "cash") {
          if (e.success) this.cash -= price;
          this.show();
        } else if (e.success) this.decrement(price);
        else this.ask(this.cardCommands.byteOf("reinstate"), () => this.readCard());
      }
    }
  }

  /** ACCEPT DATA with the price, then DECREMENT; the card is read again afterwards. */
  private decrement(price: number): void {
    const block = encodeBlock(creditNibbles(creditBlock(price, this.o.baseCoin, this.o.decimals)), {
      ...this.c,
      address: this.l.address,
      commands: {
        ...this.c.commands,
        acceptData: this.cardCommands.byteOf("acceptData"),
        dataSync: this.cardCommands.byteOf("dataSync"),
      },
    });
    for (const b of block) this.ask(b, () => {});
    this.ask(this.cardCommands.byteOf("decrement"), (answer) => {
      if (answer !== this.l.ok) this.events.push({ kind: "decrement-refused", price });
      this.card = undefined;
      this.readCard();
    });
  }
}

/**
 * The changer, the VMC and the card reader in memory, one step a millisecond (a `Wiring` of the
 * changer's two ports with their peers). Returns every event the changer saw.
 */
export class SlaveModeBus {
  private readonly wiring: Wiring;
  private readonly seen: SlaveModeEvent[] = [];

  constructor(
    readonly changer: SlaveModeChanger,
    readonly vmc: Machine<unknown>,
    readonly reader: Machine<unknown>,
  ) {
    const collect = (events: readonly SlaveModeEvent[]) => this.seen.push(...events);
    this.wiring = new Wiring([
      [changer.vmcPort, vmc],
      [changer.cardPort, reader],
    ])
      .on(changer.vmcPort, collect)
      .on(changer.cardPort, collect);
  }

  run(
    from: number,
    ms: number,
    until: (events: readonly SlaveModeEvent[]) => boolean = () => false,
  ): SlaveModeEvent[] {
    this.seen.length = 0;
    this.wiring.run(from, ms, { until: () => until(this.seen) });
    return [...this.seen];
  }
}
