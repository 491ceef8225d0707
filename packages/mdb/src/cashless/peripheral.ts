import type { Machine, Step } from "@vendkit/machine";
import { addressOf, commandOf, DEFAULT_TIMING, MAX_BLOCK, type MdbTiming } from "../link.js";
import { PeripheralPort } from "../peripheral-port.js";
import { type CashlessCommand, commandLength, decodeCommand } from "./commands.js";
import { type CashlessContext, OPTIONS } from "./context.js";
import { type CashlessResponse, encodeResponse } from "./responses.js";

export type CashlessState =
  | "inactive"
  | "disabled"
  | "enabled"
  | "session-idle"
  | "vend"
  | "revalue"
  | "negative-vend";

/** The status byte of COMMAND OUT OF SEQUENCE at level 2/3 (§7.4.4). */
const STATUS: Record<CashlessState, number> = {
  inactive: 1,
  disabled: 2,
  enabled: 3,
  "session-idle": 4,
  vend: 5,
  revalue: 6,
  "negative-vend": 7,
};

export interface ReaderIdentity {
  readonly manufacturer: string;
  readonly serial: string;
  readonly model: string;
  /** Software version, 4 BCD digits as a number (0x0102 = 1.02). */
  readonly version: number;
  /** The highest level the reader speaks (1..3). */
  readonly level: 1 | 2 | 3;
  /** Country/currency code, 4 BCD digits (0x1978 = EUR). */
  readonly currency: number;
  readonly scale: number;
  readonly decimals: number;
  /** Seconds: the longest the VMC must wait for an answer (reader config Z7). */
  readonly maxResponseTime: number;
  /** Reader config option bits: b0 refund, b1 multivend, b2 own display, b3 cash sale. */
  readonly configOptions: number;
  /** L3 optional features the reader offers (see OPTIONS). */
  readonly features: number;
}

/** MiZip's MDB customisations (manual 4.2). */
export interface Customisations {
  /** For VMCs that do not RESET after OUT OF SEQUENCE: the reader returns to Enabled itself. */
  readonly outOfSequence: boolean;
  /** For VMCs that do not ACK REVALUE APPROVED: it counts as delivered when sent. */
  readonly revalueNoAck: boolean;
  /** Re-announce a changed credit with the key still in (cancel, end, begin again). */
  readonly updateCredit: boolean;
}

export interface CashlessOptions {
  /** 0x10 (cashless #1) or 0x60 (cashless #2). */
  readonly address: 0x10 | 0x60;
  readonly identity: ReaderIdentity;
  readonly customisations?: Partial<Customisations>;
  readonly timing?: MdbTiming;
}

/** What the reader tells the payment core. */
export type CashlessEvent =
  | { readonly type: "reset"; readonly vendInterrupted: boolean }
  | { readonly type: "setup"; readonly vmcLevel: number; readonly columns: number; readonly rows: number }
  | { readonly type: "prices"; readonly max: number; readonly min: number }
  | { readonly type: "enabled" }
  | { readonly type: "disabled" }
  | { readonly type: "vend-request"; readonly price: number; readonly item: number }
  | { readonly type: "negative-vend"; readonly price: number; readonly item: number }
  | { readonly type: "vend-cancelled" }
  | { readonly type: "vend-success"; readonly item: number | undefined; readonly amount: number }
  | { readonly type: "vend-failure"; readonly amount: number }
  | { readonly type: "session-complete" }
  | { readonly type: "cash-sale"; readonly price: number; readonly item: number }
  | { readonly type: "revalue-request"; readonly amount: number }
  | { readonly type: "reader-cancel" }
  | { readonly type: "data-entry"; readonly data: readonly number[] }
  | { readonly type: "time-date"; readonly bcd: readonly number[] }
  | { readonly type: "options-enabled"; readonly options: number }
  | { readonly type: "vmc-id"; readonly manufacturer: string; readonly model: string }
  | {
      readonly type: "out-of-sequence";
      readonly command: CashlessCommand["type"];
      readonly state: CashlessState;
    }
  | { readonly type: "bad-command"; readonly detail: string };

/** The answer to one block: the bytes to send (none = ACK) and what happened. */
export interface Answer {
  readonly reply: Uint8Array;
  readonly events: readonly CashlessEvent[];
}

const NO_BYTES = new Uint8Array(0);
const NO_EVENTS: readonly CashlessEvent[] = [];
const IDLE: Answer = { reply: NO_BYTES, events: NO_EVENTS };
const UNKNOWN_FUNDS_16 = 0xffff;
const UNKNOWN_FUNDS_32 = 0xffffffff;

/**
 * A cashless device on the MDB bus (MDB/ICP 4.3 §7), levels 1-3, as a sans-I/O machine
 * (docs/machines.md): the VMC's 9-bit words in (`receive`, `tick`), the reply words and events
 * for the payment core out; `handleBlock` is the block level beneath it. The core answers
 * `beginSession`, `approveVend`, `denyVend`, `approveRevalue`,
 * `denyRevalue`, `cancelSession`, `updateCredit`. Responses that wait for a POLL are queued and
 * resent until the VMC ACKs them.
 */
export class CashlessPeripheral implements Machine<CashlessEvent, Uint16Array> {
  state: CashlessState = "inactive";
  ctx: CashlessContext = { level: 1, expanded: false };
  private queue: CashlessResponse[] = [{ type: "just-reset" }];
  private inFlight: CashlessResponse[] = [];
  private funds = 0;
  private approved: number | undefined;
  private pendingVend: { price: number; item: number } | undefined;
  private disableAfterSession = false;
  private nextFunds: number | undefined;
  private revalueLimit = 0;
  private alwaysIdle = false;
  private readonly custom: Customisations;
  private readonly port: PeripheralPort<CashlessEvent>;

  constructor(private readonly options: CashlessOptions) {
    this.custom = {
      outOfSequence: false,
      revalueNoAck: false,
      updateCredit: false,
      ...options.customisations,
    };
    this.port = new PeripheralPort<CashlessEvent>(
      {
        accepts: (b) => addressOf(b) === options.address,
        length: (bytes) => commandLength(bytes, this.ctx),
        answer: (block) => this.handleBlock(block),
        acked: () => this.handleAck(),
        refused: (detail) => ({ type: "bad-command", detail }),
      },
      options.timing ?? DEFAULT_TIMING,
    );
  }

  // ---- the payment core's side ----------------------------------------------------------

  /**
   * A key came in with `funds` available: announce a session (Enabled state only). "unknown"
   * (FFFF, §7.4.4) when the reader cannot say what the session may spend, e.g. a key that may go
   * below zero: then it approves any vend it decides to.
   */
  beginSession(
    funds: number | "unknown",
    details: { mediaId?: number; paymentType?: number; paymentData?: number } = {},
  ): boolean {
    if (this.state !== "enabled") return false;
    const unknown = this.ctx.expanded ? UNKNOWN_FUNDS_32 : UNKNOWN_FUNDS_16;
    this.funds = funds === "unknown" ? unknown : funds;
    this.queue.push({
      type: "begin-session",
      funds: funds === "unknown" ? unknown : this.capFunds(funds),
      ...details,
    });
    this.state = "session-idle";
    return true;
  }

  /** Approve the pending vend for `amount` (never above the session's funds). */
  approveVend(amount: number): boolean {
    if (
      (this.state !== "vend" && this.state !== "negative-vend") ||
      this.pendingVend === undefined ||
      this.approved !== undefined
    )
      return false;
    if (this.state === "vend" && !this.fundsUnknown() && amount > this.funds) {
      this.denyVend();
      return false;
    }
    this.approved = amount;
    this.queue.push({ type: "vend-approved", amount });
    return true;
  }

  denyVend(): boolean {
    if ((this.state !== "vend" && this.state !== "negative-vend") || this.approved !== undefined)
      return false;
    this.queue.push({ type: "vend-denied" });
    this.pendingVend = undefined;
    this.state = "session-idle";
    return true;
  }

  approveRevalue(newFunds: number): boolean {
    if (this.state !== "revalue") return false;
    this.funds = newFunds;
    this.queue.push({ type: "revalue-approved" });
    this.state = "session-idle";
    return true;
  }

  denyRevalue(): boolean {
    if (this.state !== "revalue") return false;
    this.queue.push({ type: "revalue-denied" });
    this.state = "session-idle";
    return true;
  }

  /** The most a revalue may add now (answered to REVALUE LIMIT REQUEST). */
  setRevalueLimit(amount: number): void {
    this.revalueLimit = amount;
  }

  /** The key was taken out: ask the VMC to end the session. */
  cancelSession(): boolean {
    if (this.state !== "session-idle") return false;
    this.queue.push({ type: "session-cancel-request" });
    return true;
  }

  /** Customisation UPDATE CREDIT: show a changed credit with the key still in. */
  updateCredit(funds: number): boolean {
    if (!this.custom.updateCredit || this.state !== "session-idle") return false;
    this.nextFunds = funds;
    this.queue.push({ type: "session-cancel-request" });
    return true;
  }

  /** L3 data entry (option b4): ask the VMC for keypad input (`spec`: length and repeat). */
  requestDataEntry(spec: number): boolean {
    if (this.ctx.level < 3 || !(this.state === "enabled" || this.state === "session-idle")) return false;
    this.queue.push({ type: "data-entry-request", spec });
    return true;
  }

  cancelDataEntry(): void {
    this.queue.push({ type: "data-entry-cancel" });
  }

  /** A reader fault for the VMC (MALFUNCTION/ERROR code). */
  malfunction(code: number): void {
    this.queue.push({ type: "malfunction", code });
  }

  // ---- the bus side -----------------------------------------------------------------------

  /** The VMC's words in; the reply words out, with the events for the payment core. */
  receive(words: ArrayLike<number>, now: number): Step<CashlessEvent, Uint16Array> {
    return this.port.receive(words, now);
  }

  /** Time: a block whose length could not be known ends after `interByte` of silence. */
  tick(now: number): Step<CashlessEvent, Uint16Array> {
    return this.port.tick(now);
  }

  /** The VMC ACKed our last response. */
  handleAck(): void {
    if (this.inFlight.length > 0) this.inFlight = [];
  }

  /** Handles one command block (address byte first, CHK already checked and removed). */
  handleBlock(bytes: Uint8Array): Answer {
    // The idle POLL (nothing queued, nothing unacknowledged) allocates nothing.
    if (
      bytes.length === 1 &&
      commandOf(bytes[0] as number) === 2 &&
      this.queue.length === 0 &&
      this.inFlight.length === 0
    ) {
      return IDLE;
    }
    // A response the VMC did not ACK goes out again at the next POLL (§2.2).
    if (this.inFlight.length > 0) {
      this.queue.unshift(...this.inFlight);
      this.handleAck();
    }
    const decoded = decodeCommand(bytes, this.ctx);
    if (!decoded.ok)
      return {
        reply: NO_BYTES,
        events: [{ type: "bad-command", detail: `${decoded.code}: ${decoded.detail}` }],
      };
    const events: CashlessEvent[] = [];
    const reply = this.apply(decoded.command, events);
    return { reply, events };
  }

  private apply(c: CashlessCommand, events: CashlessEvent[]): Uint8Array {
    const none = NO_BYTES;
    const outOfSequence = () => {
      events.push({ type: "out-of-sequence", command: c.type, state: this.state });
      this.queue.push(
        this.ctx.level >= 2
          ? { type: "out-of-sequence", status: STATUS[this.state] }
          : { type: "out-of-sequence" },
      );
      if (this.custom.outOfSequence && this.state !== "inactive") {
        this.state = "enabled";
        this.pendingVend = undefined;
        this.approved = undefined;
      }
      return none;
    };
    const inSession =
      this.state === "session-idle" ||
      this.state === "vend" ||
      this.state === "revalue" ||
      this.state === "negative-vend";
    switch (c.type) {
      case "reset": {
        // A RESET between VEND APPROVED and VEND SUCCESS counts as a successful vend (§7.3).
        const interrupted = this.state === "vend" && this.approved !== undefined;
        if (interrupted)
          events.push({ type: "vend-success", item: undefined, amount: this.approved as number });
        events.push({ type: "reset", vendInterrupted: interrupted });
        this.state = "inactive";
        this.ctx = { level: 1, expanded: false };
        this.queue = [{ type: "just-reset" }];
        this.pendingVend = undefined;
        this.approved = undefined;
        this.disableAfterSession = false;
        this.nextFunds = undefined;
        this.alwaysIdle = false;
        return none;
      }
      case "poll":
        return this.pollReply();
      case "setup-config": {
        if (this.state !== "inactive" && this.state !== "disabled") return outOfSequence();
        const id = this.options.identity;
        const level = Math.max(1, Math.min(id.level, c.vmcLevel)) as 1 | 2 | 3;
        this.ctx = { level, expanded: false };
        this.state = "disabled";
        events.push({ type: "setup", vmcLevel: c.vmcLevel, columns: c.columns, rows: c.rows });
        return Uint8Array.from(
          encodeResponse(
            {
              type: "reader-config",
              level: id.level,
              currency: id.currency,
              scale: id.scale,
              decimals: id.decimals,
              maxResponseTime: id.maxResponseTime,
              options: id.configOptions,
            },
            this.ctx,
          ),
        );
      }
      case "setup-prices":
        if (this.state === "inactive") return outOfSequence();
        events.push({ type: "prices", max: c.max, min: c.min });
        return none;
      case "request-id": {
        if (this.state === "inactive") return outOfSequence();
        events.push({ type: "vmc-id", manufacturer: c.manufacturer, model: c.model });
        const id = this.options.identity;
        return Uint8Array.from(
          encodeResponse(
            {
              type: "peripheral-id",
              manufacturer: id.manufacturer,
              serial: id.serial,
              model: id.model,
              version: id.version,
              options: id.features,
            },
            this.ctx,
          ),
        );
      }
      case "enable-options": {
        if (this.ctx.level < 3 || this.state === "inactive") return outOfSequence();
        const enabled = c.options & this.options.identity.features;
        this.ctx = { ...this.ctx, expanded: (enabled & (OPTIONS.money32 | OPTIONS.multiCurrency)) !== 0 };
        this.alwaysIdle = (enabled & OPTIONS.alwaysIdle) !== 0;
        events.push({ type: "options-enabled", options: enabled });
        return none;
      }
      case "write-time-date":
        events.push({ type: "time-date", bcd: c.bcd });
        return none;
      case "diagnostics":
        return none;
      case "reader-enable":
        if (this.state === "inactive") return outOfSequence();
        this.disableAfterSession = false;
        if (this.state === "disabled") {
          this.state = "enabled";
          events.push({ type: "enabled" });
        }
        return none;
      case "reader-disable":
        if (this.state === "inactive") return outOfSequence();
        // READER DISABLE does not abort a running transaction (§7.3).
        if (inSession) this.disableAfterSession = true;
        else if (this.state === "enabled") {
          this.state = "disabled";
          events.push({ type: "disabled" });
        }
        return none;
      case "data-entry-response":
        if (this.ctx.level < 3) return outOfSequence();
        events.push({ type: "data-entry", data: c.data });
        return none;
      case "reader-cancel":
        if (this.state === "inactive") return outOfSequence();
        events.push({ type: "reader-cancel" });
        this.queue.push({ type: "cancelled" });
        return none;
      case "vend-request":
        // "always idle" (L3 option b5): the VMC may ask for a vend without a session; the core
        // decides on its own funds, so the session's are unknown
        if (this.state === "enabled" && this.alwaysIdle)
          this.funds = this.ctx.expanded ? UNKNOWN_FUNDS_32 : UNKNOWN_FUNDS_16;
        else if (this.state !== "session-idle") return outOfSequence();
        this.state = "vend";
        this.pendingVend = { price: c.price, item: c.item };
        this.approved = undefined;
        events.push({ type: "vend-request", price: c.price, item: c.item });
        return none;
      case "negative-vend":
        if (this.state !== "session-idle" || this.ctx.level < 3) return outOfSequence();
        this.state = "negative-vend";
        this.pendingVend = { price: c.price, item: c.item };
        this.approved = undefined;
        events.push({ type: "negative-vend", price: c.price, item: c.item });
        return none;
      case "vend-cancel":
        if (this.state !== "vend" || this.approved !== undefined) return outOfSequence();
        this.queue.push({ type: "vend-denied" });
        this.state = "session-idle";
        this.pendingVend = undefined;
        events.push({ type: "vend-cancelled" });
        return none;
      case "vend-success":
        if ((this.state !== "vend" && this.state !== "negative-vend") || this.approved === undefined)
          return outOfSequence();
        events.push({ type: "vend-success", item: c.item, amount: this.approved });
        if (this.state === "vend" && !this.fundsUnknown()) this.funds -= this.approved;
        this.finishVend();
        return none;
      case "vend-failure":
        if (this.state !== "vend" || this.approved === undefined) return outOfSequence();
        // ACK = refunded (§7.4.7): the core gives the amount back.
        events.push({ type: "vend-failure", amount: this.approved });
        this.finishVend();
        return none;
      case "session-complete":
        if (!inSession) return outOfSequence();
        events.push({ type: "session-complete" });
        this.queue.push({ type: "end-session" });
        this.state = this.disableAfterSession ? "disabled" : "enabled";
        this.pendingVend = undefined;
        this.approved = undefined;
        if (this.disableAfterSession) events.push({ type: "disabled" });
        this.disableAfterSession = false;
        if (this.nextFunds !== undefined && this.state === "enabled") {
          const funds = this.nextFunds;
          this.nextFunds = undefined;
          this.beginSession(funds);
        }
        return none;
      case "cash-sale":
        if (this.state === "inactive") return outOfSequence();
        events.push({ type: "cash-sale", price: c.price, item: c.item });
        return none;
      case "revalue-request":
        if (this.state !== "session-idle" || this.ctx.level < 2) return outOfSequence();
        this.state = "revalue";
        events.push({ type: "revalue-request", amount: c.amount });
        return none;
      case "revalue-limit-request":
        if (this.state !== "session-idle" || this.ctx.level < 2) return outOfSequence();
        return Uint8Array.from(
          encodeResponse({ type: "revalue-limit", amount: this.revalueLimit }, this.ctx),
        );
    }
  }

  private finishVend(): void {
    this.state = "session-idle";
    this.pendingVend = undefined;
    this.approved = undefined;
  }

  /** Queued responses that fit in one block (35 data bytes), left in flight until ACKed. */
  private pollReply(): Uint8Array {
    const out: number[] = [];
    const sent: CashlessResponse[] = [];
    while (this.queue.length > 0) {
      const next = encodeResponse(this.queue[0] as CashlessResponse, this.ctx);
      if (out.length + next.length > MAX_BLOCK - 1) break;
      out.push(...next);
      sent.push(this.queue.shift() as CashlessResponse);
    }
    const bytes = Uint8Array.from(out);
    const needsAck = sent.some((r) => !(r.type === "revalue-approved" && this.custom.revalueNoAck));
    if (needsAck) {
      this.inFlight = sent;
    }
    return bytes;
  }

  private fundsUnknown(): boolean {
    return this.funds === (this.ctx.expanded ? UNKNOWN_FUNDS_32 : UNKNOWN_FUNDS_16);
  }

  private capFunds(funds: number): number {
    // FFFF means unknown: known funds above it are announced as FFFE (§7.4.4).
    const max = this.ctx.expanded ? UNKNOWN_FUNDS_32 : UNKNOWN_FUNDS_16;
    return funds > max ? max - 1 : funds;
  }
}
