import type { Duplex } from "node:stream";
import type { UnitCodec } from "@vendkit/machine/node";
import { checksum, DEFAULT_TIMING, type MdbTiming, MODE, NAK } from "./link.js";
import { onLines } from "./transport/lines.js";
import { encodeWords, WordDeframer } from "./transport/mdb9-framing.js";
import { parseReplyLine, QIBIXX, type QibixxConstants, requestLine } from "./transport/qibixx.js";

export { acceptLink, closeLink, Driver, type LinkSpec, openLink } from "@vendkit/machine/node";

/** Lines from a byte stream, as a queue that waits. */
class LineReader {
  private lines: string[] = [];
  private waiters: ((line: string | undefined) => void)[] = [];
  /** Stops reading the stream. */
  readonly close: () => void;

  constructor(stream: Duplex) {
    this.close = onLines(stream, (line) => {
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
 * The words of any MDB machine over an MCU adapter's two-byte framing (`mdb9-framing.ts`), as a
 * codec for `Driver`: `new Driver(reader, port, { codec: mdb9Codec() })`. Framing errors (a
 * byte lost or added on the serial line) are counted in `errors` and dropped; the deframer
 * finds the next word by itself.
 */
export function mdb9Codec(): UnitCodec & { readonly errors: number } {
  const deframer = new WordDeframer();
  let errors = 0;
  return {
    get errors() {
      return errors;
    },
    decode(chunk) {
      const words: number[] = [];
      for (const w of deframer.push(chunk)) {
        if (typeof w === "number") words.push(w);
        else errors++;
      }
      return words;
    },
    encode: (words) => encodeWords(words),
  };
}

/**
 * A master's response time through a Qibixx adapter: the adapter times the peripheral itself and
 * answers over USB, so its line comes well after MDB's 5 ms (the adapter's own time-out, then
 * USB). Drive masters through `qibixxMasterCodec` with this timing.
 */
export const QIBIXX_TIMING: MdbTiming = { ...DEFAULT_TIMING, response: 200, interByte: 200 };

/**
 * A bus master's words through a Qibixx MDB-USB / Pi HAT in master mode, as a codec for `Driver`:
 * each block the master sends becomes one `R,...` line (the adapter adds the mode bit and CHK
 * and ACKs data itself, so the master's ACK words are not sent), and each answer line becomes
 * the peripheral's words again: `ACK` the ACK word, data with its checksum and the mode bit on
 * the last, `NACK` (the peripheral did not answer) nothing, which the master times out on. Call
 * `startQibixxMaster` first.
 */
export function qibixxMasterCodec(c: QibixxConstants = QIBIXX): UnitCodec {
  let text = "";
  const encoder = new TextEncoder();
  return {
    encode(words) {
      if (words.length < 2 || ((words[0] as number) & MODE) === 0) return new Uint8Array(0);
      const block = Array.from({ length: words.length - 1 }, (_, i) => (words[i] as number) & 0xff);
      return encoder.encode(requestLine(block, c));
    },
    decode(chunk) {
      text += new TextDecoder("latin1").decode(chunk);
      const words: number[] = [];
      for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n")) {
        const line = text.slice(0, nl).replace(/\r$/, "");
        text = text.slice(nl + 1);
        if (line.trim() === "") continue;
        const r = parseReplyLine(line, c);
        if (r.kind === "ack") words.push(MODE);
        else if (r.kind === "nak") words.push(MODE | NAK);
        else if (r.kind === "data") {
          for (const b of r.bytes) words.push(b);
          words.push(MODE | checksum(r.bytes));
        }
      }
      return words;
    },
  };
}

/** Asks a Qibixx adapter for its version and switches it to master mode; returns the version. */
export async function startQibixxMaster(
  stream: Duplex,
  c: QibixxConstants = QIBIXX,
  timeoutMs = 500,
): Promise<string> {
  const lines = new LineReader(stream);
  try {
    stream.write(`${c.version}\n`);
    const version = (await lines.next(timeoutMs)) ?? "";
    stream.write(`${c.masterMode}\n`);
    const mode = await lines.next(timeoutMs);
    if (mode?.trim() !== c.masterModeOk)
      throw new Error(`adapter did not enter master mode: ${mode ?? "no answer"}`);
    return version.trim();
  } finally {
    lines.close();
  }
}

/** An MDB bus reset through a Qibixx adapter in master mode (`R,RESET`: the line held active). */
export function resetQibixxBus(stream: Duplex, c: QibixxConstants = QIBIXX): void {
  stream.write(`${c.busReset}\n`);
}
