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
