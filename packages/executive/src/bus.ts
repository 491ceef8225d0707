import { type Machine, Wiring } from "@vendkit/machine";
import type { ExecutiveMaster, MasterEvent } from "./master.js";

/**
 * A master and the machine that answers it (a slave, a simulator, a bridge's changer port) wired
 * together in memory, for tests, simulations and benchmarks: a `Wiring` of one pair whose master
 * events are collected. Each step is one byte time on the wire (11 bits at 9600 baud ≈ 1.15 ms;
 * `byteMs` to taste): the slave hears the master on the same step, the master the answer on the
 * next. Bytes in flight stay in flight between calls to `run`.
 */
export class Bus {
  private readonly wiring: Wiring;
  private seen: (events: readonly MasterEvent[], now: number) => void = () => {};

  constructor(
    readonly master: ExecutiveMaster,
    readonly slave: Machine<unknown>,
  ) {
    this.wiring = new Wiring([[master, slave]]).on(master, (events, now) => this.seen(events, now));
  }

  /**
   * Runs from `from` for `ms` milliseconds. `onEvents` sees the master's events as they happen
   * (to approve or deny a vend request; its decisions go out on the same step). Returns every
   * master event.
   */
  run(
    from: number,
    ms: number,
    onEvents: (events: readonly MasterEvent[], now: number) => void = () => {},
    byteMs = 1,
  ): MasterEvent[] {
    const all: MasterEvent[] = [];
    this.seen = (events, now) => {
      all.push(...events);
      onEvents(events, now);
    };
    this.wiring.run(from, ms, { stepMs: byteMs });
    return all;
  }
}
