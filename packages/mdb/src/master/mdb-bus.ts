import { earliest, type Machine, type Step } from "@vendkit/machine";
import type { DeviceMaster } from "./device-master.js";

/** An event of one of the drivers: `device` is its place in the bus's `drivers`. */
export interface BusEvent<E> {
  readonly device: number;
  readonly event: E;
}

/**
 * One MDB bus master driving several peripherals on one line (a coin changer and a bill
 * validator): a machine (docs/machines.md) made of the drivers, which take turns. A driver whose
 * block waits for its reply has the line: the words that arrive are its, and the others wait;
 * with the line free the drivers are ticked in turn from the one after the last to send, until
 * one sends. Each event says which driver gave it.
 */
export class MdbBus<E extends { readonly type: string }> implements Machine<BusEvent<E>, Uint16Array> {
  private current: DeviceMaster<E> | undefined;
  private turn = 0;
  private readonly deadlines: (number | undefined)[];

  constructor(readonly drivers: readonly DeviceMaster<E>[]) {
    this.deadlines = drivers.map(() => undefined);
  }

  receive(words: ArrayLike<number>, now: number): Step<BusEvent<E>, Uint16Array> {
    const d = this.current;
    if (d === undefined) return { send: new Uint16Array(0), events: [], deadline: this.deadline() };
    const events: BusEvent<E>[] = [];
    const step = this.note(d, d.receive(words, now), events);
    if (d.idle) this.current = undefined;
    return { send: step.send, events, deadline: this.deadline() };
  }

  tick(now: number): Step<BusEvent<E>, Uint16Array> {
    const events: BusEvent<E>[] = [];
    const busy = this.current;
    if (busy !== undefined) {
      const step = this.note(busy, busy.tick(now), events);
      if (!busy.idle) return { send: step.send, events, deadline: this.deadline() };
      this.current = undefined;
      if (step.send.length > 0) return { send: step.send, events, deadline: this.deadline() };
    }
    for (let k = 0; k < this.drivers.length; k++) {
      const i = (this.turn + k) % this.drivers.length;
      const d = this.drivers[i] as DeviceMaster<E>;
      const step = this.note(d, d.tick(now), events);
      if (step.send.length > 0) {
        this.turn = i + 1;
        if (!d.idle) this.current = d;
        return { send: step.send, events, deadline: this.deadline() };
      }
    }
    return { send: new Uint16Array(0), events, deadline: this.deadline() };
  }

  /** Keeps the driver's deadline and its events, marked as its. */
  private note(d: DeviceMaster<E>, step: Step<E, Uint16Array>, events: BusEvent<E>[]): Step<E, Uint16Array> {
    const device = this.drivers.indexOf(d);
    this.deadlines[device] = step.deadline;
    for (const event of step.events) events.push({ device, event });
    return step;
  }

  /** The busy driver's deadline while it has the line; else the earliest of all. */
  private deadline(): number | undefined {
    if (this.current !== undefined) return this.deadlines[this.drivers.indexOf(this.current)];
    let t: number | undefined;
    for (const d of this.deadlines) t = earliest(t, d);
    return t;
  }
}
