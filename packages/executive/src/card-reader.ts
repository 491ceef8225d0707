import { bytesOf, type Machine, NO_BYTES, type Step } from "@vendkit/machine";
import { type AuditPair, AuditQueue } from "./audit-queue.js";
import {
  ADDRESSES,
  CommandSet,
  type CreditBlock,
  commandByte,
  creditFromNibbles,
  creditNibbles,
  dataByte,
  ExecutiveError,
  isDataByte,
} from "./wire.js";

/**
 * The card reader as an Executive peripheral (address 011) that a coin changer polls: the
 * EXECUTIVE SLAVE mode of a MiZip-style reader (manual 4.3.3, kit 10.1.5).
 *
 * Documented (shared/spec/executive-facts.md F18, F19, F45): the address 011, so commands
 * 0x71-0x7F and data nibbles 0x60-0x6F, and the command names: 0x71 STATUS, 0x72 READ CARD,
 * 0x73 SEND DATA, 0x74 ACCEPT DATA, 0x75 DECREMENT, 0x76 REINSTATE, 0x77 RETURN CARD, 0x78 DATA
 * SYNC, 0x79 AUDIT, 0x7A SEND AUDIT ADDRESS, 0x7B SEND AUDIT DATA, 0x7C IDENTIFY, 0x7D ACCEPT
 * DISPLAY, 0x7F NAK.
 *
 * NOT documented anywhere public: every payload and reply code. `CARD_READER` holds our
 * assumption, all of it UNVERIFIED and overridable with `cardReaderLayout({...})`:
 * - STATUS: bit 7 a card is in, bits 4-0 audit pairs waiting (as the VMC's STATUS);
 * - READ CARD: `ok` when a card is in and its credit was read (and held for this sale), else
 *   `refused`;
 * - SEND DATA: one nibble of the card's credit block per SEND DATA, as a data byte at the reader's
 *   address, least significant first, 8 in all (the ACCEPT DATA block's layout, F24);
 * - ACCEPT DATA + 8 nibbles + DATA SYNC: the amount of the next DECREMENT, as a credit block;
 * - DECREMENT: `ok` when the card was charged, `refused` when it could not be;
 * - REINSTATE: the vend failed, the card keeps its credit, `ok`;
 * - RETURN CARD: the sale is over, the card is released, `ok`;
 * - AUDIT / SEND AUDIT ADDRESS / SEND AUDIT DATA: as the VMC's (F25); NAK: the last answer again;
 * - IDENTIFY and ACCEPT DISPLAY: PNAK (no layout is known).
 * The sale order is READ CARD → the changer shows the credit to the VMC → VEND → DECREMENT (or
 * REINSTATE when the vend failed) → RETURN CARD once the card is out: the plain reading of the
 * names (F45), tested only against our own changer simulator.
 */
export const CARD_READER_COMMAND_CODES = {
  status: 1,
  readCard: 2,
  sendData: 3,
  acceptData: 4,
  decrement: 5,
  reinstate: 6,
  returnCard: 7,
  dataSync: 8,
  audit: 9,
  sendAuditAddress: 10,
  sendAuditData: 11,
  identify: 12,
  acceptDisplay: 13,
  nak: 15,
} as const;
export type CardReaderCommand = keyof typeof CARD_READER_COMMAND_CODES;

export interface CardReaderLayout {
  readonly address: number;
  readonly commands: Readonly<Record<CardReaderCommand, number>>;
  /** UNVERIFIED: STATUS bit for "a card is in". */
  readonly cardPresent: number;
  /** STATUS bits counting audit pairs waiting (as the VMC's, F20). */
  readonly auditPairs: number;
  /** UNVERIFIED: answer to a command done. */
  readonly ok: number;
  /** UNVERIFIED: answer to READ CARD or DECREMENT that could not be done. */
  readonly refused: number;
  /** Answer to a data nibble or DATA SYNC [medium-high for the VMC, F26; assumed the same]. */
  readonly ack: number;
  /** Transmission error: the master sends that byte again (F26). */
  readonly pnak: number;
}

export const CARD_READER: CardReaderLayout = {
  address: ADDRESSES.cardReader,
  commands: Object.fromEntries(
    Object.entries(CARD_READER_COMMAND_CODES).map(([name, code]) => [
      name,
      commandByte(ADDRESSES.cardReader, code),
    ]),
  ) as Record<CardReaderCommand, number>,
  cardPresent: 0x80,
  auditPairs: 0x1f,
  ok: 0x00,
  refused: 0x80,
  ack: 0x00,
  pnak: 0xff,
};

/** `CARD_READER` with some values replaced. */
export function cardReaderLayout(
  over: Partial<Omit<CardReaderLayout, "commands">> & { commands?: Partial<CardReaderLayout["commands"]> },
): CardReaderLayout {
  return { ...CARD_READER, ...over, commands: { ...CARD_READER.commands, ...over.commands } };
}

/** What the reader's payment logic does for the peripheral. */
export interface CardReaderHandler {
  /** Whether a card (key) is in. */
  cardPresent(now: number): boolean;
  /** The card's credit, read and held for a sale; undefined when there is none to read. */
  readCard(now: number): CreditBlock | undefined;
  /** The vend went through: charge the card `amount` (money). False when it could not be. */
  decrement(amount: number, now: number): boolean;
  /** The vend failed: the card keeps its credit. */
  reinstate(now: number): void;
  /** The sale is over and the card released. */
  returnCard(now: number): void;
}

export type CardReaderEvent =
  | { readonly kind: "card-read"; readonly credit: CreditBlock }
  | { readonly kind: "decremented"; readonly amount: number; readonly ok: boolean }
  | { readonly kind: "reinstated" }
  | { readonly kind: "card-returned" }
  | { readonly kind: "error"; readonly error: ExecutiveError };

/** What the reader collects while it handles one input. */
interface CardReaderOutput {
  readonly send: number[];
  readonly events: CardReaderEvent[];
}

/** The reader's side: answers the changer's bytes addressed to 011, one answer per byte. */
export class CardReaderPeripheral implements Machine<CardReaderEvent> {
  private credit: number[] | undefined;
  private sent = 0;
  private block: number[] | undefined;
  private amount: number | undefined;
  private readonly audit = new AuditQueue();
  private lastAnswer: number | undefined;

  /** The commands it answers, each declared once (`CARD_READER`'s, or the layout's own). */
  private readonly commands: CommandSet<CardReaderCommand>;

  constructor(
    private readonly handler: CardReaderHandler,
    private readonly l: CardReaderLayout = CARD_READER,
  ) {
    this.commands = new CommandSet("Executive card reader command", l.commands);
  }

  /** Audit pairs for the changer to read (each byte 0..253). */
  queueAudit(...pairs: AuditPair[]): void {
    this.audit.add(...pairs);
  }

  receive(bytes: ArrayLike<number>, now: number): Step<CardReaderEvent> {
    const out: CardReaderOutput = { send: [], events: [] };
    for (let i = 0; i < bytes.length; i++) {
      const answer = this.answer((bytes[i] as number) & 0xff, now, out);
      this.lastAnswer = answer;
      out.send.push(answer);
    }
    return { send: bytesOf(out.send), events: out.events, deadline: undefined };
  }

  /** The reader only answers: time changes nothing. */
  tick(_now: number): Step<CardReaderEvent> {
    return { send: NO_BYTES, events: [], deadline: undefined };
  }

  private refuse(out: CardReaderOutput, message: string): number {
    out.events.push({ kind: "error", error: new ExecutiveError("UNEXPECTED_BYTE", message) });
    return this.l.pnak;
  }

  private answer(byte: number, now: number, out: CardReaderOutput): number {
    const cmd = this.commands.nameOf(byte);
    if (this.block !== undefined) {
      if (isDataByte(byte, this.l.address)) {
        this.block.push(byte & 0x0f);
        return this.l.ack;
      }
      if (cmd === "dataSync") {
        const nibbles = this.block;
        this.block = undefined;
        try {
          const b = creditFromNibbles(nibbles);
          this.amount = b.count * b.baseUnit;
        } catch (e) {
          out.events.push({ kind: "error", error: e as ExecutiveError });
          return this.l.pnak;
        }
        return this.l.ack;
      }
      this.block = undefined; // a command ends a broken block
    }
    if (cmd === "nak") return this.lastAnswer ?? this.l.ok;
    this.audit.command(cmd === "sendAuditData");
    switch (cmd) {
      case "status":
        return (
          (this.handler.cardPresent(now) ? this.l.cardPresent : 0) |
          Math.min(this.audit.length, this.l.auditPairs)
        );
      case "readCard": {
        const credit = this.handler.readCard(now);
        if (credit === undefined) {
          this.credit = undefined;
          return this.l.refused;
        }
        this.credit = creditNibbles(credit);
        this.sent = 0;
        out.events.push({ kind: "card-read", credit });
        return this.l.ok;
      }
      case "sendData": {
        if (this.credit === undefined) return this.refuse(out, "SEND DATA with no card read");
        const nibble = this.credit[this.sent % 8] as number;
        this.sent++;
        return dataByte(nibble, this.l.address);
      }
      case "acceptData":
        this.block = [];
        return this.l.ack;
      case "decrement": {
        if (this.amount === undefined) return this.refuse(out, "DECREMENT with no amount sent before it");
        const amount = this.amount;
        this.amount = undefined;
        const ok = this.handler.decrement(amount, now);
        out.events.push({ kind: "decremented", amount, ok });
        return ok ? this.l.ok : this.l.refused;
      }
      case "reinstate":
        this.amount = undefined;
        this.handler.reinstate(now);
        out.events.push({ kind: "reinstated" });
        return this.l.ok;
      case "returnCard":
        this.credit = undefined;
        this.handler.returnCard(now);
        out.events.push({ kind: "card-returned" });
        return this.l.ok;
      case "audit":
        return Math.min(this.audit.length, 0x7f);
      case "sendAuditAddress":
        return this.audit.address() ?? this.refuse(out, "SEND AUDIT ADDRESS with no audit pair");
      case "sendAuditData":
        return this.audit.value() ?? this.refuse(out, "SEND AUDIT DATA with no audit pair");
      default:
        return this.refuse(out, `byte ${byte.toString(16)} is not a command this card reader answers`);
    }
  }
}
