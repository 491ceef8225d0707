/** What reader and VMC agreed, which decides how long commands and responses are. */
export interface CashlessContext {
  /** The level both speak: the lower of the reader's and the VMC's (1..3). */
  readonly level: 1 | 2 | 3;
  /** Expanded currency mode (L3 option b1 or b2): money in 32 bits. */
  readonly expanded: boolean;
}

export const LEVEL1: CashlessContext = { level: 1, expanded: false };

/** L3 optional feature bits (§7.4.16, EXPANSION 04). */
export const OPTIONS = {
  fileTransport: 1 << 0,
  money32: 1 << 1,
  multiCurrency: 1 << 2,
  negativeVend: 1 << 3,
  dataEntry: 1 << 4,
  alwaysIdle: 1 << 5,
} as const;

export const moneyBytes = (ctx: CashlessContext): 2 | 4 => (ctx.expanded ? 4 : 2);

/** Big-endian unsigned read of `n` bytes. */
export function readUint(bytes: ArrayLike<number>, at: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 256 + (bytes[at + i] as number);
  return v;
}

/** Big-endian unsigned write of `n` bytes. */
export function writeUint(out: number[], value: number, n: number): void {
  for (let i = n - 1; i >= 0; i--) out.push(Math.floor(value / 256 ** i) % 256);
}
