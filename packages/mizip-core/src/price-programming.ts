import type { KeyTable, PricingConfig } from "@vendkit/pricing";
import { ParameterError } from "./parameters.js";

/** A price table the programmer sets (manual 4.4.3-4.4.5): cash, or key level 0-3. */
export type PriceTable = "cash" | 0 | 1 | 2 | 3;

/** The table 5.2 number of a price: 10001-10100 cash, 11001-11100 key 0 ... 14001-14100 key 3. */
export function priceNumber(table: PriceTable, line: number): number {
  return (table === "cash" ? 10_000 : 11_000 + 1000 * table) + line;
}

/**
 * The pricing with one price changed, line 1..100 (a line outside is refused as a
 * `ParameterError` with the price's number). With COPIA TAB. CONTANTI ON (`copyCash`, 40117,
 * manual 4.4.2) a cash price is written into key tables 0-3 as well. The result is to be checked
 * whole, with the parameters, by `validateConfig(sellingPricing(...))`: base-coin multiples and
 * ranges.
 */
export function withPrice(
  pricing: PricingConfig,
  table: PriceTable,
  line: number,
  price: number,
  copyCash = false,
): PricingConfig {
  if (!Number.isInteger(line) || line < 1 || line > 100)
    throw new ParameterError(priceNumber(table, line), `line ${line} is not 1..100`);
  const replace = (prices: readonly number[]) => prices.map((p, i) => (i === line - 1 ? price : p));
  const copied = table === "cash" && copyCash;
  const keys = pricing.keys.map((k, level) =>
    level === table || copied ? { ...k, prices: replace(k.prices) } : k,
  ) as [KeyTable, KeyTable, KeyTable, KeyTable];
  if (table !== "cash") return { ...pricing, keys };
  return { ...pricing, cash: replace(pricing.cash), keys: copied ? keys : pricing.keys };
}

/**
 * Refuses pricing changes that would set what lives in the parameters: the price system is
 * 30002 and the base coin 30003, one store for each (`sellingPricing` reads them from there).
 */
export function checkPricingChanges(changes: unknown): void {
  if (typeof changes !== "object" || changes === null) return;
  if ("priceSystem" in changes) throw new ParameterError(30002, "the price system is parameter 30002");
  if ("baseCoin" in changes) throw new ParameterError(30003, "the base coin is parameter 30003");
}
