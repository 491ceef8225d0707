/**
 * The Executive wire format, as far as public sources show it (see the README's sources and
 * the "UNVERIFIED" marks). Every value a source does not pin down lives in `EXECUTIVE`, which a
 * caller overrides whole or in part with `executiveConstants({...})`; nothing else in the
 * package hard-codes a byte.
 *
 * One byte at a time, master first: the master sends a command byte and the slave answers with
 * one byte. Bytes with high nibble 0x3 are control bytes, bytes with high nibble 0x2 carry four
 * data bits in their low nibble; a data block is framed by two control bytes and carries nibbles
 * (the 2003 coin-mech trace). Money goes on the wire as a count of base-coin units (manual 4.3.6).
 */
export interface ExecutiveConstants {
  /** UNVERIFIED: 9600 is what every public source assumes. */
  readonly baudRate: number;
  /** A parity bit exists (PNAK on a parity error); which parity is UNVERIFIED. */
  readonly parity: "even" | "odd" | "none";
  readonly commands: {
    /** STATUS, 0x31 [high: SoftJourn/vending-control]. */
    readonly status: number;
    /** CREDIT, 0x32 [high]. */
    readonly credit: number;
    /** VEND, 0x33 [high]. */
    readonly vend: number;
    /** AUDIT, UNVERIFIED 0x34. */
    readonly audit: number;
    /** Data block start and end, 0x38 and 0x39 [medium: the coin-mech trace]. */
    readonly blockStart: number;
    readonly blockEnd: number;
  };
  readonly replies: {
    /** STATUS answer with nothing to report; VEND answer for a product delivered. */
    readonly ok: number;
    /** CREDIT answer with no vend request [medium-high]. */
    readonly noVendRequest: number;
    /** Transmission or parity error: the master sends again [medium-high]. */
    readonly pnak: number;
    /** Answer to a data byte or block end: UNVERIFIED, taken as `ok`. */
    readonly ack: number;
  };
  /** STATUS answer bits: UNVERIFIED (SoftJourn commits disagree). */
  readonly statusBits: { readonly freeVend: number; readonly inhibited: number };
  /** How long a slave may take to answer a command byte, ms: UNVERIFIED. */
  readonly answerMs: number;
  /** How often to send again after a PNAK or silence before calling the slave offline (SoftJourn: 5). */
  readonly retries: number;
  /** VEND result wait: at least 60 s [high]; with "vend delay" ON (manual 4.3.8) longer. */
  readonly vendMs: number;
  /** With vend delay ON: Vendo's C3 allows up to 250 s after a vend request [high]. */
  readonly vendDelayMs: number;
  /** Master's pause between poll cycles, ms: UNVERIFIED. */
  readonly pollMs: number;
}

export const EXECUTIVE: ExecutiveConstants = {
  baudRate: 9600,
  parity: "even",
  commands: { status: 0x31, credit: 0x32, vend: 0x33, audit: 0x34, blockStart: 0x38, blockEnd: 0x39 },
  replies: { ok: 0x00, noVendRequest: 0xfe, pnak: 0xff, ack: 0x00 },
  statusBits: { freeVend: 0x01, inhibited: 0x02 },
  answerMs: 50,
  retries: 5,
  vendMs: 60_000,
  vendDelayMs: 250_000,
  pollMs: 100,
};

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K] };

/** `EXECUTIVE` with some values replaced, e.g. `executiveConstants({ commands: { audit: 0x3a } })`. */
export function executiveConstants(over: DeepPartial<ExecutiveConstants>): ExecutiveConstants {
  return {
    ...EXECUTIVE,
    ...over,
    commands: { ...EXECUTIVE.commands, ...over.commands },
    replies: { ...EXECUTIVE.replies, ...over.replies },
    statusBits: { ...EXECUTIVE.statusBits, ...over.statusBits },
  };
}

export type ExecutiveErrorCode =
  | "NOT_A_DATA_BYTE"
  | "BAD_BLOCK"
  | "OUT_OF_RANGE"
  | "UNEXPECTED_BYTE"
  | "TIMEOUT"
  | "NO_VEND";

export class ExecutiveError extends Error {
  constructor(
    readonly code: ExecutiveErrorCode,
    message: string,
    /** Position in the bytes given, where there is one. */
    readonly offset?: number,
  ) {
    super(message);
    this.name = "ExecutiveError";
  }
}

export const isDataByte = (b: number): boolean => (b & 0xf0) === 0x20;
export const dataByte = (nibble: number): number => 0x20 | (nibble & 0x0f);

/** A data block: start, one data byte per nibble, end. */
export function encodeBlock(nibbles: readonly number[], c: ExecutiveConstants = EXECUTIVE): Uint8Array {
  for (const [i, n] of nibbles.entries())
    if (!Number.isInteger(n) || n < 0 || n > 15)
      throw new ExecutiveError("OUT_OF_RANGE", `nibble ${i} is ${n}, not 0..15`, i);
  return Uint8Array.from([c.commands.blockStart, ...nibbles.map(dataByte), c.commands.blockEnd]);
}

/** The nibbles of a whole data block; throws `ExecutiveError` (BAD_BLOCK, NOT_A_DATA_BYTE). */
export function decodeBlock(bytes: Uint8Array, c: ExecutiveConstants = EXECUTIVE): number[] {
  if (
    bytes.length < 2 ||
    bytes[0] !== c.commands.blockStart ||
    bytes[bytes.length - 1] !== c.commands.blockEnd
  )
    throw new ExecutiveError("BAD_BLOCK", "a data block starts and ends with its control bytes", 0);
  const out: number[] = [];
  for (let i = 1; i < bytes.length - 1; i++) {
    const b = bytes[i] as number;
    if (!isDataByte(b))
      throw new ExecutiveError("NOT_A_DATA_BYTE", `byte ${b.toString(16)} inside a data block`, i);
    out.push(b & 0x0f);
  }
  return out;
}

/**
 * What a credit (or price) block says [medium: the coin-mech trace]: 16-bit count of base
 * units, 8-bit base unit, decimal-point position, "exact coins only" flag — 8 nibbles, most
 * significant first.
 */
export interface CreditBlock {
  readonly count: number;
  readonly baseUnit: number;
  readonly decimals: number;
  readonly exactOnly: boolean;
}

export function creditNibbles(b: CreditBlock): number[] {
  const check = (name: string, v: number, max: number) => {
    if (!Number.isInteger(v) || v < 0 || v > max)
      throw new ExecutiveError("OUT_OF_RANGE", `${name} ${v} is outside 0..${max}`);
  };
  check("count", b.count, 0xffff);
  check("base unit", b.baseUnit, 0xff);
  check("decimals", b.decimals, 15);
  return [
    (b.count >> 12) & 15,
    (b.count >> 8) & 15,
    (b.count >> 4) & 15,
    b.count & 15,
    (b.baseUnit >> 4) & 15,
    b.baseUnit & 15,
    b.decimals,
    b.exactOnly ? 1 : 0,
  ];
}

export function creditFromNibbles(n: readonly number[]): CreditBlock {
  if (n.length !== 8) throw new ExecutiveError("BAD_BLOCK", `a credit block has 8 nibbles, not ${n.length}`);
  const [a, b, c, d, e, f, g, h] = n as [number, number, number, number, number, number, number, number];
  return {
    count: (a << 12) | (b << 8) | (c << 4) | d,
    baseUnit: (e << 4) | f,
    decimals: g,
    exactOnly: h !== 0,
  };
}

/** An amount as a credit block: it must be a whole number of base coins (manual 4.3.6). */
export function creditBlock(
  amount: number,
  baseCoin: number,
  decimals: number,
  exactOnly = false,
): CreditBlock {
  if (!Number.isSafeInteger(amount) || amount < 0 || amount % baseCoin !== 0)
    throw new ExecutiveError("OUT_OF_RANGE", `${amount} is not a whole number of base coins of ${baseCoin}`);
  return { count: amount / baseCoin, baseUnit: baseCoin, decimals, exactOnly };
}
