import { deadlineOf, earliest, joinBytes, type Machine, type Step } from "@vendkit/machine";
import {
  agreeBaudCode,
  BAUD_CODES,
  baudCode,
  DEFAULT_BUFFER,
  EVA_TIMING,
  type EvaTiming,
  MESSAGE_OVERHEAD,
  START_BAUD,
  STATION_ADDRESS,
} from "./eva-profile.js";
import { encodeMessage, MessageParser, NAK_REASON, QSYNC, SELECT } from "./messages.js";
import { Turnaround } from "./turnaround.js";

/**
 * The EVA-DTS profile of DDCMP ("Enhanced DDCMP", EVA DTS 6.1.2 chapter 3): half duplex, one
 * message in flight, each data message acknowledged on its own before the next; START/STACK with
 * baud-rate codes and a second START/STACK at the agreed rate; numbering from 1; no REP. The
 * timers and limits are Table 2's (p. 65), as values. Sans-I/O: bytes and time in, bytes and
 * events out; a rate change is an event the edge applies to its line.
 */

export interface EvaLinkOptions {
  readonly role: "master" | "slave";
  /** The station address (Table 4); a slave answers this one and 0x01. Default 0x01. */
  readonly address?: number;
  /**
   * The highest baud-rate code this end wants (master) or supports (slave), 1-8; 0: stay at 2400
   * (a master asks for no change; a "default slave" forbids one). Default 8 (115200).
   */
  readonly maxBaudCode?: number;
  readonly timing?: Partial<EvaTiming>;
  /**
   * What the second START (at the new rate) carries in its rate byte: the agreed code again
   * (`repeat`, default) or 0, "keep" (`unchanged`). The standard does not say; both are read.
   */
  readonly secondStart?: "repeat" | "unchanged";
  /** This end's receive buffer, bytes: a longer message is NACKed as too long (reason 16). */
  readonly bufferSize?: number;
  /**
   * Judges a data message before it is acknowledged: false leaves it unanswered and uncounted
   * (a slave that finds a FINISH's operation unsuccessful sends no answer, 3.6.4.1.8 note 1).
   */
  readonly judge?: (data: Uint8Array) => boolean;
}

export type EvaLinkFailure = "START_TIMEOUT" | "TOO_MANY_RETRIES" | "LINK_TIMEOUT";

export type EvaLinkEvent =
  /** Switch the line to `baud` now (after the STACK that agreed it has gone out). */
  | { readonly type: "baud"; readonly baud: number }
  | { readonly type: "running"; readonly baud: number }
  | { readonly type: "data"; readonly data: Uint8Array; readonly select: boolean }
  /** Our data message `num` was acknowledged. */
  | { readonly type: "sent"; readonly num: number }
  /** A START arrived while a session was running: everything is reset (3.5.2.2, p. 70). */
  | { readonly type: "restarted" }
  | { readonly type: "failed"; readonly reason: EvaLinkFailure; readonly detail: string };

/** What the link collects while it handles one input. */
interface EvaLinkOutput {
  readonly send: Uint8Array[];
  readonly events: EvaLinkEvent[];
}

const inc = (n: number) => (n + 1) & 0xff;

/** Where an `EvaLink` is: idle, starting the link, running, or failed for good. */
export type EvaLinkState = "idle" | "starting" | "restarting" | "running" | "failed";

/** One end of an Enhanced DDCMP link. */
export class EvaLink implements Machine<EvaLinkEvent> {
  state: EvaLinkState = "idle";
  /** The line rate in use. */
  baud = START_BAUD;
  private readonly parser = new MessageParser();
  private readonly t: EvaTiming;
  private readonly role: "master" | "slave";
  private readonly maxBaudCode: number;
  private address: number;
  private rx = 0;
  private tx = 0;
  private inFlight: { num: number; bytes: Uint8Array; attempts: number; deadline: number } | undefined;
  private readonly queue: { data: Uint8Array; select: boolean }[] = [];
  private starts = 0;
  private startDeadline = Number.POSITIVE_INFINITY;
  private lastHeard = 0;
  /** The link time-out in force (`expectSlow`). */
  private linkTimeout: number;
  private nackedRun = false;
  /** Bytes waiting for the turnaround to pass. */
  private readonly line: Turnaround<EvaLinkEvent>;
  private lastReceived = Number.NEGATIVE_INFINITY;
  private agreed = 0;
  private startAsked = false;

  constructor(private readonly o: EvaLinkOptions) {
    this.t = { ...EVA_TIMING, ...o.timing };
    this.line = new Turnaround(this.t.turnaround);
    this.linkTimeout = this.t.linkTimeout;
    this.role = o.role;
    this.maxBaudCode = o.maxBaudCode ?? 8;
    this.address = o.address ?? STATION_ADDRESS.any;
  }

  /** No data message in flight or waiting. */
  get idle(): boolean {
    return this.inFlight === undefined && this.queue.length === 0;
  }

  /** A data message waits in the queue and could go now: a step would send it. */
  get ready(): boolean {
    return this.state === "running" && this.inFlight === undefined && this.queue.length > 0;
  }

  /** The 15 s link time-out around READ DATA, WRITE DATA and PROGRAM SLAVE DEVICE, or the 5 s one. */
  expectSlow(on: boolean): void {
    this.linkTimeout = on ? this.t.longLinkTimeout : this.t.linkTimeout;
  }

  /** Master: opens the session at 2400 baud with START (the rate wished for in it), at the next step. */
  start(): void {
    this.startAsked = true;
  }

  /** Queues a data message (`select`: the last block of a transfer of unknown length). */
  send(data: Uint8Array, select = false): void {
    this.queue.push({ data, select });
  }

  private begun(now: number): EvaLinkOutput {
    const out: EvaLinkOutput = { send: [], events: [] };
    if (this.startAsked) {
      this.startAsked = false;
      this.reset();
      this.baud = START_BAUD;
      this.state = "starting";
      this.starts = 0;
      this.sendStart(this.firstStartCode(), now, out);
    }
    return out;
  }

  private result(out: EvaLinkOutput, now: number): Step<EvaLinkEvent> {
    this.pump(now, out);
    this.line.release(now, out.send, out.events);
    return { send: joinBytes(out.send), events: out.events, deadline: this.deadline() };
  }

  /** The earliest instant a timer of the link runs out, or held bytes may go. */
  private deadline(): number | undefined {
    const held = this.line.due;
    switch (this.state) {
      case "starting":
      case "restarting":
        return earliest(held, deadlineOf(this.startDeadline));
      case "running": {
        return earliest(held, this.inFlight?.deadline ?? this.lastHeard + this.linkTimeout + 1);
      }
      default:
        return held;
    }
  }

  receive(bytes: ArrayLike<number>, now: number): Step<EvaLinkEvent> {
    const out = this.begun(now);
    if (this.state === "failed") return this.result(out, now);
    if (bytes.length > 0) this.lastReceived = now;
    for (const m of this.parser.push(bytes)) {
      if ((this.state as EvaLinkState) === "failed") break; // a NACK or wrong ACK spent the last attempt
      if (m.kind === "error") {
        // one NACK per run of damaged data (6.2.2.3, p. 197); a damaged header is left to the
        // sender's time-out, since it may not even be addressed to us
        if (m.code === "DATA_CRC" && this.state === "running" && !this.nackedRun) {
          this.nackedRun = true;
          this.control(out, now, { kind: "nak", resp: this.rx, reason: NAK_REASON.dataCrc });
        }
        continue;
      }
      if (this.role === "slave" && m.addr !== this.address && m.addr !== STATION_ADDRESS.any) continue;
      this.lastHeard = now;
      if (m.kind !== "data") this.nackedRun = false;
      switch (m.kind) {
        case "start":
          this.onStart(m.mbd, m.addr, now, out);
          break;
        case "stack":
          this.onStack(m.sbd, m.mbd, now, out);
          break;
        case "ack":
        case "nak":
          if (this.state !== "running" || this.inFlight === undefined) break;
          if (m.resp === this.inFlight.num) this.delivered(now, out);
          else this.retry(now, out); // a number that does not match
          break;
        case "data":
          this.onData(m.resp, m.num, m.data, (m.flags & SELECT) !== 0, now, out);
          break;
        default:
          break; // REP and maintenance messages are not part of the EVA-DTS profile
      }
    }
    return this.result(out, now);
  }

  tick(now: number): Step<EvaLinkEvent> {
    const out = this.begun(now);
    if (this.state === "starting" || this.state === "restarting") {
      if (now >= this.startDeadline) {
        if (this.starts >= this.t.startAttempts) {
          this.fail(out, "START_TIMEOUT", `no STACK after ${this.starts} STARTs`);
          return this.result(out, now);
        }
        this.sendStart(
          this.state === "restarting" ? this.secondStartCode() : this.firstStartCode(),
          now,
          out,
        );
      }
    } else if (this.state === "running") {
      if (this.inFlight !== undefined && now >= this.inFlight.deadline) this.retry(now, out);
      else if (this.inFlight === undefined && now - this.lastHeard > this.linkTimeout)
        this.fail(out, "LINK_TIMEOUT", `nothing received for ${now - this.lastHeard} ms`);
    }
    return this.result(out, now);
  }

  private firstStartCode(): number {
    return this.maxBaudCode <= baudCode(START_BAUD) ? 0 : this.maxBaudCode;
  }

  private secondStartCode(): number {
    return this.o.secondStart === "unchanged" ? 0 : this.agreed;
  }

  private sendStart(mbd: number, now: number, out: EvaLinkOutput): void {
    this.starts++;
    this.startDeadline = now + this.t.stackTimeout;
    this.control(out, now, { kind: "start", mbd });
  }

  private onStart(mbd: number, addr: number, now: number, out: EvaLinkOutput): void {
    if (this.role === "master") return;
    if (this.state === "running" && (this.rx !== 0 || this.tx !== 0)) out.events.push({ type: "restarted" });
    this.reset();
    this.address = addr;
    // STACK: our capability, and the rate asked for when we can do it, else our highest
    const sbd = this.maxBaudCode;
    const agreed = agreeBaudCode(mbd, sbd, sbd);
    this.state = "running";
    this.lastHeard = now;
    if (agreed !== 0 && BAUD_CODES[agreed] !== this.baud) {
      // the STACK goes out at the old rate; the line changes once it has gone
      this.baud = BAUD_CODES[agreed] as number;
      this.control(out, now, { kind: "stack", sbd, mbd: agreed }, [
        { type: "baud", baud: this.baud },
        { type: "running", baud: this.baud },
      ]);
    } else {
      this.control(out, now, { kind: "stack", sbd, mbd: agreed });
      out.events.push({ type: "running", baud: this.baud });
    }
  }

  private onStack(sbd: number, mbd: number, now: number, out: EvaLinkOutput): void {
    if (this.role !== "master" || (this.state !== "starting" && this.state !== "restarting")) return;
    // never a rate this end did not ask for, nor a code EVA-DTS does not define
    const agreed = agreeBaudCode(sbd, mbd, this.maxBaudCode);
    if (this.state === "starting" && agreed !== 0 && BAUD_CODES[agreed] !== this.baud) {
      // a second START/STACK at the new rate before any data (3.4.2.2.3, p. 61)
      this.agreed = agreed;
      this.baud = BAUD_CODES[agreed] as number;
      out.events.push({ type: "baud", baud: this.baud });
      this.state = "restarting";
      this.starts = 0;
      this.sendStart(this.secondStartCode(), now, out);
      return;
    }
    this.state = "running";
    this.startDeadline = Number.POSITIVE_INFINITY;
    this.lastHeard = now;
    out.events.push({ type: "running", baud: this.baud });
  }

  private onData(
    resp: number,
    num: number,
    data: Uint8Array,
    select: boolean,
    now: number,
    out: EvaLinkOutput,
  ): void {
    if (this.state !== "running") return;
    // an incoming data message whose rr is our last number acknowledges it too
    if (this.inFlight !== undefined && resp === this.inFlight.num) this.delivered(now, out);
    const buffer = this.o.bufferSize ?? DEFAULT_BUFFER;
    if (data.length + MESSAGE_OVERHEAD > buffer) {
      this.control(out, now, { kind: "nak", resp: this.rx, reason: NAK_REASON.tooLong });
      return;
    }
    if (num === inc(this.rx)) {
      if (this.o.judge !== undefined && !this.o.judge(data)) return;
      this.nackedRun = false;
      this.rx = num;
      this.control(out, now, { kind: "ack", resp: this.rx });
      out.events.push({ type: "data", data, select });
    } else if (num === this.rx) {
      // our ACK was lost: acknowledge the duplicate again, deliver nothing
      this.control(out, now, { kind: "ack", resp: this.rx });
    } else this.control(out, now, { kind: "nak", resp: this.rx, reason: NAK_REASON.headerFormat });
  }

  private delivered(now: number, out: EvaLinkOutput): void {
    const num = (this.inFlight as { num: number }).num;
    this.inFlight = undefined;
    out.events.push({ type: "sent", num });
    this.pump(now, out);
  }

  /**
   * Sends the message in flight again, after its time-out or an answer that does not acknowledge
   * it (a NAK, an ACK of another number): both spend an attempt, so a peer that keeps refusing
   * ends the link as surely as one that stays silent. When the attempts are spent it fails.
   */
  private retry(now: number, out: EvaLinkOutput): void {
    const f = this.inFlight;
    if (f === undefined) return;
    if (f.attempts >= this.t.dataAttempts) {
      // the sender still counts the message (3.7.1, p. 99): the link needs a new START
      this.tx = f.num;
      this.fail(out, "TOO_MANY_RETRIES", `message ${f.num} not acknowledged after ${f.attempts} attempts`);
      return;
    }
    f.attempts++;
    f.deadline = this.deadlineFor(f.bytes.length, now);
    this.hold(f.bytes, now, out);
  }

  /** The next queued message goes out when nothing is in flight. */
  private pump(now: number, out: EvaLinkOutput): void {
    if (this.state !== "running" || this.inFlight !== undefined) return;
    const next = this.queue.shift();
    if (next === undefined) return;
    const num = inc(this.tx);
    this.tx = num;
    const bytes = encodeMessage({
      kind: "data",
      resp: this.rx,
      num,
      addr: this.address,
      flags: QSYNC | (next.select ? SELECT : 0),
      data: next.data,
    });
    this.inFlight = { num, bytes, attempts: 1, deadline: this.deadlineFor(bytes.length, now) };
    this.hold(bytes, now, out);
  }

  /** When the answer to `length` bytes sent now is late: turnaround, transmission, then Table 2's ACK time-out. */
  private deadlineFor(length: number, now: number): number {
    return now + this.t.turnaround + Math.ceil((length * 10 * 1000) / this.baud) + this.t.ackTimeout;
  }

  private control(
    out: EvaLinkOutput,
    now: number,
    m:
      | { kind: "ack"; resp: number }
      | { kind: "nak"; resp: number; reason: number }
      | { kind: "start"; mbd: number }
      | { kind: "stack"; sbd: number; mbd: number },
    after?: readonly EvaLinkEvent[],
  ): void {
    this.hold(encodeMessage({ ...m, addr: this.address, flags: QSYNC }), now, out, after);
  }

  /** Sends once the turnaround since the last byte received has passed; `after` once it has gone. */
  private hold(bytes: Uint8Array, now: number, out: EvaLinkOutput, after?: readonly EvaLinkEvent[]): void {
    this.line.hold(bytes, this.lastReceived, after);
    this.line.release(now, out.send, out.events);
  }

  private fail(out: EvaLinkOutput, reason: EvaLinkFailure, detail: string): void {
    this.state = "failed";
    this.line.clear();
    out.events.push({ type: "failed", reason, detail });
  }

  private reset(): void {
    this.rx = 0;
    this.tx = 0;
    this.inFlight = undefined;
    this.queue.length = 0;
    this.line.clear();
    this.nackedRun = false;
  }
}
