/**
 * What every fuzz target shares: a reader over the fuzzer's bytes, the one way a target reports a
 * finding, the check that only a package's typed errors escape, and a driver that feeds any
 * machine (docs/machines.md) units, time and commands from those bytes while it checks the
 * machine's deadline rules.
 */
import type { Machine, Step, Units } from "@vendkit/machine";

/** A target's verdict on an input: an invariant broke. Anything else thrown is a crash. */
export class FuzzFinding extends Error {
  override readonly name = "FuzzFinding";
}

export function finding(message: string, cause?: unknown): never {
  throw new FuzzFinding(message, cause === undefined ? undefined : { cause });
}

/** The fuzzer's bytes, read front to back; past the end every read is 0 and `done` is true. */
export class Input {
  private at = 0;
  constructor(private readonly data: Uint8Array) {}

  get done(): boolean {
    return this.at >= this.data.length;
  }

  get left(): number {
    return Math.max(0, this.data.length - this.at);
  }

  u8(): number {
    const b = this.at < this.data.length ? (this.data[this.at] as number) : 0;
    this.at++;
    return b;
  }

  u16(): number {
    return (this.u8() << 8) | this.u8();
  }

  u32(): number {
    return ((this.u16() << 16) | this.u16()) >>> 0;
  }

  /** Up to `n` bytes (fewer at the end): a view, not a copy. */
  bytes(n: number): Uint8Array {
    const from = Math.min(this.at, this.data.length);
    this.at = from + n;
    return this.data.subarray(from, Math.min(this.at, this.data.length));
  }

  /** What is left. */
  rest(): Uint8Array {
    return this.bytes(this.left);
  }
}

/** An error class whose instances carry a stable string `code`. */
type Typed = abstract new (...args: never[]) => Error & { readonly code: string };

/** Whether `e` is one of the given typed errors, with its stable code. */
export function isTyped(e: unknown, classes: readonly Typed[]): boolean {
  return classes.some((c) => e instanceof c) && typeof (e as { code?: unknown }).code === "string";
}

/**
 * Runs `fn`; a typed error of `classes` is the package answering bad input and gives undefined,
 * anything else thrown is a finding (what a caller of the package could not have caught by type).
 */
export function typedOnly<T>(what: string, classes: readonly Typed[], fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (e instanceof FuzzFinding) throw e;
    if (isTyped(e, classes)) return undefined;
    return finding(
      `${what} threw ${describe(e)}: only ${classes.map((c) => c.name).join(", ")} may escape`,
      e,
    );
  }
}

/** Runs `fn`; anything thrown is a finding (bytes off a line never throw, docs/machines.md rule 5). */
export function never<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof FuzzFinding) throw e;
    return finding(`${what} threw ${describe(e)}`, e);
  }
}

export function describe(e: unknown): string {
  if (e instanceof Error) return `${e.name}${"code" in e ? ` ${String(e.code)}` : ""}: ${e.message}`;
  return `a non-error ${typeof e} (${String(e)})`;
}

/** How a machine target reads units and which application commands it may call. */
export interface MachineSpec<M extends Machine<unknown, U>, U extends Units> {
  /** 8 for byte machines, 9 for MDB's words. */
  readonly bits: 8 | 9;
  /**
   * A well-formed frame around fuzzer bytes (a checksum or CRC added), so the search reaches past
   * the frame check; the raw units stay in the mix for everything a frame check must refuse.
   */
  readonly frame?: (payload: Uint8Array, input: Input) => ArrayLike<number>;
  /** Application commands, chosen by the fuzzer; `commandErrors` may escape them. */
  readonly commands?: readonly ((m: M, input: Input) => void)[];
  readonly commandErrors?: readonly Typed[];
  /** Sees the units the machine receives, and when, before it does. */
  readonly received?: (units: ArrayLike<number>, now: number) => void;
  /** A target's own check after every step. */
  readonly check?: (m: M, step: Step<unknown, U>, now: number) => void;
  /**
   * How long (virtual ms) the clock runs on after the input: long enough for a session machine's
   * timers to end it (default 1,000: a bus machine polls forever).
   */
  readonly runOut?: number;
  /** A target's own check once the input is over and the clock has run out. */
  readonly end?: (m: M) => void;
}

/** Milliseconds between inputs, chosen by the fuzzer: back to back, within a byte time, late. */
const DELAYS = [0, 0, 1, 2, 5, 20, 200, 3000] as const;

/** A session's longest chain of timers (link time-outs, retries, lingering) fits in this. */
export const SESSION_RUN_OUT = 300_000;

/** Ticks in a row answered with a deadline already past that mean a machine is stuck. */
const STALE = 64;

/** The most ticks the clock is run on for after the input ends. */
const RUN_OUT_TICKS = 20_000;

/**
 * Feeds machine `m` the fuzzer's bytes as a schedule of units, frames, clock ticks and commands,
 * then runs its clock on. Checks, on every step: nothing thrown by `receive` or `tick`; units in
 * range; a deadline that is a finite number or undefined; a machine ticked at or after its
 * deadline moves the deadline on (it never repeats, docs/machines.md rule 3); and a deadline
 * already past (a timer that ran out while another was served) is served within a few ticks, so
 * the machine can never hang a driver.
 */
export function driveMachine<M extends Machine<unknown, U>, U extends Units>(
  m: M,
  spec: MachineSpec<M, U>,
  data: Uint8Array,
): void {
  const input = new Input(data);
  const max = spec.bits === 9 ? 0x1ff : 0xff;
  let now = 0;
  let deadline: number | undefined;
  let stale = 0;
  const take = (step: Step<unknown, U>, tickedAt: number | undefined) => {
    const { send, events } = step;
    if (!(send instanceof (spec.bits === 9 ? Uint16Array : Uint8Array)))
      finding(`a step sent ${Object.prototype.toString.call(send)}, not ${spec.bits}-bit units`);
    for (let i = 0; i < send.length; i++)
      if ((send[i] as number) > max) finding(`a step sent unit ${send[i]} above ${max}`);
    if (!Array.isArray(events)) finding("a step's events are not an array");
    const next = step.deadline;
    if (next !== undefined && (typeof next !== "number" || !Number.isFinite(next)))
      finding(`deadline ${String(next)} is neither a finite time nor undefined`);
    if (tickedAt !== undefined && deadline !== undefined && tickedAt >= deadline && next === deadline)
      finding(`ticked at ${tickedAt}, at or after its deadline ${deadline}, it asked for ${next} again`);
    // a deadline already past asks for a tick at once; one that stays past does not move on
    stale = tickedAt !== undefined && next !== undefined && next <= tickedAt ? stale + 1 : 0;
    if (stale > STALE)
      finding(`ticked ${STALE} times at ${tickedAt}, it still asks for a tick at or before then (${next})`);
    deadline = next;
    spec.check?.(m, step, now);
  };
  const receive = (units: ArrayLike<number>) => {
    spec.received?.(units, now);
    take(
      never("receive", () => m.receive(units, now)),
      undefined,
    );
  };
  const tick = () => {
    const at = now;
    take(
      never("tick", () => m.tick(at)),
      at,
    );
  };
  tick();
  const commands = spec.commands ?? [];
  while (!input.done) {
    const op = input.u8();
    if (op < 0x80) {
      now += DELAYS[(op >> 4) & 7] as number;
      const n = (op & 0x0f) + 1;
      const units: number[] = [];
      for (let i = 0; i < n; i++) units.push(spec.bits === 9 ? input.u16() & 0x1ff : input.u8());
      receive(units);
    } else if (op < 0xa0 && spec.frame) {
      now += 1;
      const frame = spec.frame(input.bytes(op & 0x1f), input);
      receive(frame);
    } else if (op < 0xe0 || commands.length === 0) {
      if (op < 0xc0 && deadline !== undefined) now = Math.max(now, deadline);
      else now += (op & 0x1f) * 37;
      tick();
    } else {
      const command = commands[(op & 0x1f) % commands.length] as (m: M, input: Input) => void;
      typedOnly("a command", spec.commandErrors ?? [], () => command(m, input));
      tick();
    }
  }
  const until = now + (spec.runOut ?? 1000);
  for (let i = 0; i < RUN_OUT_TICKS && deadline !== undefined && deadline <= until; i++) {
    now = Math.max(now, deadline);
    tick();
  }
  spec.end?.(m);
}

/** A session machine whose peer fell silent must end by its own timers, not wait forever. */
export function endsAlone(m: { readonly finished?: boolean }): void {
  if (m.finished !== true) finding("the peer fell silent and the session did not end by its timers");
}
