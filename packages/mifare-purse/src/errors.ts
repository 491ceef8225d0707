/**
 * Why a key or card was refused or a write did not complete, each with the MiZip error counter
 * it feeds (manual 7.5 list 14, digest §10).
 */
export const PURSE_ERRORS = {
  CARD_REMOVED: { err: 1, text: "the card left the field during a read" },
  BLANK_CARD: { err: 2, text: "the card is blank (transport keys): not formatted for this system" },
  FOREIGN_CARD: { err: 2, text: "the card does not open with this system's keys" },
  WRONG_OPERATOR: { err: 2, text: "the card belongs to another operator" },
  CORRUPT_IDENTITY: { err: 1, text: "the identity area fails its CRC" },
  FORGED_IDENTITY: { err: 1, text: "the identity area fails its MAC (copied or forged)" },
  CORRUPT_RECORD: { err: 1, text: "neither credit record is intact" },
  FORGED_RECORD: { err: 1, text: "a credit record passes its CRC but fails its MAC (forged)" },
  BAD_FUNCTION: { err: 6, text: "the key function code is not one this system knows" },
  CREDIT_ABOVE_MAX: { err: 7, text: "the key's credit is above the maximum usable credit" },
  WRITE_FAILED: { err: 9, text: "the card left the field during a write: re-read it to learn the outcome" },
  UNVERIFIED_WRITE: { err: 12, text: "the record read back differs from the one written" },
  FORMAT_MISMATCH: { err: 16, text: "1-purse card in a 3-purse system or the reverse" },
  NO_PAYLOAD_AREA: { err: 6, text: "only setup, black-list and data keys carry data" },
  PAYLOAD_TOO_LARGE: { err: 10, text: "the data does not fit on this key" },
  CORRUPT_PAYLOAD: { err: 10, text: "the data on the key fails its CRC (torn or never written)" },
  FORGED_PAYLOAD: { err: 10, text: "the data on the key fails its MAC (copied or forged)" },
  PAYLOAD_WRITE_FAILED: { err: 10, text: "the key left while its data was written, or reads back otherwise" },
  INVALID_FIELD: { err: 0, text: "a field is outside its range" },
} as const;

export type PurseErrorCode = keyof typeof PURSE_ERRORS;

export class PurseError extends Error {
  override readonly name = "PurseError";
  /** The MiZip error counter this refusal feeds (ERR n); 0 for a caller's mistake. */
  readonly err: number;
  constructor(
    readonly code: PurseErrorCode,
    detail?: string,
  ) {
    super(detail ? `${PURSE_ERRORS[code].text}: ${detail}` : PURSE_ERRORS[code].text);
    this.err = PURSE_ERRORS[code].err;
  }
}

/** What a card operation can fail with, as a card or reader reports it. */
export const CARD_ERRORS = {
  NOT_PRESENT: "no card in the field",
  AUTH_FAILED: "authentication failed: wrong key, or key B is readable and cannot authenticate",
  NOT_AUTHENTICATED: "the block's sector is not authenticated",
  ACCESS_DENIED: "the access bits forbid this operation with this key",
  NOT_VALUE_BLOCK: "the block is not a valid value block",
  BAD_BLOCK: "no such block on this card",
  BAD_DATA: "a block is 16 bytes",
  OVERFLOW: "the value would leave the 32-bit range",
  LOCKED: "invalid access bits: the sector would be locked for good",
} as const;

export type CardErrorCode = keyof typeof CARD_ERRORS;

export class CardError extends Error {
  override readonly name = "CardError";
  constructor(
    readonly code: CardErrorCode,
    readonly block?: number,
  ) {
    super(block === undefined ? CARD_ERRORS[code] : `block ${block}: ${CARD_ERRORS[code]}`);
  }
}
