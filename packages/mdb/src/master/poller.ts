import type { PeripheralReply } from "../link.js";

/** "More than" the non-response time: its first instant, on any clock in use. */
const STRICTLY_AFTER = 0.001;

/** A command the master wants to send, and what to do with the answer. */
export interface Pending {
  /** Address byte first, CHK excluded. */
  readonly bytes: Uint8Array;
  /** Called with the reply; returns true when the reply data must be ACKed. */
  readonly onReply: (reply: PeripheralReply) => void;
}

/**
 * The bus master's side of one peripheral: a queue of commands, a POLL when nothing is queued
 * (every `pollInterval` ms), and the non-response rule (§3.2): after `nonResponse` ms without an
 * answer the peripheral is reported lost and RESET again. Sans-I/O: `next(now)` says what to send,
 * `reply(r, now)` takes the answer.
 */
export class Poller {
  private queue: Pending[] = [];
  private waiting: Pending | undefined;
  private lastAnswer = 0;
  private lastPoll = Number.NEGATIVE_INFINITY;
  lost = false;

  constructor(
    private readonly poll: () => Pending,
    private readonly reset: () => Pending,
    private readonly options: { readonly pollInterval: number; readonly nonResponse: number },
  ) {}

  enqueue(p: Pending): void {
    this.queue.push(p);
  }

  /** Forget everything queued (after a RESET). */
  clear(): void {
    this.queue = [];
  }

  /** The next block to send at `now`, or undefined when it is not yet time. */
  next(now: number): Uint8Array | undefined {
    if (this.waiting !== undefined) return undefined;
    // compared as `due` computes them, so a tick at the deadline always finds it reached
    if (now > this.lastAnswer + this.options.nonResponse && !this.lost) {
      this.lost = true;
      this.queue = [this.reset()];
    }
    let p = this.queue.shift();
    if (p === undefined) {
      if (now < this.lastPoll + this.options.pollInterval) return undefined;
      this.lastPoll = now;
      p = this.poll();
    }
    this.waiting = p;
    return p.bytes;
  }

  /**
   * When `next` has something to send: now with a command queued, else the next POLL or the end
   * of the non-response time, whichever comes first; undefined while a block waits.
   */
  due(now: number): number {
    if (this.queue.length > 0) return now;
    const poll = Math.max(now, this.lastPoll + this.options.pollInterval);
    return this.lost ? poll : Math.min(poll, this.lastAnswer + this.options.nonResponse + STRICTLY_AFTER);
  }

  /** The peripheral's answer (or its silence, as a TIMEOUT error) to the block just sent. */
  reply(r: PeripheralReply, now: number): void {
    const p = this.waiting;
    this.waiting = undefined;
    if (p === undefined) return;
    if (r.kind === "error" && r.code === "TIMEOUT") {
      // silence: send the same command again (§2.2), until non-response time runs out
      this.queue.unshift(p);
      return;
    }
    if (r.kind === "nak" || r.kind === "error") {
      this.queue.unshift(p);
      return;
    }
    this.lastAnswer = now;
    this.lost = false;
    p.onReply(r);
  }

  /** Start counting non-response time from `now` (after a RESET or at start). */
  touch(now: number): void {
    this.lastAnswer = now;
  }
}
