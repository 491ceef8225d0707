import type { Device, Reading } from "./model.js";
import { usageBetween } from "./usage.js";

export interface ConsumableCheck {
  readonly consumable: string;
  /** Level drop the counters predict from the rated yield, in percentage points. */
  readonly expectedDrop: number;
  /** Level drop the customer reported (a refill counts as a new full unit). */
  readonly reportedDrop: number;
  readonly replaced: boolean;
  readonly finding: "ok" | "over-consumption" | "under-consumption";
}

/**
 * Compares the consumables' reported level drop with what the counters predict (units used ÷
 * rated yield). A level that rose is taken as a replaced unit. A difference beyond `tolerance`
 * percentage points is flagged: more used than printed (waste, leaks, units taken elsewhere) or
 * less (a counter reported too high, or a unit not from the lab).
 */
export function checkConsumables(
  device: Device,
  previous: Reading,
  current: Reading,
  tolerance = 15,
): ConsumableCheck[] {
  const out: ConsumableCheck[] = [];
  for (const c of device.consumables) {
    const before = previous.consumables?.[c.name];
    const after = current.consumables?.[c.name];
    const used = usageBetween(previous, current, c.counter);
    if (before === undefined || after === undefined || used === undefined || c.ratedYield <= 0) continue;
    const expectedDrop = (used / c.ratedYield) * 100;
    const replaced = after > before;
    const reportedDrop = replaced ? before + (100 - after) : before - after;
    const diff = reportedDrop - expectedDrop;
    out.push({
      consumable: c.name,
      expectedDrop: Math.round(expectedDrop * 10) / 10,
      reportedDrop,
      replaced,
      finding: diff > tolerance ? "over-consumption" : diff < -tolerance ? "under-consumption" : "ok",
    });
  }
  return out;
}
