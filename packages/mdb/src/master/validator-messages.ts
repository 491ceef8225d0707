import { ascii, bytes, Layout, MessageTable, message, optionalUint, uint } from "@vendkit/machine";

/**
 * What a VMC sends an MDB bill validator (MDB/ICP 4.3 §6, address 30), each command declared
 * once. The master driver encodes these; the simulator decodes them.
 */
export const VALIDATOR_COMMANDS = new MessageTable("MDB bill validator command", [
  message("reset", [0x30]),
  message("setup", [0x31]),
  // bit n high security for bill type n
  message("security", [0x32], uint("levels", 2)),
  message("poll", [0x33]),
  // the bill types accepted, and those held in escrow (bit n = type n)
  message("bill-type", [0x34], uint("enable", 2), uint("escrow", 2)),
  // 1 stacks the bill held in escrow, 0 returns it
  message("escrow", [0x35], uint("stack", 1)),
  message("stacker", [0x36]),
  message("identification", [0x37, 0x00]),
  message("identification-with-options", [0x37, 0x02]),
]);

/**
 * The validator's SETUP answer: Z1-Z11 fixed, then the bill type credits Z12-Z27, which may stop
 * early (unsent types are zero, p. 6-4).
 */
export const VALIDATOR_SETUP = new Layout(
  "bill validator SETUP",
  uint("level", 1),
  uint("currency", 2),
  uint("scale", 2),
  uint("decimals", 1),
  uint("stackerCapacity", 2),
  uint("security", 2),
  // 0xFF: the validator has an escrow
  uint("escrow", 1),
  bytes("credits", "rest"),
);

/** STACKER: bit 15 full, bits 14-0 the bills in it. */
export const VALIDATOR_STACKER = new Layout("bill validator STACKER", uint("stacker", 2));

/** EXPANSION IDENTIFICATION: 29 bytes (37 00), or 33 with the option bits (37 02, pp. 6-11, 6-12). */
export const VALIDATOR_IDENTIFICATION = new Layout(
  "bill validator EXPANSION IDENTIFICATION",
  ascii("manufacturer", 3),
  ascii("serial", 12),
  ascii("model", 12),
  uint("version", 2),
  optionalUint("options", (ctx: { readonly withOptions: boolean }) => (ctx.withOptions ? 4 : 0)),
);

/**
 * One item of a validator's POLL reply (§6.3 POLL), its bits declared once: the master reads
 * items with `readValidatorPoll`, the simulator writes them with `writeValidatorPoll`. A bill's
 * route is 0-7 (stacked, escrow, returned, to recycler, disabled bill rejected, ...); status codes
 * as `VALIDATOR_STATUS`.
 */
export type ValidatorPollItem =
  | { readonly kind: "bill"; readonly billType: number; readonly route: number }
  /** Bills inserted while the validator was disabled (b6). */
  | { readonly kind: "attempts"; readonly count: number }
  | { readonly kind: "status"; readonly code: number };

/** The byte of one POLL reply item. */
function validatorItemByte(item: ValidatorPollItem): number {
  switch (item.kind) {
    case "bill":
      return 0x80 | ((item.route & 0x07) << 4) | (item.billType & 0x0f);
    case "attempts":
      return 0x40 | (item.count & 0x1f);
    case "status":
      return item.code & 0x3f;
  }
}

/** The bytes of POLL reply items, in order. */
export function writeValidatorPoll(items: readonly ValidatorPollItem[]): number[] {
  return items.map(validatorItemByte);
}

/** A POLL reply's items, one a byte. */
export function readValidatorPoll(bytes: ArrayLike<number>): ValidatorPollItem[] {
  return Array.from(bytes, (b): ValidatorPollItem => {
    if (b & 0x80) return { kind: "bill", billType: b & 0x0f, route: (b >> 4) & 0x07 };
    if ((b & 0xe0) === 0x40) return { kind: "attempts", count: b & 0x1f };
    return { kind: "status", code: b };
  });
}
