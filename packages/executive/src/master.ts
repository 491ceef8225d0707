import { bytesOf, type Machine, type Step } from "@vendkit/machine";
import {
  CommandSet,
  type CreditBlock,
  creditNibbles,
  EXECUTIVE,
  type ExecutiveConstants,
  ExecutiveError,
  encodeBlock,
  type VmcCommand,
} from "./wire.js";

/**
 * The Executive master (a payment system driving a VMC, or a coin changer driving the reader),
 * sans-I/O, a machine in the shape of docs/machines.md: `receive(bytes, now)` and `tick(now)`
 * return the bytes to send, the events and the next deadline; nothing here sets a timeout.
 *
 * A poll cycle: STATUS; the audit pairs the VMC reports waiting (AUDIT, then SEND AUDIT ADDRESS
 * and SEND AUDIT DATA for each pair, F25); the ACCEPT DATA block when the credit shown has
 * changed (each byte answered on its own); CREDIT, whose answer is "no vend request" or a vend
 * request byte (the price in base steps, or the price line under price holding, at most
 * `maxPriceCode`). A vend request waits for `approve` or `deny`; VEND then waits up to 60 s (or
 * the vend-delay time) with polling suspended for the result: success when bit 7 is clear, the
 * other bits counting audit pairs waiting. A PNAK or silence sends the same byte again; after
 * `retries` the slave is reported offline and polling goes on until it answers again.
 */
export type MasterEvent =
  | {
      readonly kind: "status";
      readonly byte: number;
      readonly freeVend: boolean;
      readonly inhibited: boolean;
      /** The VMC is a BDV 001 variant (bit 5). */
      readonly bdv: boolean;
      readonly auditPairs: number;
    }
  /** One audit pair the VMC handed over (F25): no meaning is given to it here. */
  | { readonly kind: "audit-pair"; readonly address: number; readonly value: number }
  | { readonly kind: "display-shown"; readonly block: CreditBlock | undefined }
  | { readonly kind: "vend-request"; readonly value: number }
  | {
      readonly kind: "vend-result";
      readonly success: boolean;
      readonly timedOut: boolean;
      /** Audit pairs the VMC reported waiting in its answer (bits 6-0). */
      readonly auditPairs?: number;
    }
  | { readonly kind: "offline" }
  | { readonly kind: "online" }
  | { readonly kind: "error"; readonly error: ExecutiveError };

/** What the master collects while it handles one input. */
interface MasterOutput {
  readonly send: number[];
  readonly events: MasterEvent[];
}

type Waiting =
  | { readonly what: "status" }
  | {
      readonly what: "block";
      readonly bytes: Uint8Array;
      readonly index: number;
      readonly block: CreditBlock | undefined;
    }
  | { readonly what: "credit" }
  | { readonly what: "vend" }
  /** Reading audit pairs; `after` is where the cycle goes on afterwards. */
  | { readonly what: "audit"; readonly after: AfterAudit }
  | { readonly what: "audit-address"; readonly left: number; readonly after: AfterAudit }
  | {
      readonly what: "audit-data";
      readonly left: number;
      readonly address: number;
      readonly after: AfterAudit;
    };

type AfterAudit = "display" | "end";

type Phase =
  | { readonly name: "between"; readonly next: number }
  | {
      readonly name: "waiting";
      readonly w: Waiting;
      readonly byte: number;
      readonly deadline: number;
      readonly tries: number;
    }
  | { readonly name: "decision"; readonly value: number }
  /** A slowed link: the byte goes out at `at`. */
  | {
      readonly name: "pause";
      readonly at: number;
      readonly w: Waiting;
      readonly byte: number;
      readonly tries: number;
    };

export interface MasterOptions {
  readonly constants?: ExecutiveConstants;
  /** Manual 4.3.8: the VMC may answer a vend after more than 60 s. */
  readonly vendDelay?: boolean;
  /**
   * Manual 4.3.9 RITARDO DISPLAY (30007): slows the credit's way to the VMC — each byte of the
   * ACCEPT DATA block waits this long (ms) before it goes. For old machines; the manual gives no
   * figure: 0 is off.
   */
  readonly displayDelayMs?: number;
  /**
   * Manual 4.3.10 RITARDO COMUNICAZIONE (30008): slows all communication with the VMC — every
   * byte waits this long (ms), and the pause between poll cycles grows by it. 0 is off.
   */
  readonly communicationDelayMs?: number;
}

export class ExecutiveMaster implements Machine<MasterEvent> {
  private readonly c: ExecutiveConstants;
  private readonly vendMs: number;
  private phase: Phase = { name: "between", next: 0 };
  /** What the slave should show; `shown` is what it last acknowledged. */
  private wanted: CreditBlock | undefined;
  private shown: CreditBlock | undefined;
  private shownOnce = false;
  private decision: "approve" | "deny" | undefined;
  private online = true;

  /** The commands it sends, each declared once (`VMC_COMMANDS`, or the constants' own). */
  private readonly commands: CommandSet<VmcCommand>;

  constructor(private readonly o: MasterOptions = {}) {
    const options = o;
    this.c = options.constants ?? EXECUTIVE;
    this.commands = new CommandSet("Executive VMC command", this.c.commands);
    this.vendMs = options.vendDelay ? this.c.vendDelayMs : this.c.vendMs;
  }

  /** The credit (or, for price holding display, the price) the slave should show; undefined: none. */
  display(block: CreditBlock | undefined): void {
    if (block !== undefined) creditNibbles(block); // checks the ranges now, not mid-cycle
    this.wanted = block;
  }

  /** Answers the pending vend request. Throws NO_VEND when there is none. */
  approve(): void {
    this.decide("approve");
  }

  deny(): void {
    this.decide("deny");
  }

  private decide(d: "approve" | "deny"): void {
    if (this.phase.name !== "decision") throw new ExecutiveError("NO_VEND", "no vend request is waiting");
    this.decision = d;
  }

  get isOnline(): boolean {
    return this.online;
  }

  /** True between poll cycles. */
  get idle(): boolean {
    return this.phase.name === "between";
  }

  /** A vend request waits for a decision, or a VEND for its result. */
  get vending(): boolean {
    const p = this.phase;
    return p.name === "decision" || (p.name === "waiting" && p.w.what === "vend");
  }

  receive(bytes: ArrayLike<number>, now: number): Step<MasterEvent> {
    const out: MasterOutput = { send: [], events: [] };
    for (let i = 0; i < bytes.length; i++) {
      this.onByte((bytes[i] as number) & 0xff, now, out);
      this.onTime(now, out);
    }
    return this.result(out);
  }

  tick(now: number): Step<MasterEvent> {
    const out: MasterOutput = { send: [], events: [] };
    this.onTime(now, out);
    return this.result(out);
  }

  private result(out: MasterOutput): Step<MasterEvent> {
    return { send: bytesOf(out.send), events: out.events, deadline: this.deadline() };
  }

  /** When the phase's timer runs out; a vend request waits for `approve`/`deny`, not for time. */
  private deadline(): number | undefined {
    const p = this.phase;
    switch (p.name) {
      case "between":
        return p.next;
      case "waiting":
        return p.deadline;
      case "pause":
        return p.at;
      case "decision":
        return undefined;
    }
  }

  private sendByte(byte: number, w: Waiting, now: number, out: MasterOutput, tries = 1): void {
    const pause =
      (this.o.communicationDelayMs ?? 0) + (w.what === "block" ? (this.o.displayDelayMs ?? 0) : 0);
    if (pause > 0) {
      this.phase = { name: "pause", at: now + pause, w, byte, tries };
      return;
    }
    this.transmit(byte, w, now, out, tries);
  }

  private transmit(byte: number, w: Waiting, now: number, out: MasterOutput, tries: number): void {
    const wait = w.what === "vend" ? this.vendMs : this.c.answerMs;
    this.phase = { name: "waiting", w, byte, deadline: now + wait, tries };
    out.send.push(byte);
  }

  private endCycle(now: number): void {
    this.phase = { name: "between", next: now + this.c.pollMs + (this.o.communicationDelayMs ?? 0) };
  }

  private onTime(now: number, out: MasterOutput): void {
    const p = this.phase;
    if (p.name === "pause" && now >= p.at) {
      this.transmit(p.byte, p.w, now, out, p.tries);
    } else if (p.name === "between" && now >= p.next) {
      this.sendByte(this.commands.byteOf("status"), { what: "status" }, now, out);
    } else if (p.name === "decision" && this.decision !== undefined) {
      const d = this.decision;
      this.decision = undefined;
      if (d === "approve") this.sendByte(this.commands.byteOf("vend"), { what: "vend" }, now, out);
      else this.endCycle(now);
    } else if (p.name === "waiting" && now >= p.deadline) {
      if (p.w.what === "vend") {
        // the VMC never said: the product is taken as not delivered, the caller refunds
        out.events.push({ kind: "vend-result", success: false, timedOut: true });
        out.events.push({ kind: "error", error: new ExecutiveError("TIMEOUT", "no vend result in time") });
        this.endCycle(now);
      } else this.retry(p, now, out);
    }
  }

  private retry(p: Extract<Phase, { name: "waiting" }>, now: number, out: MasterOutput): void {
    if (p.tries < this.c.retries) {
      this.sendByte(p.byte, p.w, now, out, p.tries + 1);
      return;
    }
    if (this.online) {
      this.online = false;
      out.events.push({ kind: "offline" });
      out.events.push({
        kind: "error",
        error: new ExecutiveError("TIMEOUT", `no answer to ${p.byte.toString(16)} after ${p.tries} tries`),
      });
    }
    this.shownOnce = false; // show the credit again once it is back
    this.endCycle(now);
  }

  private onByte(byte: number, now: number, out: MasterOutput): void {
    const p = this.phase;
    if (p.name !== "waiting") {
      out.events.push({
        kind: "error",
        error: new ExecutiveError("UNEXPECTED_BYTE", `byte ${byte.toString(16)} while no answer was due`),
      });
      return;
    }
    // a PNAK means the byte was not understood, so sending it again (VEND too) is safe
    if (byte === this.c.replies.pnak) {
      this.retry(p, now, out);
      return;
    }
    if (!this.online) {
      this.online = true;
      out.events.push({ kind: "online" });
    }
    switch (p.w.what) {
      case "status": {
        const bits = this.c.statusBits;
        const auditPairs = byte & bits.auditPairs;
        out.events.push({
          kind: "status",
          byte,
          freeVend: (byte & bits.freeVend) !== 0,
          inhibited: (byte & bits.inhibited) !== 0,
          bdv: (byte & bits.bdv) !== 0,
          auditPairs,
        });
        if (auditPairs > 0)
          this.sendByte(this.commands.byteOf("audit"), { what: "audit", after: "display" }, now, out);
        else this.afterStatus(now, out);
        return;
      }
      case "audit":
        this.nextAuditPair(byte, p.w.after, now, out);
        return;
      case "audit-address":
        this.sendByte(
          this.commands.byteOf("sendAuditData"),
          { what: "audit-data", left: p.w.left, address: byte, after: p.w.after },
          now,
          out,
        );
        return;
      case "audit-data":
        out.events.push({ kind: "audit-pair", address: p.w.address, value: byte });
        this.nextAuditPair(p.w.left - 1, p.w.after, now, out);
        return;
      case "block": {
        const next = p.w.index + 1;
        if (next < p.w.bytes.length) {
          const b = p.w.bytes[next] as number;
          this.sendByte(b, { ...p.w, index: next }, now, out);
          return;
        }
        this.shown = p.w.block;
        this.shownOnce = true;
        out.events.push({ kind: "display-shown", block: p.w.block });
        this.sendByte(this.commands.byteOf("credit"), { what: "credit" }, now, out);
        return;
      }
      case "credit":
        if (byte === this.c.replies.noVendRequest) {
          this.endCycle(now);
          return;
        }
        if (byte > this.c.maxPriceCode) {
          out.events.push({
            kind: "error",
            error: new ExecutiveError(
              "OUT_OF_RANGE",
              `vend request code ${byte.toString(16)} is above the highest price code ${this.c.maxPriceCode.toString(16)}`,
            ),
          });
          this.endCycle(now);
          return;
        }
        this.phase = { name: "decision", value: byte };
        out.events.push({ kind: "vend-request", value: byte });
        return;
      case "vend": {
        // bit 7 set: the vend failed; bits 6-0: audit pairs waiting, in a success too (F22)
        const auditPairs = byte & this.c.vendBits.auditPairs;
        out.events.push({
          kind: "vend-result",
          success: (byte & this.c.vendBits.failed) === 0,
          timedOut: false,
          auditPairs,
        });
        if (auditPairs > 0)
          this.sendByte(this.commands.byteOf("audit"), { what: "audit", after: "end" }, now, out);
        else this.endCycle(now);
        return;
      }
    }
  }

  /** `left` pairs still to read: the next SEND AUDIT ADDRESS, or on with the cycle. */
  private nextAuditPair(left: number, after: AfterAudit, now: number, out: MasterOutput): void {
    if (left > 0)
      this.sendByte(
        this.commands.byteOf("sendAuditAddress"),
        { what: "audit-address", left, after },
        now,
        out,
      );
    else if (after === "display") this.afterStatus(now, out);
    else this.endCycle(now);
  }

  private afterStatus(now: number, out: MasterOutput): void {
    const same = this.shownOnce && JSON.stringify(this.shown ?? null) === JSON.stringify(this.wanted ?? null);
    if (same) {
      this.sendByte(this.commands.byteOf("credit"), { what: "credit" }, now, out);
      return;
    }
    // "nothing to show" is a zero credit block
    const block = this.wanted;
    const bytes = encodeBlock(
      creditNibbles(block ?? { count: 0, baseUnit: 1, decimals: 0, exactOnly: false }),
      this.c,
    );
    this.sendByte(bytes[0] as number, { what: "block", bytes, index: 0, block }, now, out);
  }
}
