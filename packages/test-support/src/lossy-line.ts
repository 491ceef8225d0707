import fc from "fast-check";

/** What an in-memory line does to one chunk of bytes on its way. */
export interface Fault {
  readonly drop: boolean;
  /** Bit to flip, counted over the chunk (wrapped to its length). */
  readonly flip: number | undefined;
  readonly duplicate: boolean;
  /** Ticks before the chunk arrives. */
  readonly delay: number;
}

export const CLEAN: Fault = { drop: false, flip: undefined, duplicate: false, delay: 1 };

/** Any fault, delays from 1 to `maxDelay` ticks. */
export const faultArb = (maxDelay: number): fc.Arbitrary<Fault> =>
  fc.record({
    drop: fc.boolean(),
    flip: fc.option(fc.nat(4000), { nil: undefined }),
    duplicate: fc.boolean(),
    delay: fc.integer({ min: 1, max: maxDelay }),
  });

/**
 * A line between two ends of a link that drops, corrupts, duplicates and delays chunks as
 * `faults` says for the n-th chunk sent. A duplicate arrives `duplicateGap` ticks after the first.
 */
export class LossyLine<End extends string> {
  private readonly inFlight: { at: number; to: End; bytes: Uint8Array }[] = [];
  private chunks = 0;

  constructor(
    private readonly faults: (n: number, bytes: Uint8Array) => Fault = () => CLEAN,
    private readonly duplicateGap = 1,
  ) {}

  /** What one step of a machine sends (nothing when it is empty). */
  send(bytes: Uint8Array, to: End, now: number): void {
    if (bytes.length > 0) {
      const f = this.faults(this.chunks++, bytes);
      if (f.drop) return;
      const copy = Uint8Array.from(bytes);
      if (f.flip !== undefined && copy.length > 0)
        copy[f.flip % copy.length] = (copy[f.flip % copy.length] as number) ^ (1 << (f.flip % 8));
      this.inFlight.push({ at: now + f.delay, to, bytes: copy });
      if (f.duplicate) this.inFlight.push({ at: now + f.delay + this.duplicateGap, to, bytes: copy });
    }
  }

  /** Takes the chunks that have arrived by `now`, in the order they were sent. */
  arrived(now: number): { to: End; bytes: Uint8Array }[] {
    const due = this.inFlight.filter((m) => m.at <= now);
    for (const m of due) this.inFlight.splice(this.inFlight.indexOf(m), 1);
    return due;
  }

  get empty(): boolean {
    return this.inFlight.length === 0;
  }
}
