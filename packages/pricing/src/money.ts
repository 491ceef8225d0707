/**
 * `pct` percent of `price`, rounded down to whole base coins: a discount never makes a price
 * leave the base-coin grid and never exceeds the exact percentage. All integers.
 */
export function percentOf(price: number, pct: number, baseCoin: number): number {
  return Math.floor((price * pct) / (100 * baseCoin)) * baseCoin;
}

/** `price` less `pct` percent (see `percentOf`). */
export function discounted(price: number, pct: number, baseCoin: number): number {
  return price - percentOf(price, pct, baseCoin);
}
