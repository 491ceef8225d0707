import { bytesOf, type Machine, type Step } from "@vendkit/machine";
import { type AuditPair, AuditQueue } from "./audit-queue.js";
import {
  CommandSet,
  type CreditBlock,
  creditFromNibbles,
  EXECUTIVE,
  type ExecutiveConstants,
  ExecutiveError,
  isDataByte,
  type VmcCommand,
} from "./wire.js";

/**
 * The Executive slave (a VMC answering its payment system, or a reader answering the coin
 * changer in the RENDIRESTO mode), sans-I/O. Every command byte gets one answer byte; a VEND is
 * answered when `vendDone` says how it went (bit 7 set for a failure, F22). STATUS carries the
 * handler's flags (bits 7-5) and the number of audit pairs queued (bits 4-0, F20); the master
 * reads them with AUDIT, SEND AUDIT ADDRESS and SEND AUDIT DATA (F25). NAK (0x3F) is answered
 * with the last answer again (our reading of its name; no source gives its use). A byte it cannot
 * place (an unknown command, a data byte outside a block, a block that is not a credit block) is
 * answered with PNAK, which makes the master send again, and reported as a typed error.
 */
export interface SlaveHandler {
  /** The STATUS flags: free vend 0x80, vending inhibited 0x40, BDV variant 0x20 (0 = nothing). */
  status(now: number): number;
  /** The master's credit (or price) to show; undefined for a zero credit. */
  display(block: CreditBlock | undefined, now: number): void;
  /** Answer to CREDIT: a vend request byte, or undefined for none. */
  vendRequest(now: number): number | undefined;
  /** The master approved the vend: start it, then call `vendDone`. */
  vend(now: number): void;
}

export type SlaveEvent =
  | { readonly kind: "vend-started" }
  | { readonly kind: "error"; readonly error: ExecutiveError };

/** What the slave collects while it handles one input. */
interface SlaveOutput {
  readonly send: number[];
  readonly events: SlaveEvent[];
}

export class ExecutiveSlave implements Machine<SlaveEvent> {
  private readonly c: ExecutiveConstants;
  private block: number[] | undefined;
  private readonly audit = new AuditQueue();
  private lastAnswer: number | undefined;
  private vending = false;
  /** The last CREDIT was answered with a vend request: a VEND may follow. */
  private requested = false;
  /** The master stops getting answers (a VMC switched off, a cut cable). */
  silent = false;
  /** The VEND answer `vendDone` gave, for the next step. */
  private vendAnswer: number | undefined;

  /** The commands it answers, each declared once (`VMC_COMMANDS`, or the constants' own). */
  private readonly commands: CommandSet<VmcCommand>;

  constructor(
    private readonly handler: SlaveHandler,
    constants: ExecutiveConstants = EXECUTIVE,
  ) {
    this.c = constants;
    this.commands = new CommandSet("Executive VMC command", constants.commands);
  }

  get isVending(): boolean {
    return this.vending;
  }

  /** Audit pairs for the master to read (values 0-0xFD: 0xFE and 0xFF are taken). */
  queueAudit(...pairs: AuditPair[]): void {
    this.audit.add(...pairs);
  }

  /** Audit pairs queued and not yet read by the master. */
  get auditWaiting(): number {
    return this.audit.length;
  }

  /** The vend started by `handler.vend` has ended: the answer byte goes out at the next step. */
  vendDone(success: boolean): void {
    if (!this.vending) throw new ExecutiveError("NO_VEND", "no vend is in progress");
    this.vending = false;
    const pairs = Math.min(this.audit.length, this.c.vendBits.auditPairs);
    const answer = success ? pairs : this.c.vendBits.failed | pairs;
    this.lastAnswer = answer;
    if (!this.silent) this.vendAnswer = answer;
  }

  receive(bytes: ArrayLike<number>, now: number): Step<SlaveEvent> {
    const out: SlaveOutput = { send: [], events: [] };
    for (let i = 0; i < bytes.length; i++) {
      const answer = this.answer((bytes[i] as number) & 0xff, now, out);
      if (answer !== undefined) this.lastAnswer = answer;
      if (answer !== undefined && !this.silent) out.send.push(answer);
    }
    return this.result(out);
  }

  /** A slave has no timer: only a `vendDone` answer waits for the next step. */
  tick(_now: number): Step<SlaveEvent> {
    return this.result({ send: [], events: [] });
  }

  /** The step, with the answer `vendDone` gave (during it, or since the last one) last. */
  private result(out: SlaveOutput): Step<SlaveEvent> {
    if (this.vendAnswer !== undefined) out.send.push(this.vendAnswer);
    this.vendAnswer = undefined;
    return { send: bytesOf(out.send), events: out.events, deadline: undefined };
  }

  private refuse(out: SlaveOutput, code: "UNEXPECTED_BYTE" | "BAD_BLOCK", message: string): number {
    out.events.push({ kind: "error", error: new ExecutiveError(code, message) });
    return this.c.replies.pnak;
  }

  private answer(byte: number, now: number, out: SlaveOutput): number | undefined {
    const cmd = this.commands.nameOf(byte);
    if (this.block !== undefined) {
      if (isDataByte(byte, this.c.address)) {
        this.block.push(byte & 0x0f);
        return this.c.replies.ack;
      }
      if (cmd === "dataSync") {
        const nibbles = this.block;
        this.block = undefined;
        if (nibbles.length !== 8)
          return this.refuse(out, "BAD_BLOCK", `a credit block of ${nibbles.length} nibbles`);
        let block: CreditBlock;
        try {
          block = creditFromNibbles(nibbles);
        } catch (e) {
          return this.refuse(out, "BAD_BLOCK", e instanceof Error ? e.message : String(e));
        }
        // no credit is no display, unless the block still says "exact coins only / no change"
        this.handler.display(block.count === 0 && !block.exactOnly ? undefined : block, now);
        return this.c.replies.ack;
      }
      if (cmd === "acceptData") {
        this.block = []; // the master started over
        return this.c.replies.ack;
      }
      this.block = undefined; // a command ends a broken block; answer it below
    }
    if (this.vending) {
      // the master sends VEND again after a PNAK or silence: the vend is under way, its
      // answer comes with vendDone; anything else waits too
      return undefined;
    }
    if (cmd === "nak") return this.lastAnswer ?? this.c.replies.ok;
    this.audit.command(cmd === "sendAuditData");
    switch (cmd) {
      case "status": {
        this.requested = false; // a new cycle: a request the master did not take up is dropped
        const bits = this.c.statusBits;
        const flags = this.handler.status(now) & (bits.freeVend | bits.inhibited | bits.bdv);
        return flags | Math.min(this.audit.length, bits.auditPairs);
      }
      case "audit":
        return Math.min(this.audit.length, this.c.vendBits.auditPairs);
      case "sendAuditAddress":
        return (
          this.audit.address() ?? this.refuse(out, "UNEXPECTED_BYTE", "SEND AUDIT ADDRESS with no audit pair")
        );
      case "sendAuditData":
        return (
          this.audit.value() ?? this.refuse(out, "UNEXPECTED_BYTE", "SEND AUDIT DATA with no audit pair")
        );
      case "credit": {
        const request = this.handler.vendRequest(now);
        this.requested = request !== undefined;
        return request ?? this.c.replies.noVendRequest;
      }
      case "vend":
        if (!this.requested)
          return this.refuse(out, "UNEXPECTED_BYTE", "VEND with no vend request before it");
        this.requested = false;
        this.vending = true;
        out.events.push({ kind: "vend-started" });
        this.handler.vend(now);
        return undefined;
      case "acceptData":
        this.block = [];
        return this.c.replies.ack;
      default:
        return this.refuse(
          out,
          "UNEXPECTED_BYTE",
          `byte ${byte.toString(16)} is not a command this slave knows`,
        );
    }
  }
}
