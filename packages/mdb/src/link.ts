/**
 * MDB/ICP link layer (MDB/ICP 4.3 §2.1-2.3). A word is 9 bits: 8 data bits and the mode bit,
 * represented here as a number 0..511 with the mode bit as bit 8. The master sets the mode bit on
 * the address byte only; a peripheral sets it on the last byte of its response (the checksum, or
 * a lone ACK/NAK). CHK is the sum of the address and data bytes mod 256.
 */
export const MODE = 0x100;
export const ACK = 0x00;
export const RET = 0xaa;
export const NAK = 0xff;
/** Longest block, checksum included (§2.2). */
export const MAX_BLOCK = 36;

export const ADDRESSES = {
  changer: 0x08,
  cashless1: 0x10,
  gateway: 0x18,
  display: 0x20,
  energy: 0x28,
  billValidator: 0x30,
  usd1: 0x40,
  usd2: 0x48,
  usd3: 0x50,
  hopper1: 0x58,
  cashless2: 0x60,
  ageVerification: 0x68,
  hopper2: 0x70,
} as const;

/** Address part (bits 7-3) and command part (bits 2-0) of an address byte. */
export const addressOf = (b: number): number => b & 0xf8;
export const commandOf = (b: number): number => b & 0x07;

export function checksum(bytes: ArrayLike<number>, start = 0, end = bytes.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += bytes[i] as number;
  return sum & 0xff;
}

/** A master's block: address byte with the mode bit, data, CHK. */
export function encodeMasterBlock(bytes: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(bytes.length + 1);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] as number;
  out[0] = (out[0] as number) | MODE;
  out[bytes.length] = checksum(bytes);
  return out;
}

/** A peripheral's response: data then CHK with the mode bit; no data is a lone ACK with the mode bit. */
export function encodePeripheralResponse(bytes: ArrayLike<number>): Uint16Array {
  if (bytes.length === 0) return Uint16Array.of(ACK | MODE);
  const out = new Uint16Array(bytes.length + 1);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] as number;
  out[bytes.length] = checksum(bytes) | MODE;
  return out;
}

/** Timing rules (§3.2, App. A3) as parameters, in milliseconds. */
export interface MdbTiming {
  /** Longest gap between bytes of one block (spec 1 ms; tolerate 5). */
  readonly interByte: number;
  /** Longest wait for a peripheral's first byte (spec 5 ms; tolerate 20). */
  readonly response: number;
  /** How long without an answer before the VMC considers the peripheral gone (cashless 5 s). */
  readonly nonResponse: number;
  /** Bus reset (break) at least this long. */
  readonly reset: number;
  /** Setup time after a reset before the peripheral must answer. */
  readonly setup: number;
}

export const DEFAULT_TIMING: MdbTiming = {
  interByte: 1,
  response: 5,
  nonResponse: 5000,
  reset: 100,
  setup: 200,
};

export type LinkErrorCode =
  | "BAD_CHECKSUM"
  | "TRUNCATED"
  | "UNEXPECTED_MODE_BIT"
  | "TIMEOUT"
  | "TOO_LONG"
  | "NOT_A_WORD";

export interface LinkError {
  readonly kind: "error";
  readonly code: LinkErrorCode;
  /** Index of the word where the error was seen, in the words fed so far. */
  readonly at: number;
  readonly detail: string;
}

/** The silence rules say "more than": the first instant they hold, on any clock in use. */
const STRICTLY_AFTER = 0.001;

const isWord = (w: number): boolean => Number.isInteger(w) && w >= 0 && w <= 0x1ff;

const notAWord = (word: number, at: number): LinkError => ({
  kind: "error",
  code: "NOT_A_WORD",
  at,
  detail: `${word} is not a 9-bit word`,
});

/** The block without its last byte when that byte is the right CHK; BAD_CHECKSUM otherwise. */
function stripChecksum(bytes: Uint8Array, at: number): Uint8Array | LinkError {
  const chk = bytes[bytes.length - 1] as number;
  const sum = checksum(bytes, 0, bytes.length - 1);
  if (sum !== chk)
    return {
      kind: "error",
      code: "BAD_CHECKSUM",
      at,
      detail: `CHK ${chk.toString(16)}, sum ${sum.toString(16)}`,
    };
  return bytes.subarray(0, bytes.length - 1);
}

/** What a master reads back after sending a block. */
export type PeripheralReply =
  | { readonly kind: "ack" }
  | { readonly kind: "nak" }
  | { readonly kind: "data"; readonly bytes: Uint8Array }
  | LinkError;

/**
 * Master side: turns the words a peripheral sends into replies. A reply ends at the word with
 * the mode bit; a gap longer than `interByte` mid-reply is a TIMEOUT, over 36 words TOO_LONG.
 * Never throws: whatever comes in becomes replies or typed errors.
 */
export class ReplyDecoder {
  private buf: number[] = [];
  private last = Number.NEGATIVE_INFINITY;
  private index = 0;

  constructor(private readonly timing: MdbTiming = DEFAULT_TIMING) {}

  feed(word: number, now: number): PeripheralReply[] {
    const out: PeripheralReply[] = [];
    const at = this.index++;
    if (!isWord(word)) {
      this.buf = [];
      out.push(notAWord(word, at));
      return out;
    }
    if (this.buf.length > 0 && now - this.last > this.timing.interByte) {
      out.push({ kind: "error", code: "TIMEOUT", at, detail: `${now - this.last} ms between bytes` });
      this.buf = [];
    }
    this.last = now;
    this.buf.push(word);
    if ((word & MODE) === 0) {
      if (this.buf.length >= MAX_BLOCK) {
        out.push({ kind: "error", code: "TOO_LONG", at, detail: `no mode bit in ${MAX_BLOCK} words` });
        this.buf = [];
      }
      return out;
    }
    const words = this.buf;
    this.buf = [];
    if (words.length === 1) {
      const b = word & 0xff;
      if (b === ACK) out.push({ kind: "ack" });
      else if (b === NAK) out.push({ kind: "nak" });
      else
        out.push({
          kind: "error",
          code: "TRUNCATED",
          at,
          detail: `lone byte ${b.toString(16)} is neither ACK nor NAK`,
        });
      return out;
    }
    const checked = stripChecksum(
      Uint8Array.from(words, (w) => w & 0xff),
      at,
    );
    out.push(checked instanceof Uint8Array ? { kind: "data", bytes: checked } : checked);
    return out;
  }

  /** When `expire` would end a reply cut short; undefined when none is half read. */
  get due(): number | undefined {
    return this.buf.length === 0 ? undefined : this.last + this.timing.interByte + STRICTLY_AFTER;
  }

  /** Call when the response time has run out: a reply cut short is TRUNCATED. */
  expire(now: number): PeripheralReply[] {
    if (this.buf.length === 0 || now - this.last <= this.timing.interByte) return [];
    this.buf = [];
    return [
      { kind: "error", code: "TRUNCATED", at: this.index, detail: "the reply stopped before its mode bit" },
    ];
  }
}

/** What a peripheral reads: a command block for an address, or the VMC's ACK/RET/NAK. */
export type MasterFrame =
  | { readonly kind: "block"; readonly bytes: Uint8Array }
  | { readonly kind: "ack" }
  | { readonly kind: "ret" }
  | { readonly kind: "nak" }
  | LinkError;

/**
 * Peripheral side: turns the words on the bus into blocks. A block starts at a word with the
 * mode bit (an address byte) and has no end marker, so `length(bytes)` tells how long a block
 * for that command is (checksum excluded) once enough of it has arrived, or undefined when it
 * cannot yet tell; a block whose length is never known ends after `interByte` of silence and
 * its last byte is taken as the checksum. Only blocks for `accepts(address)` are returned.
 */
export class CommandDecoder {
  private buf: number[] = [];
  private last = Number.NEGATIVE_INFINITY;
  private index = 0;
  private awaitingReply = false;

  constructor(
    private readonly accepts: (addressByte: number) => boolean,
    private readonly length: (bytes: readonly number[]) => number | undefined,
    private readonly timing: MdbTiming = DEFAULT_TIMING,
  ) {}

  /** Say that this peripheral has just answered, so a lone byte from the VMC is ACK/RET/NAK. */
  replied(): void {
    this.awaitingReply = true;
  }

  feed(word: number, now: number): MasterFrame[] {
    const out: MasterFrame[] = [];
    const at = this.index++;
    if (!isWord(word)) {
      this.buf = [];
      out.push(notAWord(word, at));
      return out;
    }
    out.push(...this.expire(now));
    this.last = now;
    if (word & MODE) {
      this.awaitingReply = false;
      if (this.buf.length > 0)
        out.push({ kind: "error", code: "TRUNCATED", at, detail: "a new address byte cut the block short" });
      this.buf = this.accepts(word & 0xff) ? [word & 0xff] : [];
      return out;
    }
    if (this.buf.length === 0) {
      if (this.awaitingReply) {
        this.awaitingReply = false;
        if (word === ACK) out.push({ kind: "ack" });
        else if (word === RET) out.push({ kind: "ret" });
        else if (word === NAK) out.push({ kind: "nak" });
        else
          out.push({
            kind: "error",
            code: "UNEXPECTED_MODE_BIT",
            at,
            detail: `byte ${word.toString(16)} without an address byte`,
          });
      }
      return out;
    }
    this.buf.push(word);
    const want = this.length(this.buf);
    if (want !== undefined && this.buf.length === want + 1) out.push(this.finish(at));
    else if (this.buf.length > MAX_BLOCK) {
      this.buf = [];
      out.push({ kind: "error", code: "TOO_LONG", at, detail: `more than ${MAX_BLOCK} bytes` });
    }
    return out;
  }

  /** When `expire` would end the block being read (its length never known); undefined when none is. */
  get due(): number | undefined {
    return this.buf.length === 0 ? undefined : this.last + this.timing.interByte + STRICTLY_AFTER;
  }

  /** Ends a block whose length was never known, after `interByte` of silence. */
  expire(now: number): MasterFrame[] {
    if (this.buf.length === 0 || now - this.last <= this.timing.interByte) return [];
    if (this.buf.length === 1) {
      this.buf = [];
      return [{ kind: "error", code: "TRUNCATED", at: this.index, detail: "address byte with no checksum" }];
    }
    return [this.finish(this.index)];
  }

  private finish(at: number): MasterFrame {
    const checked = stripChecksum(Uint8Array.from(this.buf), at);
    this.buf = [];
    return checked instanceof Uint8Array ? { kind: "block", bytes: checked } : checked;
  }
}
