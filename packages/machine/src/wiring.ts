import type { Machine, Step, Units } from "./machine.js";

/** A machine of any event type, as a `Wiring` holds them. */
// biome-ignore lint/suspicious/noExplicitAny: a wiring holds machines of any event type
export type AnyMachine = Machine<any, Units>;

/**
 * Machines wired in pairs on a fixed-step clock, in memory: the simulations of a whole bus (a
 * changer, a reader and a VMC on two lines) that step the way the line does, one byte time at a
 * time. Each step, every machine in turn (in the order they first appear in `pairs`) receives
 * what was sent to it since its last turn, then is ticked; so a machine hears what an earlier
 * machine sent on the same step, and a later machine's answer on the next. A hook sees a
 * machine's events on the step they happen, and what its commands cause (an approve) goes out on
 * that step. Bytes in flight stay in flight between runs.
 */
export class Wiring {
  private readonly order: AnyMachine[] = [];
  private readonly peer = new Map<AnyMachine, AnyMachine>();
  private readonly inbox = new Map<AnyMachine, number[]>();
  private readonly hooks = new Map<AnyMachine, (events: readonly unknown[], now: number) => void>();

  constructor(pairs: readonly (readonly [AnyMachine, AnyMachine])[]) {
    for (const [a, b] of pairs) {
      for (const m of [a, b]) {
        if (this.inbox.has(m)) throw new RangeError("a machine is wired to one peer only");
        this.order.push(m);
        this.inbox.set(m, []);
      }
      this.peer.set(a, b);
      this.peer.set(b, a);
    }
  }

  /** `hook` sees `machine`'s events as they happen. */
  on<E>(machine: Machine<E, Units>, hook: (events: readonly E[], now: number) => void): this {
    this.hooks.set(machine, hook as (events: readonly unknown[], now: number) => void);
    return this;
  }

  /**
   * Steps `stepMs` apart (default 1) from `from` for `ms` (both ends included), or until `until`
   * holds after a step. Returns the next step's time.
   */
  run(from: number, ms: number, options: { until?: () => boolean; stepMs?: number } = {}): number {
    const stepMs = options.stepMs ?? 1;
    let now = from;
    for (; now <= from + ms; now += stepMs) {
      for (const m of this.order) {
        const inbox = this.inbox.get(m) as number[];
        if (inbox.length > 0) this.take(m, m.receive(inbox.splice(0), now), now);
        this.take(m, m.tick(now), now);
      }
      if (options.until?.()) return now + stepMs;
    }
    return now;
  }

  private take(m: AnyMachine, step: Step<unknown, Units>, now: number): void {
    const out = this.inbox.get(this.peer.get(m) as AnyMachine) as number[];
    for (let i = 0; i < step.send.length; i++) out.push(step.send[i] as number);
    const hook = this.hooks.get(m);
    if (hook === undefined || step.events.length === 0) return;
    hook(step.events, now);
    this.take(m, m.tick(now), now);
  }
}
