import { ackFrame, type DexFrame, ENQ, EOT, NAK } from "./frames.js";

/** Timing and retry rules, as parameters (EVA-DTS 6.1.2 4.5.8, pp. 116-117). */
export interface DexTiming {
  /** Timer A: how long to wait for an answer before asking again (ms). */
  readonly ackTimeout: number;
  /** How many times one frame is sent again (after a NAK, a wrong ACK or silence) before giving up. */
  readonly retries: number;
  /** Longest silence the receiving side accepts while a transfer is open (ms). */
  readonly idleTimeout: number;
  /** Timer B: longest gap between two bytes of one block; a block cut longer is a bad block (ms). */
  readonly interCharTimeout: number;
  /** After a WACK (DLE ';'), the pause before asking again with ENQ: 100-500 ms in the standard. */
  readonly wackDelay: number;
  /** The longest a sender keeps waiting on repeated WACKs: the VMD's 60 s inactivity guard (ms). */
  readonly wackLimit: number;
}

export const DEFAULT_DEX_TIMING: DexTiming = {
  ackTimeout: 1000,
  retries: 5,
  idleTimeout: 10_000,
  interCharTimeout: 100,
  wackDelay: 200,
  wackLimit: 60_000,
};

export type DexFailure = "TIMEOUT" | "TOO_MANY_RETRIES" | "REFUSED" | "PROTOCOL" | "CORRUPT_AUDIT";

export type DexEvent =
  | {
      readonly type: "handshake";
      readonly communicationId: string;
      readonly revision: string;
      readonly detail: string;
    }
  | { readonly type: "progress"; readonly done: number; readonly total: number | undefined }
  /**
   * The audit, whole. `eot` is false when the last block was acknowledged but the sender's EOT
   * never came: the data is complete all the same.
   */
  | { readonly type: "received"; readonly data: Uint8Array; readonly eot: boolean }
  /** Device side: the collector acknowledged the last block; period data may be reset now. */
  | { readonly type: "collected" }
  /**
   * The session failed. `received` holds what a collector had received of the audit when the
   * transfer had begun (the damaged audit on CORRUPT_AUDIT, the blocks so far on a timeout), so
   * a caller can keep it.
   */
  | {
      readonly type: "failed";
      readonly reason: DexFailure;
      readonly detail: string;
      readonly received?: Uint8Array;
    };

/** What a DEX phase collects while it handles one input: frames to send, events, its end. */
export interface DexOut {
  readonly send: Uint8Array[];
  readonly events: DexEvent[];
}

/**
 * Sends a list of blocks: ENQ, wait DLE 0, then each block, the ACKs alternating DLE 1 / DLE 0,
 * then EOT. On silence it sends ENQ and the receiver repeats its last ACK: the expected one means
 * the block arrived, the other one that it must be sent again (so a lost ACK never duplicates a
 * block). A NAK is answered the same way, since it may answer an earlier frame. Each frame is
 * tried at most `retries` more times. A WACK makes it wait `wackDelay` and ask again with ENQ
 * without spending a retry, for at most `wackLimit` in a row.
 *
 * With `yieldToEnq` (a data carrier opening the first handshake) an ENQ from the other end before
 * any answer means the machine wants to be master: the sender backs off, and at the machine's
 * second ENQ it stops with `yielded` set, so its owner answers as slave (4.5.1, p. 109).
 */
class Sender {
  private index = -1; // -1: the opening ENQ is outstanding
  private tries = 0;
  private deadline = 0;
  private expect: 0 | 1 = 0;
  private wackSince: number | undefined;
  private wackPending = false;
  private enqsHeard = 0;
  done = false;
  yielded = false;

  constructor(
    private readonly blocks: Uint8Array[],
    private readonly timing: DexTiming,
    private readonly onProgress?: (done: number) => DexEvent | undefined,
    private readonly yieldToEnq = false,
  ) {}

  /** When `tick` has work to do. */
  get due(): number | undefined {
    return this.done ? undefined : this.deadline;
  }

  start(now: number, out: DexOut): void {
    this.deadline = now + this.timing.ackTimeout;
    out.send.push(Uint8Array.of(ENQ));
  }

  private retry(now: number, out: DexOut, frame: Uint8Array, why: string): void {
    if (++this.tries > this.timing.retries) {
      this.done = true;
      out.events.push({
        type: "failed",
        reason: why === "silence" ? "TIMEOUT" : "TOO_MANY_RETRIES",
        detail: `${why}, ${this.timing.retries} retries spent`,
      });
      return;
    }
    this.deadline = now + this.timing.ackTimeout;
    out.send.push(frame);
  }

  receive(f: DexFrame, now: number, out: DexOut): void {
    if (this.done) return;
    if (f.kind !== "wack") {
      this.wackPending = false;
      if (f.kind === "ack") this.wackSince = undefined;
    }
    if (f.kind === "ack" && f.parity === this.expect) {
      this.tries = 0;
      this.index++;
      this.expect = this.expect === 0 ? 1 : 0;
      if (this.index > 0) {
        const e = this.onProgress?.(this.index);
        if (e) out.events.push(e);
      }
      if (this.index >= this.blocks.length) {
        this.done = true;
        out.send.push(Uint8Array.of(EOT));
        return;
      }
      this.deadline = now + this.timing.ackTimeout;
      out.send.push(this.blocks[this.index] as Uint8Array);
    } else if (f.kind === "ack" && this.index >= 0) {
      // the receiver's last answer is the previous ACK: the block did not arrive
      this.retry(now, out, this.blocks[this.index] as Uint8Array, "previous ACK");
    } else if (f.kind === "nak") {
      // a NAK may be stale (answering an earlier frame): ask for the receiver's last answer
      // instead of sending the block again, so that a block is never delivered twice
      this.retry(now, out, Uint8Array.of(ENQ), "NAK");
    } else if (f.kind === "wack") {
      this.wackSince ??= now;
      if (now - this.wackSince > this.timing.wackLimit) {
        this.done = true;
        out.events.push({
          type: "failed",
          reason: "TIMEOUT",
          detail: `the other end kept answering WACK for more than ${this.timing.wackLimit} ms`,
        });
        return;
      }
      this.wackPending = true;
      this.deadline = now + this.timing.wackDelay;
    } else if (f.kind === "enq" && this.index < 0 && this.yieldToEnq) {
      if (++this.enqsHeard >= 2) {
        this.done = true;
        this.yielded = true;
      } else this.deadline = now + 2 * this.timing.ackTimeout; // back off: the machine repeats its ENQ
    } else if (f.kind === "eot" && this.index < 0) {
      this.done = true;
      out.events.push({ type: "failed", reason: "REFUSED", detail: "the other end answered ENQ with EOT" });
    }
  }

  tick(now: number, out: DexOut): void {
    if (this.done || now < this.deadline) return;
    if (this.wackPending) {
      // a WACK asked us to wait: ask again without spending a retry
      this.wackPending = false;
      this.deadline = now + this.timing.ackTimeout;
      out.send.push(Uint8Array.of(ENQ));
    } else this.retry(now, out, Uint8Array.of(ENQ), "silence");
  }
}

/**
 * Receives blocks: DLE 0 to the opening ENQ, DLE 1 / DLE 0 alternating to good blocks, NAK to
 * bad ones, its last answer again to a later ENQ, and done at EOT. When the last block (ETX) was
 * acknowledged and the line then stays silent, it is done too, with `eotMissing` set.
 */
class Receiver {
  private parity: 0 | 1 = 1;
  private lastSeen = 0;
  private lastAnswer: Uint8Array | undefined;
  private lastBlockIn = false;
  readonly blocks: Uint8Array[] = [];
  done = false;
  eotMissing = false;

  constructor(
    private readonly timing: DexTiming,
    private readonly onBlock?: (count: number, bytes: number) => DexEvent | undefined,
  ) {}

  begin(now: number): void {
    this.lastSeen = now;
  }

  /** When `tick` has work to do: the first instant past the idle time-out. */
  get due(): number | undefined {
    return this.done ? undefined : this.lastSeen + this.timing.idleTimeout + 1;
  }

  /** What the blocks received so far hold, joined. */
  data(): Uint8Array {
    const out = new Uint8Array(this.blocks.reduce((n, b) => n + b.length, 0));
    let at = 0;
    for (const b of this.blocks) {
      out.set(b, at);
      at += b.length;
    }
    return out;
  }

  receive(f: DexFrame, now: number, out: DexOut): void {
    if (this.done) return;
    this.lastSeen = now;
    switch (f.kind) {
      case "enq":
        if (this.lastAnswer === undefined) this.lastAnswer = ackFrame(0);
        out.send.push(this.lastAnswer);
        break;
      case "block": {
        if (this.lastAnswer === undefined) return;
        this.blocks.push(f.data);
        this.lastBlockIn = f.last;
        this.lastAnswer = ackFrame(this.parity);
        this.parity = this.parity === 0 ? 1 : 0;
        const e = this.onBlock?.(
          this.blocks.length,
          this.blocks.reduce((n, b) => n + b.length, 0),
        );
        if (e) out.events.push(e);
        out.send.push(this.lastAnswer);
        break;
      }
      case "bad-block":
        if (this.lastAnswer !== undefined) out.send.push(Uint8Array.of(NAK));
        break;
      case "eot":
        if (this.lastAnswer !== undefined) this.done = true;
        break;
      default:
        break;
    }
  }

  tick(now: number, out: DexOut): void {
    if (this.done || now - this.lastSeen <= this.timing.idleTimeout) return;
    this.done = true;
    if (this.lastBlockIn) {
      this.eotMissing = true;
      return;
    }
    const received = this.blocks.length > 0 ? { received: this.data() } : {};
    out.events.push({
      type: "failed",
      reason: "TIMEOUT",
      detail: `no byte for ${this.timing.idleTimeout} ms`,
      ...received,
    });
  }
}

export { Receiver, Sender };
