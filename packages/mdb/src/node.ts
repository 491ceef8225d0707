import type { Duplex } from "node:stream";
import { MODE, type PeripheralReply } from "./link.js";
import type { MasterBus } from "./master/bus.js";
import { onLines } from "./transport/lines.js";
import { encodeWords, WordDeframer } from "./transport/mdb9-framing.js";
import { parseReplyLine, QIBIXX, type QibixxConstants, requestLine } from "./transport/qibixx.js";
import {
  approveLine,
  denyLine,
  enableLine,
  parseCashlessLine,
  type QibixxCashlessEvent,
} from "./transport/qibixx-cashless.js";

export { acceptLink, closeLink, Driver, type LinkSpec, openLink } from "@vendkit/machine/node";

/** Lines from a byte stream, as a queue that waits. */
class LineReader {
  private lines: string[] = [];
  private waiters: ((line: string | undefined) => void)[] = [];

  constructor(stream: Duplex) {
    onLines(stream, (line) => {
      const w = this.waiters.shift();
      if (w) w(line);
      else this.lines.push(line);
    });
  }

  next(timeoutMs: number): Promise<string | undefined> {
    const ready = this.lines.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve(undefined);
      }, timeoutMs);
      const done = (line: string | undefined) => {
        clearTimeout(timer);
        resolve(line);
      };
      this.waiters.push(done);
    });
  }
}

/**
 * The bus master's link through a Qibixx MDB-USB / Pi HAT in master mode: each request is one
 * line, each answer one line, turned into a `PeripheralReply` (silence = TIMEOUT).
 */
export class QibixxMasterLink implements MasterBus {
  private readonly lines: LineReader;

  constructor(
    private readonly stream: Duplex,
    private readonly timeoutMs = 200,
    private readonly c: QibixxConstants = QIBIXX,
  ) {
    this.lines = new LineReader(stream);
  }

  /** Asks for the version and switches the adapter to master mode. */
  async start(): Promise<string> {
    this.stream.write(`${this.c.version}\n`);
    const version = (await this.lines.next(this.timeoutMs)) ?? "";
    this.stream.write(`${this.c.masterMode}\n`);
    const mode = await this.lines.next(this.timeoutMs);
    if (mode?.trim() !== this.c.masterModeOk)
      throw new Error(`adapter did not enter master mode: ${mode ?? "no answer"}`);
    return version.trim();
  }

  async request(block: ArrayLike<number>): Promise<PeripheralReply> {
    this.stream.write(requestLine(block, this.c));
    return this.answer();
  }

  /** An MDB bus reset (`R,RESET`): every peripheral on the bus resets. */
  async busReset(): Promise<PeripheralReply> {
    this.stream.write(`${this.c.busReset}\n`);
    return this.answer();
  }

  private async answer(): Promise<PeripheralReply> {
    const line = await this.lines.next(this.timeoutMs);
    if (line === undefined)
      return { kind: "error", code: "TIMEOUT", at: 0, detail: "the adapter did not answer" };
    return parseReplyLine(line, this.c);
  }
}

/** A 9-bit word link through an MCU adapter using the two-byte framing of `mdb9-framing.ts`. */
export class FramedWordLink {
  private readonly deframer = new WordDeframer();
  private listeners: ((word: number) => void)[] = [];
  /** Framing errors seen so far. */
  errors = 0;

  constructor(private readonly stream: Duplex) {
    stream.on("data", (chunk: Buffer) => {
      for (const w of this.deframer.push(chunk)) {
        if (typeof w === "number") for (const l of this.listeners) l(w);
        else this.errors++;
      }
    });
  }

  send(words: ArrayLike<number>): void {
    this.stream.write(Buffer.from(encodeWords(words)));
  }

  onWord(listener: (word: number) => void): void {
    this.listeners.push(listener);
  }

  /** Sends a master block and collects the peripheral's words up to its mode bit. */
  exchange(words: ArrayLike<number>, timeoutMs = 200): Promise<number[]> {
    return new Promise((resolve) => {
      const got: number[] = [];
      const listener = (w: number) => {
        got.push(w);
        if (w & MODE) finish();
      };
      const timer = setTimeout(() => finish(), timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
        resolve(got);
      };
      this.listeners.push(listener);
      this.send(words);
    });
  }
}

/**
 * A host's link to a Qibixx adapter acting as the machine's cashless device: enable it, hear
 * its status and vend requests, approve or deny them.
 */
export class QibixxCashlessLink {
  private readonly lines: LineReader;

  constructor(private readonly stream: Duplex) {
    this.lines = new LineReader(stream);
  }

  /** The adapter's next report, or undefined if none comes within `timeoutMs`. */
  async next(timeoutMs: number): Promise<QibixxCashlessEvent | undefined> {
    for (;;) {
      const line = await this.lines.next(timeoutMs);
      if (line === undefined) return undefined;
      if (line.trim() !== "") return parseCashlessLine(line);
    }
  }

  enable(on = true): void {
    this.stream.write(enableLine(on));
  }

  /** Approves the pending vend for `amount`, decimal text as the adapter shows it ("1.20"). */
  approve(amount: string): void {
    this.stream.write(approveLine(amount));
  }

  deny(): void {
    this.stream.write(denyLine());
  }
}
