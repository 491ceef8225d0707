import {
  type CreditBlock,
  creditFromNibbles,
  EXECUTIVE,
  type ExecutiveConstants,
  ExecutiveError,
  isDataByte,
} from "./wire.js";

/**
 * The Executive slave (a VMC answering its payment system, or a reader answering the coin
 * changer in the RENDIRESTO and EXECUTIVE SLAVE modes), sans-I/O. Every command byte gets one
 * answer byte; a VEND is answered when `vendDone` says how it went. A byte it cannot place (an
 * unknown command, a data byte outside a block, a block that is not a credit block) is answered
 * with PNAK, which makes the master send again, and reported as a typed error.
 */
export interface SlaveHandler {
  /** The STATUS answer (0 = nothing to report). */
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

export interface SlaveOutput {
  readonly send: number[];
  readonly events: SlaveEvent[];
}

export class ExecutiveSlave {
  private readonly c: ExecutiveConstants;
  private block: number[] | undefined;
  private vending = false;
  /** The last CREDIT was answered with a vend request: a VEND may follow. */
  private requested = false;
  /** The master stops getting answers (a VMC switched off, a cut cable). */
  silent = false;

  constructor(
    private readonly handler: SlaveHandler,
    constants: ExecutiveConstants = EXECUTIVE,
  ) {
    this.c = constants;
  }

  get isVending(): boolean {
    return this.vending;
  }

  /** The vend started by `handler.vend` has ended: the answer byte goes out now. */
  vendDone(success: boolean): SlaveOutput {
    if (!this.vending) throw new ExecutiveError("NO_VEND", "no vend is in progress");
    this.vending = false;
    return { send: this.silent ? [] : [success ? this.c.replies.ok : 0x01], events: [] };
  }

  step(byte: number, now: number): SlaveOutput {
    const out: SlaveOutput = { send: [], events: [] };
    const answer = this.answer(byte & 0xff, now, out);
    if (answer !== undefined && !this.silent) out.send.push(answer);
    return out;
  }

  private refuse(out: SlaveOutput, code: "UNEXPECTED_BYTE" | "BAD_BLOCK", message: string): number {
    out.events.push({ kind: "error", error: new ExecutiveError(code, message) });
    return this.c.replies.pnak;
  }

  private answer(byte: number, now: number, out: SlaveOutput): number | undefined {
    const k = this.c.commands;
    if (this.block !== undefined) {
      if (isDataByte(byte)) {
        this.block.push(byte & 0x0f);
        return this.c.replies.ack;
      }
      if (byte === k.blockEnd) {
        const nibbles = this.block;
        this.block = undefined;
        if (nibbles.length !== 8)
          return this.refuse(out, "BAD_BLOCK", `a credit block of ${nibbles.length} nibbles`);
        const block = creditFromNibbles(nibbles);
        // no credit is no display, unless the block still says "exact coins only / no change"
        this.handler.display(block.count === 0 && !block.exactOnly ? undefined : block, now);
        return this.c.replies.ack;
      }
      if (byte === k.blockStart) {
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
    switch (byte) {
      case k.status:
        this.requested = false; // a new cycle: a request the master did not take up is dropped
        return this.handler.status(now) & 0xff;
      case k.credit: {
        const request = this.handler.vendRequest(now);
        this.requested = request !== undefined;
        return request ?? this.c.replies.noVendRequest;
      }
      case k.vend:
        if (!this.requested)
          return this.refuse(out, "UNEXPECTED_BYTE", "VEND with no vend request before it");
        this.requested = false;
        this.vending = true;
        out.events.push({ kind: "vend-started" });
        this.handler.vend(now);
        return undefined;
      case k.blockStart:
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
