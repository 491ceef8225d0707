import { converse, type Machine } from "@vendkit/machine";
import { ADDRESSES } from "../link.js";
import { type BlockPeripheral, PeripheralBus } from "./bus.js";
import { CoinChangerMaster } from "./coin-changer.js";

/** The line to each simulator, kept across runs (as the bus is). */
const lines = new WeakMap<BlockPeripheral, PeripheralBus>();

/**
 * Runs a master driver against a simulated peripheral (at the changer's or the validator's
 * address, as the driver is) for `ms` milliseconds of bus time, on a virtual clock; returns the
 * driver's events.
 */
export function runMaster<E>(
  master: Machine<E, Uint16Array>,
  device: BlockPeripheral,
  from: number,
  ms: number,
): E[] {
  let line = lines.get(device);
  if (line === undefined) {
    const address = master instanceof CoinChangerMaster ? ADDRESSES.changer : ADDRESSES.billValidator;
    line = new PeripheralBus(new Map([[address, device]]));
    lines.set(device, line);
  }
  return converse(master, line, { now: from, limit: from + ms - 1 }).a;
}
