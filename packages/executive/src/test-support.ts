import type { Machine } from "@vendkit/machine";
import { Bus } from "./bus.js";
import type { ExecutiveMaster } from "./master.js";
import type { VmcSimulator } from "./simulators.js";

const buses = new WeakMap<ExecutiveMaster, Bus>();

/** The tests' bus between a master and a VMC: one per master, so bytes in flight carry over between runs. */
export function bus(master: ExecutiveMaster, slave: VmcSimulator): Bus {
  let b = buses.get(master);
  if (b === undefined) {
    b = new Bus(master, slave);
    buses.set(master, b);
  }
  return b;
}

/** One byte into a machine, its step with the bytes to send as a plain array (for `toEqual`). */
export function answer<E>(
  machine: Machine<E>,
  byte: number,
  now: number,
): { send: number[]; events: readonly E[] } {
  const step = machine.receive([byte], now);
  return { send: Array.from(step.send), events: step.events };
}

/** `machine`, with every byte it receives shown to `seen` first. */
export function tap<E>(machine: Machine<E>, seen: (byte: number, now: number) => void): Machine<E> {
  return {
    receive: (bytes, now) => {
      for (let i = 0; i < bytes.length; i++) seen(bytes[i] as number, now);
      return machine.receive(bytes, now);
    },
    tick: (now) => machine.tick(now),
  };
}
