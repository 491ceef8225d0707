import { deadlineOf, joinBytes, type Machine, type Step } from "@vendkit/machine";
import { type DdcmpMessage, encodeMessage, MessageParser, NAK_REASON, QSYNC, SELECT } from "./messages.js";

/** Timers and limits, as values: nothing here reads a clock or sets a timeout. */
export interface StationOptions {
  /** The station address byte carried in every message (EVA-DTS uses 1). */
  readonly address?: number;
  /** How long to wait for an ACK before sending REP (or STRT again), ms. */
  readonly replyTimeout?: number;
  /** How many REPs (or STRTs) in a row before the link is declared down. */
  readonly retries?: number;
  /** Data messages sent but not yet acknowledged, at most (1..255). */
  readonly window?: number;
}

export type StationState = "halted" | "istrt" | "astrt" | "running" | "failed";

export type StationEvent =
  | { readonly type: "running" }
  | { readonly type: "data"; readonly data: Uint8Array }
  | { readonly type: "acked"; readonly num: number }
  | { readonly type: "nak-sent"; readonly reason: number }
  | {
      readonly type: "failed";
      readonly reason: "TIMEOUT" | "START_TIMEOUT" | "RESTARTED" | "TOO_MANY_RETRIES";
      readonly detail: string;
    };

/** What the station collects while it handles one input. */
interface Output {
  readonly send: Uint8Array[];
  readonly events: StationEvent[];
}

const inc = (n: number) => (n + 1) & 0xff;
/** Whether `x` is in (from, to] modulo 256. */
const between = (from: number, x: number, to: number) =>
  ((x - from) & 0xff) > 0 && ((x - from) & 0xff) <= ((to - from) & 0xff);

/**
 * One end of a DDCMP point-to-point link, as a sans-I/O state machine: STRT/STACK start-up,
 * numbered data messages with a send window, ACKs (piggybacked on data where there is data to
 * send), NAK with reasons for damaged messages, REP on an ACK timeout answered by ACK or by NAK
 * reason 3, in-order delivery with duplicates dropped, retransmission on NAK and after REP.
 */
export class Station implements Machine<StationEvent> {
  state: StationState = "halted";
  private readonly parser = new MessageParser();
  private readonly address: number;
  private readonly replyTimeout: number;
  private readonly retries: number;
  private readonly window: number;
  /** Last data message received in sequence. */
  private r = 0;
  /** Last data message sent (assigned a number). */
  private n = 0;
  /** Highest message the other end acknowledged. */
  private a = 0;
  private readonly unacked = new Map<number, Uint8Array>();
  private readonly queue: Uint8Array[] = [];
  private deadline = Number.POSITIVE_INFINITY;
  private tries = 0;
  private startAsked = false;

  constructor(options: StationOptions = {}) {
    this.address = options.address ?? 1;
    this.replyTimeout = options.replyTimeout ?? 1000;
    this.retries = options.retries ?? 5;
    this.window = Math.max(1, Math.min(255, options.window ?? 1));
  }

  /** Starts the link from this end: STRT goes out at the next `tick`. */
  start(): void {
    this.startAsked = true;
  }

  /** Queues data to send; it goes out at the next step, as the window allows. */
  send(data: Uint8Array): void {
    this.queue.push(data);
  }

  private begun(now: number): Output {
    const out: Output = { send: [], events: [] };
    if (this.startAsked) {
      this.startAsked = false;
      this.reset();
      this.state = "istrt";
      this.sendControl(out, { kind: "start", addr: this.address, flags: QSYNC | SELECT, mbd: 0 });
      this.deadline = now + this.replyTimeout;
    }
    return out;
  }

  private result(out: Output, now: number): Step<StationEvent> {
    this.pump(out, now);
    const idle = this.state === "failed" || this.state === "halted";
    return {
      send: joinBytes(out.send),
      events: out.events,
      deadline: idle ? undefined : deadlineOf(this.deadline),
    };
  }

  /** Messages queued or sent but not yet acknowledged. */
  get pending(): number {
    return this.queue.length + this.unacked.size;
  }

  receive(bytes: ArrayLike<number>, now: number): Step<StationEvent> {
    const out = this.begun(now);
    if (this.state === "failed") return this.result(out, now);
    for (const m of this.parser.push(bytes)) {
      if (m.kind === "error") {
        if (this.state !== "running") continue;
        const reason =
          m.code === "DATA_CRC"
            ? NAK_REASON.dataCrc
            : m.code === "HEADER_CRC"
              ? NAK_REASON.headerCrc
              : NAK_REASON.headerFormat;
        // a damaged header may not even be addressed to us: only damaged data is NAKed at once
        if (m.code === "DATA_CRC") {
          this.sendControl(out, { kind: "nak", resp: this.r, reason, addr: this.address, flags: 0 });
          out.events.push({ type: "nak-sent", reason });
        }
        continue;
      }
      this.handle(m, out, now);
    }
    return this.result(out, now);
  }

  tick(now: number): Step<StationEvent> {
    const out = this.begun(now);
    if (now < this.deadline || this.state === "failed" || this.state === "halted")
      return this.result(out, now);
    if (++this.tries > this.retries) {
      const starting = this.state !== "running";
      this.state = "failed";
      this.deadline = Number.POSITIVE_INFINITY;
      out.events.push({
        type: "failed",
        reason: starting ? "START_TIMEOUT" : "TIMEOUT",
        detail: `no answer after ${this.retries} ${starting ? "STRTs" : "REPs"}`,
      });
      return this.result(out, now);
    }
    this.deadline = now + this.replyTimeout;
    if (this.state === "istrt")
      this.sendControl(out, { kind: "start", addr: this.address, flags: QSYNC | SELECT, mbd: 0 });
    else if (this.state === "astrt")
      this.sendControl(out, { kind: "stack", addr: this.address, flags: QSYNC | SELECT, sbd: 0, mbd: 0 });
    else if (this.unacked.size > 0)
      this.sendControl(out, { kind: "rep", num: this.n, addr: this.address, flags: 0 });
    else this.deadline = Number.POSITIVE_INFINITY;
    return this.result(out, now);
  }

  private handle(m: DdcmpMessage, out: Output, now: number): void {
    switch (m.kind) {
      case "start":
        if (this.state === "running") {
          // the other end started over (or a stale STRT arrived): what was delivered cannot be
          // squared with a new numbering, so the link ends here with a typed failure
          this.state = "failed";
          this.deadline = Number.POSITIVE_INFINITY;
          out.events.push({ type: "failed", reason: "RESTARTED", detail: "STRT received while running" });
          return;
        }
        this.reset();
        this.state = "astrt";
        this.sendControl(out, { kind: "stack", addr: this.address, flags: QSYNC | SELECT, sbd: 0, mbd: 0 });
        this.deadline = now + this.replyTimeout;
        return;
      case "stack":
        if (this.state === "istrt" || this.state === "astrt" || this.state === "running") {
          this.sendControl(out, { kind: "ack", resp: this.r, addr: this.address, flags: 0 });
          this.enterRunning(out);
        }
        return;
      case "ack":
        if (this.state === "astrt" && m.resp === 0) this.enterRunning(out);
        if (this.state === "running") this.acknowledge(m.resp, out, now);
        return;
      case "nak": {
        if (this.state !== "running") return;
        const before = this.a;
        this.acknowledge(m.resp, out, now);
        // a NAK that acknowledges nothing new spends a retry, as a REP does: a peer that keeps
        // refusing ends the link as surely as one that stays silent
        if (this.a === before && ++this.tries > this.retries) {
          this.state = "failed";
          this.deadline = Number.POSITIVE_INFINITY;
          out.events.push({
            type: "failed",
            reason: "TOO_MANY_RETRIES",
            detail: `NAKed ${this.retries + 1} times in a row`,
          });
          return;
        }
        // everything after the acknowledged number goes again, in order
        for (let k = inc(this.a); this.unacked.has(k); k = inc(k)) out.send.push(this.frame(k));
        this.deadline = now + this.replyTimeout;
        return;
      }
      case "rep":
        if (this.state !== "running") return;
        if (m.num === this.r)
          this.sendControl(out, { kind: "ack", resp: this.r, addr: this.address, flags: 0 });
        else {
          this.sendControl(out, {
            kind: "nak",
            resp: this.r,
            reason: NAK_REASON.repResponse,
            addr: this.address,
            flags: 0,
          });
          out.events.push({ type: "nak-sent", reason: NAK_REASON.repResponse });
        }
        return;
      case "data":
        if (this.state === "astrt") this.enterRunning(out);
        if (this.state !== "running") return;
        this.acknowledge(m.resp, out, now);
        if (m.num === inc(this.r)) {
          this.r = m.num;
          out.events.push({ type: "data", data: m.data });
        }
        // in sequence or a duplicate: acknowledge what we have (a gap is dropped silently)
        if (!this.queue.length || this.unacked.size >= this.window) {
          this.sendControl(out, { kind: "ack", resp: this.r, addr: this.address, flags: 0 });
        }
        return;
      case "maintenance":
        return;
    }
  }

  private acknowledge(resp: number, out: Output, now: number): void {
    if (!between(this.a, resp, this.n)) return;
    while (this.a !== resp) {
      this.a = inc(this.a);
      this.unacked.delete(this.a);
      out.events.push({ type: "acked", num: this.a });
    }
    this.tries = 0;
    this.deadline = this.unacked.size > 0 ? now + this.replyTimeout : Number.POSITIVE_INFINITY;
  }

  /** Sends queued data while the window allows, each carrying the current ACK number. */
  private pump(out: Output, now: number): void {
    if (this.state !== "running") return;
    while (this.queue.length > 0 && this.unacked.size < this.window) {
      const data = this.queue.shift() as Uint8Array;
      this.n = inc(this.n);
      this.unacked.set(this.n, data);
      out.send.push(this.frame(this.n));
      if (this.deadline === Number.POSITIVE_INFINITY) this.deadline = now + this.replyTimeout;
    }
  }

  private frame(num: number): Uint8Array {
    return encodeMessage({
      kind: "data",
      resp: this.r,
      num,
      addr: this.address,
      flags: 0,
      data: this.unacked.get(num) as Uint8Array,
    });
  }

  private enterRunning(out: Output): void {
    if (this.state === "running") return;
    this.state = "running";
    this.tries = 0;
    this.deadline = Number.POSITIVE_INFINITY;
    out.events.push({ type: "running" });
  }

  private reset(): void {
    this.r = 0;
    this.n = 0;
    this.a = 0;
    this.unacked.clear();
    this.tries = 0;
  }

  private sendControl(out: Output, m: DdcmpMessage): void {
    out.send.push(encodeMessage(m));
  }
}
