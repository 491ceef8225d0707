/**
 * The one shape of every vendkit protocol machine (docs/machines.md). A machine is sans-I/O: it
 * never reads a clock, sets a timer or touches a port. Input is what arrived on the line (bytes,
 * or 9-bit words on MDB) with the time it arrived, and `tick(now)` for time passing; each call
 * answers with what to send, the typed events it caused and the next deadline. Commands from the
 * application (approve a vend, show a credit, start a session) are methods of the machine that
 * only change its state; whatever they cause comes out of the next `tick`.
 */

/** What goes on the line: bytes, or MDB's 9-bit words (bit 8 the mode bit). */
export type Units = Uint8Array | Uint16Array;

export interface Step<E, U extends Units = Uint8Array> {
  /** To transmit now, in order. Read it or copy it: it may be shared, never change it in place. */
  readonly send: U;
  readonly events: readonly E[];
  /**
   * When `tick` must next be called (same clock as `now`); undefined when only input can move the
   * machine on. A machine ticked at or after its deadline moves it on: a deadline never repeats.
   */
  readonly deadline: number | undefined;
}

export interface Machine<E, U extends Units = Uint8Array> {
  /** Units that arrived at `now`, in order (one call may carry any number of them). */
  receive(input: ArrayLike<number>, now: number): Step<E, U>;
  /** Time has passed: `now` is the current time. Harmless when nothing is due. */
  tick(now: number): Step<E, U>;
  /** A session machine sets this once it has nothing more to do; a bus machine never does. */
  readonly finished?: boolean;
}

/** No bytes: one shared empty array (it has no element to change), so a quiet step allocates none. */
export const NO_BYTES: Uint8Array = new Uint8Array(0);

/** A step with nothing to send, no events and no deadline. */
export const IDLE: Step<never, Uint8Array> = Object.freeze({
  send: NO_BYTES,
  events: [],
  deadline: undefined,
});

/** One array per byte value, shared: a machine that answers byte by byte allocates nothing. */
const SINGLE: readonly Uint8Array[] = Array.from({ length: 256 }, (_, b) => Uint8Array.of(b));

/**
 * Bytes collected in a plain array as what a step sends. The common cases (nothing, one byte)
 * take shared arrays: a step's bytes are to be read (or copied), never changed in place.
 */
export function bytesOf(units: readonly number[]): Uint8Array {
  if (units.length === 0) return NO_BYTES;
  if (units.length === 1) return SINGLE[(units[0] as number) & 0xff] as Uint8Array;
  return Uint8Array.from(units);
}

/**
 * What a machine collects while it handles one input: units to send and events. Machines build
 * their steps with it so every step has the same make.
 */
export class Outbox<E> {
  private readonly units: number[] = [];
  readonly events: E[] = [];

  /** Queues units to send. */
  send(units: ArrayLike<number>): void {
    for (let i = 0; i < units.length; i++) this.units.push(units[i] as number);
  }

  emit(event: E): void {
    this.events.push(event);
  }

  get sending(): number {
    return this.units.length;
  }

  bytes(deadline: number | undefined): Step<E, Uint8Array> {
    return { send: bytesOf(this.units), events: this.events, deadline };
  }

  words(deadline: number | undefined): Step<E, Uint16Array> {
    return { send: Uint16Array.from(this.units), events: this.events, deadline };
  }
}

/** The earlier of two deadlines; undefined means none. */
export function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

/** Infinity (a timer that is off) as "no deadline". */
export const deadlineOf = (t: number): number | undefined => (Number.isFinite(t) ? t : undefined);

/** Frames queued one by one, as the one run of bytes a step sends. */
export function joinBytes(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 0) return NO_BYTES;
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  let length = 0;
  for (const c of chunks) length += c.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
