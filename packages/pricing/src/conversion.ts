import type { PricingConfig } from "./config.js";

/**
 * Manual 4.4.6 (CONVERSION TABLE): the price line 1..100 the machine's selection number stands
 * for, or undefined when no line has that number. The table only applies on MDB with price
 * holding, and only with its mode ON: the caller, who knows the bus, asks only then.
 */
export function lineOfSelection(config: PricingConfig, selection: number): number | undefined {
  if (!Number.isInteger(selection) || selection < 1 || selection > 65_535) return undefined;
  const i = config.conversion.numbers.indexOf(selection);
  return i < 0 ? undefined : i + 1;
}
