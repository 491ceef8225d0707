import type { ExecutiveMaster, MasterEvent } from "./master.js";
import type { SlaveOutput } from "./slave.js";

/** Anything that answers a master's bytes: a slave, a simulator, a bridge's slave side. */
export interface Answerer {
  step(byte: number, now: number): SlaveOutput;
  tick?(now: number): SlaveOutput;
}

/**
 * A master and an answerer wired together in memory, for tests, simulations and benchmarks.
 * Each step is one byte time on the wire (11 bits at 9600 baud ≈ 1.15 ms; `byteMs` to taste):
 * what one side sends the other receives on the next step. Bytes in flight stay in flight
 * between calls to `run`.
 */
export class Bus {
  private toSlave: number[] = [];
  private toMaster: number[] = [];

  constructor(
    readonly master: ExecutiveMaster,
    readonly slave: Answerer,
  ) {}

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
    const take = (o: { send: number[]; events: MasterEvent[] }, now: number) => {
      all.push(...o.events);
      onEvents(o.events, now);
      this.toSlave.push(...o.send);
    };
    for (let now = from; now <= from + ms; now += byteMs) {
      const arriving = this.toMaster;
      this.toMaster = [];
      for (const byte of arriving) take(this.master.step({ kind: "byte", byte }, now), now);
      take(this.master.step({ kind: "tick" }, now), now);
      const sending = this.toSlave;
      this.toSlave = [];
      for (const byte of sending) this.toMaster.push(...this.slave.step(byte, now).send);
      if (this.slave.tick) this.toMaster.push(...this.slave.tick(now).send);
    }
    return all;
  }
}
