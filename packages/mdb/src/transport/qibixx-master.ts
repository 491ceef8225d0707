import type { Duplex } from "node:stream";
import type { PeripheralReply } from "../link.js";
import {
  parseReplyLine,
  parseRequestLine,
  QIBIXX,
  type QibixxConstants,
  replyLine,
  requestLine,
} from "./qibixx.js";

/** A bus the master's drivers talk over: one block out, the peripheral's reply back. */
export interface MasterBus {
  exchange(block: Uint8Array): Promise<PeripheralReply>;
}

/** A peripheral that answers a block (address first, CHK removed): data, empty for ACK, undefined for silence. */
export interface BlockPeripheral {
  handleBlock(block: Uint8Array): Uint8Array | undefined;
}

/** Reads a stream's text as lines, either ending (CR LF or LF). */
class Lines {
  private buffer = "";
  private readonly waiting: ((line: string) => void)[] = [];
  private readonly ready: string[] = [];

  constructor(stream: Duplex) {
    stream.on("data", (chunk: Buffer) => {
      this.buffer += chunk.toString("latin1");
      for (let i = this.buffer.indexOf("\n"); i >= 0; i = this.buffer.indexOf("\n")) {
        const line = this.buffer.slice(0, i).replace(/\r$/, "");
        this.buffer = this.buffer.slice(i + 1);
        const take = this.waiting.shift();
        if (take) take(line);
        else this.ready.push(line);
      }
    });
  }

  /** The next line, or undefined after `timeoutMs`. */
  next(timeoutMs: number): Promise<string | undefined> {
    const line = this.ready.shift();
    if (line !== undefined) return Promise.resolve(line);
    return new Promise((resolve) => {
      const take = (l: string) => {
        clearTimeout(timer);
        resolve(l);
      };
      const timer = setTimeout(() => {
        const i = this.waiting.indexOf(take);
        if (i >= 0) this.waiting.splice(i, 1);
        resolve(undefined);
      }, timeoutMs);
      this.waiting.push(take);
    });
  }
}

/**
 * A Qibixx MDB adapter in master mode on a serial line: the host is the bus master of coin
 * changers and bill validators (`M,1`, then one `R,...` request per block, answered with one
 * line). Exchanges run one at a time, in call order. A line that does not come within
 * `timeoutMs` is a TIMEOUT reply, as silence on the bus would be.
 */
export class QibixxMasterLink implements MasterBus {
  private readonly lines: Lines;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly stream: Duplex,
    private readonly timeoutMs = 500,
    private readonly c: QibixxConstants = QIBIXX,
  ) {
    this.lines = new Lines(stream);
  }

  /** Puts the adapter in master mode; rejects when it does not say so. */
  async open(): Promise<void> {
    this.stream.write(`${this.c.masterMode}\n`);
    const answer = await this.lines.next(this.timeoutMs * 4);
    if (answer?.trim() !== this.c.masterModeOk)
      throw new Error(
        `the adapter did not enter master mode (it said ${JSON.stringify(answer ?? "nothing")})`,
      );
  }

  exchange(block: Uint8Array): Promise<PeripheralReply> {
    const run = this.chain.then(async (): Promise<PeripheralReply> => {
      this.stream.write(requestLine(block, this.c));
      const line = await this.lines.next(this.timeoutMs);
      if (line === undefined)
        return { kind: "error", code: "TIMEOUT", at: 0, detail: "the adapter did not answer" };
      return parseReplyLine(line, this.c);
    });
    this.chain = run.catch(() => undefined);
    return run;
  }
}

/**
 * A Qibixx adapter in master mode, emulated, with `peripherals` on its bus by address (0x08 coin
 * changer, 0x30 bill validator...): our stand-in for the hardware when the reader's own cash
 * devices are tested over a serial line.
 */
export class QibixxMasterEmulator {
  private readonly lines: Lines;
  private closed = false;

  constructor(
    private readonly stream: Duplex,
    private readonly peripherals: ReadonlyMap<number, BlockPeripheral>,
    private readonly c: QibixxConstants = QIBIXX,
  ) {
    this.lines = new Lines(stream);
    void this.serve();
  }

  close(): void {
    this.closed = true;
  }

  private async serve(): Promise<void> {
    while (!this.closed) {
      const line = await this.lines.next(100);
      if (line === undefined) continue;
      if (line.trim() === this.c.masterMode) {
        this.stream.write(`${this.c.masterModeOk}${this.c.lineEnd}`);
        continue;
      }
      const block = parseRequestLine(line, this.c);
      if (block === undefined) continue;
      if (block === "bus-reset") {
        this.stream.write(replyLine("ack", "p,", this.c));
        continue;
      }
      const device = this.peripherals.get((block[0] ?? 0) & 0xf8);
      const answer = device?.handleBlock(block);
      this.stream.write(
        replyLine(answer === undefined ? "nack" : answer.length === 0 ? "ack" : answer, "p,", this.c),
      );
    }
  }
}
