import { type MessageDef, MessageTable, message } from "@vendkit/machine";
/**
 * The Executive wire format (MEI "Protocol A"), as public sources show it: see the README's
 * sources and `shared/spec/executive-facts.md` (research pass 2, facts F16-F29). Every value
 * lives in `EXECUTIVE`, which a caller overrides whole or in part with `executiveConstants({...})`;
 * nothing else in the package hard-codes a byte.
 *
 * One byte at a time, the master (the "executive") first: it sends a command byte and the
 * peripheral answers with one byte. Every byte the master sends follows one grammar (F18): bits 7-5
 * the peripheral's address (VMC 001, audit unit 010, card reader 011), bit 4 set for a command and
 * clear for a data nibble, bits 3-0 the command code or the nibble. So VMC commands are 0x31-0x3F
 * and VMC data nibbles 0x20-0x2F.
 */

/** Peripheral addresses, bits 7-5 of every byte the master sends (F18). */
export const ADDRESSES = { vmc: 0b001, audit: 0b010, cardReader: 0b011 } as const;
export type PeripheralAddress = (typeof ADDRESSES)[keyof typeof ADDRESSES];

/** A command byte: address, bit 4 set, the command code (0-15). */
export const commandByte = (address: number, code: number): number =>
  ((address & 7) << 5) | 0x10 | (code & 0x0f);

/** What a master's byte says under the grammar: which peripheral, command or data, and the low nibble. */
export function readByte(byte: number): { address: number; command: boolean; low: number } {
  return { address: (byte >> 5) & 7, command: (byte & 0x10) !== 0, low: byte & 0x0f };
}

/**
 * A set of one-byte commands, each declared once by name (`VMC_COMMANDS`, the card reader's):
 * a message table of one-byte messages, so the byte for a name and the name for a byte both come
 * from the one declaration, and a byte that is no command is a typed problem with its offset.
 */
export class CommandSet<N extends string> {
  readonly table: MessageTable<MessageDef<N, readonly []>>;
  /** What the table says for each byte and each name, read once: a master and a slave look up a byte a poll. */
  private readonly names = new Map<number, N>();
  private readonly bytes = new Map<N, number>();

  constructor(name: string, commands: Readonly<Record<N, number>>) {
    this.table = new MessageTable(
      name,
      (Object.keys(commands) as N[]).map((command) => message(command, [commands[command]])),
    );
    for (const d of this.table.defs) {
      const byte = this.table.encode({ type: d.type } as never, undefined)[0] as number;
      this.bytes.set(d.type, byte);
      const other = this.names.get(byte);
      if (other !== undefined)
        throw new RangeError(`${name}: ${other} and ${d.type} are both ${byte.toString(16)}`);
      this.names.set(byte, d.type);
    }
  }

  /** The command a byte is, or undefined (a data nibble, or no command of the set). */
  nameOf(byte: number): N | undefined {
    return this.names.get(byte);
  }

  /** The byte of a command. */
  byteOf(command: N): number {
    return this.bytes.get(command) as number;
  }
}

/** The VMC command set, 0x31-0x39 and 0x3F (F19; numbering 1-5 confirmed by the MEI contents, F32). */
export const VMC_COMMAND_CODES = {
  status: 1,
  credit: 2,
  vend: 3,
  audit: 4,
  sendAuditAddress: 5,
  sendAuditData: 6,
  identify: 7,
  acceptData: 8,
  dataSync: 9,
  nak: 15,
} as const;
export type VmcCommand = keyof typeof VMC_COMMAND_CODES;

/** The VMC commands as bytes, named. */
export const VMC_COMMANDS: Readonly<Record<VmcCommand, number>> = Object.fromEntries(
  Object.entries(VMC_COMMAND_CODES).map(([name, code]) => [name, commandByte(ADDRESSES.vmc, code)]),
) as Record<VmcCommand, number>;

export interface ExecutiveConstants {
  /** 9600 baud [medium-high: F16, MEI Protocol A decoder checked against real captures]. */
  readonly baudRate: number;
  /** 8 data bits, even parity, 1 stop bit: 11 bit times a byte, no mode bit [medium-high: F16]. */
  readonly dataBits: 8;
  readonly parity: "even" | "odd" | "none";
  readonly stopBits: 1 | 2;
  /** The peripheral this master talks to: the VMC (001) unless the card reader (011). */
  readonly address: number;
  /** The command bytes, from the grammar and the VMC command set (F18, F19). */
  readonly commands: Readonly<Record<VmcCommand, number>>;
  readonly replies: {
    /** STATUS answer with nothing to report; VEND answer for a product delivered. */
    readonly ok: number;
    /** CREDIT answer with no vend request [medium-high: F6, F21]. */
    readonly noVendRequest: number;
    /** Transmission or parity error: the master sends that byte again [medium-high: F4, F26]. */
    readonly pnak: number;
    /** Answer to a data nibble or DATA SYNC [medium-high: F24, F26]. */
    readonly ack: number;
  };
  /**
   * STATUS answer (F2, F20): bit 7 free vend, bit 6 vending inhibited, bit 5 BDV 001 variant VMC,
   * bits 4-0 the number of audit pairs waiting.
   */
  readonly statusBits: {
    readonly freeVend: number;
    readonly inhibited: number;
    readonly bdv: number;
    readonly auditPairs: number;
  };
  /** VEND answer (F22): bit 7 set = the vend failed; bits 6-0 = audit pairs waiting. */
  readonly vendBits: { readonly failed: number; readonly auditPairs: number };
  /**
   * The highest price code a CREDIT answer may carry (the price in base steps, or the price line):
   * 0xF0 [inference from the Coges Aeterna manual's 2.40 EUR ceiling at a 0.01 step, F43].
   */
  readonly maxPriceCode: number;
  /** How long a peripheral may take to answer a command byte, ms: UNVERIFIED (no spec value found). */
  readonly answerMs: number;
  /** How often to send again after a PNAK or silence before calling the peripheral offline (SoftJourn: 5). */
  readonly retries: number;
  /** VEND result wait with polling suspended: at least 60 s [high: F3, F23]; with "vend delay" ON longer. */
  readonly vendMs: number;
  /** With vend delay ON: Vendo's C3 allows up to 250 s after a vend request [high: F11]. */
  readonly vendDelayMs: number;
  /** Master's pause between poll cycles: an idle cycle is about 70 ms on a Necta capture [medium: F27]. */
  readonly pollMs: number;
  /** A VMC locks after this long without polls (Necta: 30 s for Executive) [high: F9]. */
  readonly linkLossMs: number;
}

export const EXECUTIVE: ExecutiveConstants = {
  baudRate: 9600,
  dataBits: 8,
  parity: "even",
  stopBits: 1,
  address: ADDRESSES.vmc,
  commands: VMC_COMMANDS,
  replies: { ok: 0x00, noVendRequest: 0xfe, pnak: 0xff, ack: 0x00 },
  statusBits: { freeVend: 0x80, inhibited: 0x40, bdv: 0x20, auditPairs: 0x1f },
  vendBits: { failed: 0x80, auditPairs: 0x7f },
  maxPriceCode: 0xf0,
  answerMs: 50,
  retries: 5,
  vendMs: 60_000,
  vendDelayMs: 250_000,
  pollMs: 70,
  linkLossMs: 30_000,
};

/** `T` with every field optional, and the fields of its object fields too. */
export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K] };

/** `EXECUTIVE` with some values replaced, e.g. `executiveConstants({ commands: { audit: 0x3a } })`. */
export function executiveConstants(over: DeepPartial<ExecutiveConstants>): ExecutiveConstants {
  return {
    ...EXECUTIVE,
    ...over,
    commands: { ...EXECUTIVE.commands, ...over.commands },
    replies: { ...EXECUTIVE.replies, ...over.replies },
    statusBits: { ...EXECUTIVE.statusBits, ...over.statusBits },
    vendBits: { ...EXECUTIVE.vendBits, ...over.vendBits },
  };
}

export type ExecutiveErrorCode =
  | "PRICE_TOO_HIGH"
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

/** Whether `b` is a data nibble for the peripheral at `address` (bit 4 clear, its address above). */
export const isDataByte = (b: number, address: number = ADDRESSES.vmc): boolean =>
  (b & 0xf0) === (address & 7) << 5;
export const dataByte = (nibble: number, address: number = ADDRESSES.vmc): number =>
  ((address & 7) << 5) | (nibble & 0x0f);

/** ACCEPT DATA, one data byte per nibble, DATA SYNC (F24). */
export function encodeBlock(nibbles: readonly number[], c: ExecutiveConstants = EXECUTIVE): Uint8Array {
  for (const [i, n] of nibbles.entries())
    if (!Number.isInteger(n) || n < 0 || n > 15)
      throw new ExecutiveError("OUT_OF_RANGE", `nibble ${i} is ${n}, not 0..15`, i);
  return Uint8Array.from([
    c.commands.acceptData,
    ...nibbles.map((n) => dataByte(n, c.address)),
    c.commands.dataSync,
  ]);
}

/** The nibbles of a whole ACCEPT DATA block; throws `ExecutiveError` (BAD_BLOCK, NOT_A_DATA_BYTE). */
export function decodeBlock(bytes: Uint8Array, c: ExecutiveConstants = EXECUTIVE): number[] {
  if (
    bytes.length < 2 ||
    bytes[0] !== c.commands.acceptData ||
    bytes[bytes.length - 1] !== c.commands.dataSync
  )
    throw new ExecutiveError("BAD_BLOCK", "a data block starts with ACCEPT DATA and ends with DATA SYNC", 0);
  const out: number[] = [];
  for (let i = 1; i < bytes.length - 1; i++) {
    const b = bytes[i] as number;
    if (!isDataByte(b, c.address))
      throw new ExecutiveError("NOT_A_DATA_BYTE", `byte ${b.toString(16)} inside a data block`, i);
    out.push(b & 0x0f);
  }
  return out;
}

/**
 * What an ACCEPT DATA block says (F24, confirmed by the 2003 trace, F29): a 16-bit count of base
 * units, an 8-bit scaling factor (the base unit), the decimal places, and "exact change only".
 * On the wire: 8 nibbles, least significant first — count (4), scaling factor (2), decimal-point
 * mask (0001 none, 0010 one, 0100 two, 1000 three places), flags (bit 0 exact change only).
 */
export interface CreditBlock {
  readonly count: number;
  readonly baseUnit: number;
  /** Decimal places, 0-3. */
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
  check("decimals", b.decimals, 3);
  return [
    b.count & 15,
    (b.count >> 4) & 15,
    (b.count >> 8) & 15,
    (b.count >> 12) & 15,
    b.baseUnit & 15,
    (b.baseUnit >> 4) & 15,
    1 << b.decimals,
    b.exactOnly ? 1 : 0,
  ];
}

export function creditFromNibbles(n: readonly number[]): CreditBlock {
  if (n.length !== 8) throw new ExecutiveError("BAD_BLOCK", `a credit block has 8 nibbles, not ${n.length}`);
  const [c0, c1, c2, c3, s0, s1, mask, flags] = n as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const decimals = [1, 2, 4, 8].indexOf(mask);
  if (decimals === -1)
    throw new ExecutiveError("BAD_BLOCK", `decimal-point mask ${mask} is not 1, 2, 4 or 8`, 6);
  return {
    count: c0 | (c1 << 4) | (c2 << 8) | (c3 << 12),
    baseUnit: s0 | (s1 << 4),
    decimals,
    exactOnly: (flags & 1) !== 0,
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

/**
 * The credit a VMC is shown for `amount` of money held (a key's credit, coins in): whole base
 * coins, rounded down, at most 0xFFFF of them, so the VMC never offers more than there is to
 * spend; undefined for nothing to show. Unlike `creditBlock`, any amount the payment side may hold
 * (a key at 1.23 EUR with a 0.05 base coin) has an answer: a line to the VMC never stops over it.
 */
export function displayCredit(amount: number, baseCoin: number, decimals: number): CreditBlock | undefined {
  if (!Number.isInteger(baseCoin) || baseCoin < 1 || baseCoin > 0xff)
    throw new ExecutiveError("OUT_OF_RANGE", `base coin ${baseCoin} is outside 1..255`);
  const count = Number.isFinite(amount) ? Math.min(0xffff, Math.floor(amount / baseCoin)) : 0;
  return count > 0 ? { count, baseUnit: baseCoin, decimals, exactOnly: false } : undefined;
}

/**
 * The CREDIT answer's byte for a price (prices on the VMC): the price in base steps. It must be a
 * whole number of steps and at most `maxPriceCode` (0xF0 by default; 0xFE and 0xFF are taken):
 * a higher price throws PRICE_TOO_HIGH naming the smallest base step that carries it (the Coges
 * manual's advice: above 2.40 EUR at a 0.01 step, raise the step, F43).
 */
export function priceCode(price: number, baseStep: number, c: ExecutiveConstants = EXECUTIVE): number {
  if (!Number.isSafeInteger(price) || price < 0 || !Number.isSafeInteger(baseStep) || baseStep <= 0)
    throw new ExecutiveError("OUT_OF_RANGE", `price ${price} with base step ${baseStep}`);
  if (price % baseStep !== 0)
    throw new ExecutiveError(
      "OUT_OF_RANGE",
      `price ${price} is not a whole number of base steps of ${baseStep}`,
    );
  const code = price / baseStep;
  if (code > c.maxPriceCode) {
    const need = Math.ceil(price / c.maxPriceCode);
    throw new ExecutiveError(
      "PRICE_TOO_HIGH",
      `price ${price} is ${code} base steps of ${baseStep}, above the highest price code ${c.maxPriceCode}: choose a base step of at least ${need} (one the prices are multiples of)`,
    );
  }
  return code;
}
