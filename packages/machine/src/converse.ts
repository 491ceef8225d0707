import { MachineError } from "./errors.js";
import type { Machine, Step, Units } from "./machine.js";

export interface ConverseOptions {
  /** The time the conversation starts at (both machines are ticked then). Default 0. */
  readonly now?: number;
  /** Stop once this is true (checked after every step). */
  readonly until?: () => boolean;
  /** Stop when the clock would pass this time. Default: 60 s after `now`. */
  readonly limit?: number;
  /** Time a unit takes from one machine to the other (ms). Default 0. */
  readonly latency?: number;
  /**
   * What happens to units on the wire: return what arrives (drop, corrupt or duplicate them).
   * Called once per transmission with the sender's side.
   */
  readonly wire?: (units: Uint8Array | Uint16Array, from: "a" | "b") => ArrayLike<number>;
}

export interface Conversation<EA, EB> {
  readonly a: EA[];
  readonly b: EB[];
  /** The virtual time the conversation stopped at. */
  readonly now: number;
  /** Why it stopped. */
  readonly end: "until" | "finished" | "quiet" | "limit";
}

/** Ticks in a row at one instant that mean a machine does not move its deadline on. */
const STUCK = 1000;

/**
 * Runs two machines back to back on a virtual clock, in memory and deterministically: what one
 * sends the other receives, and the clock jumps to the next deadline or delivery. A whole bus
 * conversation runs in microseconds with no sleeps.
 */
export function converse<EA, EB, U extends Units>(
  a: Machine<EA, U>,
  b: Machine<EB, U>,
  options: ConverseOptions = {},
): Conversation<EA, EB> {
  let now = options.now ?? 0;
  const limit = options.limit ?? now + 60_000;
  const latency = options.latency ?? 0;
  const events = { a: [] as EA[], b: [] as EB[] };
  const deadline: { a: number | undefined; b: number | undefined } = { a: undefined, b: undefined };
  const flights: { to: "a" | "b"; at: number; units: ArrayLike<number> }[] = [];
  const take = (side: "a" | "b", step: Step<EA | EB, U>) => {
    (events[side] as (EA | EB)[]).push(...step.events);
    deadline[side] = step.deadline;
    if (step.send.length > 0) {
      const units = options.wire ? options.wire(step.send, side) : step.send;
      if (units.length > 0) flights.push({ to: side === "a" ? "b" : "a", at: now + latency, units });
    }
  };
  const done = (): Conversation<EA, EB>["end"] | undefined => {
    if (options.until?.()) return "until";
    if (a.finished && b.finished) return "finished";
    return undefined;
  };
  let [stuck, stuckAt, stuckSide] = [0, Number.NaN, ""];
  take("a", a.tick(now));
  take("b", b.tick(now));
  for (;;) {
    const end = done();
    if (end) return { ...events, now, end };
    let next = Number.POSITIVE_INFINITY;
    for (const f of flights) next = Math.min(next, f.at);
    for (const d of [deadline.a, deadline.b]) if (d !== undefined) next = Math.min(next, d);
    if (!Number.isFinite(next)) return { ...events, now, end: "quiet" };
    if (next > limit) return { ...events, now: limit, end: "limit" };
    now = Math.max(now, next);
    const due = flights.findIndex((f) => f.at <= now);
    if (due >= 0) {
      const [f] = flights.splice(due, 1);
      if (f === undefined) continue;
      if (f.to === "a") take("a", a.receive(f.units, now));
      else take("b", b.receive(f.units, now));
      continue;
    }
    const side = deadline.a !== undefined && deadline.a <= now ? "a" : "b";
    stuck = now === stuckAt && side === stuckSide ? stuck + 1 : 0;
    [stuckAt, stuckSide] = [now, side];
    if (stuck > STUCK)
      throw new MachineError(
        "DEADLINE_STUCK",
        `machine ${side} was ticked ${STUCK} times at ${now} and still asks for a tick then`,
      );
    take(side, side === "a" ? a.tick(now) : b.tick(now));
  }
}
