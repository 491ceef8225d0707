import type { Machine, Step } from "@vendkit/machine";
import {
  CommandDecoder,
  DEFAULT_TIMING,
  encodePeripheralResponse,
  type MasterFrame,
  type MdbTiming,
} from "./link.js";

/** What a peripheral's port asks of the device behind it. */
export interface PortDevice<E> {
  /** Whether the port answers this address byte (its upper five bits). */
  accepts(addressByte: number): boolean;
  /**
   * A command block (address byte first, CHK checked and removed): the reply's data (empty for a
   * bare ACK) or undefined for silence, and what the device reports.
   */
  answer(
    block: Uint8Array,
    now: number,
  ): { readonly reply: Uint8Array | undefined; readonly events: readonly E[] };
  /** The master ACKed the last reply's data. */
  acked?(): void;
  /** A damaged or unexpected frame from the master, as one of the device's events (or none). */
  refused?(detail: string): E | undefined;
  /** How long a block for the command in `bytes` is (CHK excluded), once it can tell. */
  length?(bytes: readonly number[]): number | undefined;
}

const NO_WORDS = new Uint16Array(0);

/**
 * The peripheral's side of the MDB link as a machine (docs/machines.md) in 9-bit words: the
 * master's words in, blocks cut by their length rule (or, when it is not known, by `interByte` of
 * silence: the step's deadline), each answered with the device's reply and its checksum; a RET
 * repeats the last reply, an ACK is passed on. One port can serve several devices on the bus.
 */
export class PeripheralPort<E> implements Machine<E, Uint16Array> {
  private readonly decoder: CommandDecoder;
  private last: Uint16Array = NO_WORDS;

  constructor(
    private readonly device: PortDevice<E>,
    timing: MdbTiming = DEFAULT_TIMING,
  ) {
    this.decoder = new CommandDecoder(
      (b) => device.accepts(b),
      (bytes) => device.length?.(bytes),
      timing,
    );
  }

  receive(words: ArrayLike<number>, now: number): Step<E, Uint16Array> {
    const events: E[] = [];
    let send: Uint16Array = NO_WORDS;
    for (let i = 0; i < words.length; i++) {
      const frames = this.decoder.feed(words[i] as number, now);
      if (frames.length > 0) send = this.handle(frames, now, events) ?? send;
    }
    return { send, events, deadline: this.decoder.due };
  }

  tick(now: number): Step<E, Uint16Array> {
    const events: E[] = [];
    const send = this.handle(this.decoder.expire(now), now, events) ?? NO_WORDS;
    return { send, events, deadline: this.decoder.due };
  }

  private handle(frames: readonly MasterFrame[], now: number, events: E[]): Uint16Array | undefined {
    let send: Uint16Array | undefined;
    for (const frame of frames) {
      if (frame.kind === "block") {
        const a = this.device.answer(frame.bytes, now);
        events.push(...a.events);
        if (a.reply === undefined) continue;
        this.last = encodePeripheralResponse(a.reply);
        send = this.last;
        this.decoder.replied();
      } else if (frame.kind === "ack") {
        this.last = NO_WORDS;
        this.device.acked?.();
      } else if (frame.kind === "ret") {
        send = this.last;
        this.decoder.replied();
      } else if (frame.kind === "error") {
        const e = this.device.refused?.(`${frame.code}: ${frame.detail}`);
        if (e !== undefined) events.push(e);
      }
    }
    return send;
  }
}
