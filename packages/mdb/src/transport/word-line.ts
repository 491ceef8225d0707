import type { Duplex } from "node:stream";
import { MODE } from "../link.js";
import { encodeWords, WordDeframer } from "./mdb9-framing.js";

/**
 * A scripted end of a 9-bit word line over a stream with the two-byte framing of
 * `mdb9-framing.ts`: a test stands in for a VMC with it (send words, wait for the reply up to its
 * mode bit). A test double; a product runs its machine with `Driver` and `mdb9Codec`.
 */
export class FramedWordLink {
  private readonly deframer = new WordDeframer();
  private listeners: ((word: number) => void)[] = [];
  /** Framing errors seen so far. */
  errors = 0;

  constructor(private readonly stream: Duplex) {
    stream.on("data", (chunk: Uint8Array) => {
      for (const w of this.deframer.push(chunk)) {
        if (typeof w === "number") for (const l of this.listeners) l(w);
        else this.errors++;
      }
    });
  }

  send(words: ArrayLike<number>): void {
    this.stream.write(encodeWords(words));
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
