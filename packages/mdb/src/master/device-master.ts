import type { Machine, Step } from "@vendkit/machine";
import {
  ACK,
  DEFAULT_TIMING,
  encodeMasterBlock,
  type MdbTiming,
  type PeripheralReply,
  ReplyDecoder,
} from "../link.js";
import type { Poller } from "./poller.js";

/** Milliseconds a word takes on the line at 9600 baud (11 bits). */
export const WORD_MS = 11_000 / 9600;

/** How a master driver meets the line: its timing rules, and how long a word takes. */
export interface LineOptions {
  readonly timing?: MdbTiming;
  readonly wordMs?: number;
}

/**
 * What the bus master's peripheral drivers (coin changer, bill validator) share, as a machine on
 * the line (docs/machines.md) in 9-bit words: the `Poller` decides the next command, which goes
 * out as a block with its checksum; the reply's words come in, data is ACKed, and the reply (or
 * silence past the response time, or a reply cut short) goes to the poller, whose callbacks make
 * the events. A device that stops answering is reported once, as `lost`. Several drivers share
 * one line through `MdbBus`.
 */
export abstract class DeviceMaster<E extends { readonly type: string }> implements Machine<E, Uint16Array> {
  protected events: E[] = [];
  protected abstract readonly poller: Poller;
  /** The event that says the device stopped answering. */
  protected abstract readonly lostEvent: E;
  private readonly replies: ReplyDecoder;
  private readonly timing: MdbTiming;
  private readonly wordMs: number;
  /** When the reply to the block sent is late; undefined while no block waits. */
  private waiting: number | undefined;

  constructor(line: LineOptions = {}) {
    this.timing = line.timing ?? DEFAULT_TIMING;
    this.wordMs = line.wordMs ?? WORD_MS;
    this.replies = new ReplyDecoder(this.timing);
  }

  /** No block waits for its reply: the line is free as far as this driver goes. */
  get idle(): boolean {
    return this.waiting === undefined;
  }

  receive(words: ArrayLike<number>, now: number): Step<E, Uint16Array> {
    const send: number[] = [];
    for (let i = 0; i < words.length; i++)
      for (const r of this.replies.feed(words[i] as number, now)) {
        if (this.waiting === undefined) continue; // nothing was asked: a stray reply
        if (r.kind === "data") send.push(ACK);
        this.answered(r, now);
      }
    return this.result(send, now);
  }

  tick(now: number): Step<E, Uint16Array> {
    const send: number[] = [];
    for (const r of this.replies.expire(now)) if (this.waiting !== undefined) this.answered(r, now);
    if (this.waiting !== undefined && now >= this.waiting)
      this.answered(
        { kind: "error", code: "TIMEOUT", at: 0, detail: "no reply within the response time" },
        now,
      );
    if (this.waiting === undefined) {
      const wasLost = this.poller.lost;
      const block = this.poller.next(now);
      if (!wasLost && this.poller.lost) this.events.push(this.lostEvent);
      if (block !== undefined) {
        const words = encodeMasterBlock(block);
        for (const w of words) send.push(w);
        this.waiting = now + words.length * this.wordMs + this.timing.response;
      }
    }
    return this.result(send, now);
  }

  private answered(r: PeripheralReply, now: number): void {
    this.waiting = undefined;
    this.poller.reply(r, now);
  }

  private result(send: number[], now: number): Step<E, Uint16Array> {
    const events = this.events;
    this.events = [];
    const deadline = this.waiting ?? this.replies.due ?? this.poller.due(now);
    return { send: Uint16Array.from(send), events, deadline };
  }
}
