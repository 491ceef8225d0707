/**
 * The numbers of the EVA-DTS profile of DDCMP (EVA DTS 6.1.2 chapter 3): baud-rate codes, the
 * Table 2 timers and limits (p. 65), station addresses and buffer accounting. `EvaLink` runs the
 * profile's link with them.
 */

/** Baud-rate codes of START and STACK (3.6.2, p. 76); 0 keeps the rate (mbd) or forbids a change (sbd). */
export const BAUD_CODES: Readonly<Record<number, number>> = {
  1: 1200,
  2: 2400,
  3: 4800,
  4: 9600,
  5: 19200,
  6: 38400,
  7: 57600,
  8: 115200,
};

/** The code for a baud rate (0 when it is none of EVA's). */
export function baudCode(baud: number): number {
  const hit = Object.entries(BAUD_CODES).find(([, b]) => b === baud);
  return hit === undefined ? 0 : Number(hit[0]);
}

/**
 * The rate both ends can do (the lower of their codes), as an EVA-DTS baud-rate code no higher
 * than `limit`; 0 (stay at 2400) when that is none.
 */
export function agreeBaudCode(a: number, b: number, limit: number): number {
  const code = Math.min(a, b);
  return code > 0 && code <= limit && BAUD_CODES[code] !== undefined ? code : 0;
}

/** Every session starts at 2400 baud (3.4.2, p. 60). */
export const START_BAUD = 2400;

/** Table 2 (p. 65), in milliseconds and attempts. */
export interface EvaTiming {
  readonly startAttempts: number;
  readonly stackTimeout: number;
  readonly dataAttempts: number;
  /** No message for this long: the transfer is abandoned. */
  readonly linkTimeout: number;
  /** The same around READ DATA, WRITE DATA and PROGRAM SLAVE DEVICE. */
  readonly longLinkTimeout: number;
  /** From the end of a data message sent to the end of the answer's 8-byte header. */
  readonly ackTimeout: number;
  /** Minimum delay between the end of what was received and the start of what is sent. */
  readonly turnaround: number;
}

export const EVA_TIMING: EvaTiming = {
  startAttempts: 10,
  stackTimeout: 250,
  dataAttempts: 5,
  linkTimeout: 5_000,
  longLinkTimeout: 15_000,
  ackTimeout: 170,
  turnaround: 40,
};

/** Station addresses of Table 4 (p. 79): 0x01 every slave answers; the defaults by device. */
export const STATION_ADDRESS = {
  any: 0x01,
  coinMechanism: 0x02,
  cashless: 0x03,
  billValidator: 0x04,
  auditModule: 0x05,
  publicCashless: 0x06,
  vendingMachine: 0x07,
} as const;

/** The default receive buffer of every EVA-DTS station, bytes (3.4.4, p. 63). */
export const DEFAULT_BUFFER = 256;
/** What a data message adds to its data, counted against the receiver's buffer: the ACK sent with it (8), the header (8), the CRC (2). */
export const MESSAGE_OVERHEAD = 18;
