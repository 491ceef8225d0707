import { ascii, bytes, Layout, MessageTable, message, uint } from "@vendkit/machine";

/**
 * What a VMC sends an MDB coin changer (MDB/ICP 4.3 §5, address 08), each command declared once:
 * the address byte with its command (and EXPANSION's sub-command), then the fields. The master
 * driver encodes these; the simulator decodes them.
 */
export const CHANGER_COMMANDS = new MessageTable("MDB coin changer command", [
  message("reset", [0x08]),
  message("setup", [0x09]),
  message("tube-status", [0x0a]),
  message("poll", [0x0b]),
  // the coin types accepted, and those that may be paid out manually (bit n = type n)
  message("coin-type", [0x0c], uint("enable", 2), uint("manual", 2)),
  // the number of coins in the high nibble, the coin type in the low
  message("dispense", [0x0d], uint("coins", 1)),
  message("identification", [0x0f, 0x00]),
  message("feature-enable", [0x0f, 0x01], uint("features", 4)),
  message("alternative-payout", [0x0f, 0x02], uint("value", 1)),
  message("payout-status", [0x0f, 0x03]),
  message("payout-value-poll", [0x0f, 0x04]),
  message("diagnostic-status", [0x0f, 0x05]),
  message("manual-fill-report", [0x0f, 0x06]),
  message("manual-payout-report", [0x0f, 0x07]),
]);

/**
 * The changer's SETUP answer: Z1-Z7 fixed, then the coin type credits Z8-Z23, which may stop
 * after the last type in use (unsent bytes are zero, p. 5-4).
 */
export const CHANGER_SETUP = new Layout(
  "coin changer SETUP",
  uint("level", 1),
  uint("currency", 2),
  uint("scale", 1),
  uint("decimals", 1),
  uint("routing", 2),
  bytes("credits", "rest"),
);

/** TUBE STATUS: which tubes are full (Z1-Z2), then the counts, which may stop early (p. 5-5). */
export const CHANGER_TUBES = new Layout("coin changer TUBE STATUS", uint("full", 2), bytes("counts", "rest"));

/** EXPANSION IDENTIFICATION (p. 5-12): 33 fixed bytes, the features offered last. */
export const CHANGER_IDENTIFICATION = new Layout(
  "coin changer EXPANSION IDENTIFICATION",
  ascii("manufacturer", 3),
  ascii("serial", 12),
  ascii("model", 12),
  uint("version", 2),
  uint("features", 4),
);

/**
 * One item of a changer's POLL reply (§5.3 POLL), its bits declared once: the master reads items
 * with `readChangerPoll`, the simulator writes them with `writeChangerPoll`. Routes: 0 cash box,
 * 1 tubes, 2 not used, 3 rejected; status codes as `CHANGER_STATUS`.
 */
export type ChangerPollItem =
  /** Coins paid out by the changer's own buttons (b7), with the coins left in the tube. */
  | { readonly kind: "dispensed"; readonly coinType: number; readonly count: number; readonly inTube: number }
  /** A coin accepted (b6), its route, with the coins now in its tube. */
  | { readonly kind: "deposited"; readonly coinType: number; readonly route: number; readonly inTube: number }
  /** Slugs since the last POLL (b5). */
  | { readonly kind: "slugs"; readonly count: number }
  | { readonly kind: "status"; readonly code: number };

/** The bytes of one POLL reply item. */
function changerItemBytes(item: ChangerPollItem): number[] {
  switch (item.kind) {
    case "dispensed":
      return [0x80 | ((item.count & 0x07) << 4) | (item.coinType & 0x0f), item.inTube & 0xff];
    case "deposited":
      return [0x40 | ((item.route & 0x03) << 4) | (item.coinType & 0x0f), item.inTube & 0xff];
    case "slugs":
      return [0x20 | (item.count & 0x1f)];
    case "status":
      return [item.code & 0x1f];
  }
}

/** The bytes of POLL reply items, in order. */
export function writeChangerPoll(items: readonly ChangerPollItem[]): number[] {
  return items.flatMap(changerItemBytes);
}

/** A POLL reply's items; an item cut short is a problem at its offset (what came before stands). */
export function readChangerPoll(bytes: ArrayLike<number>): {
  readonly items: ChangerPollItem[];
  readonly problem?: { readonly offset: number; readonly detail: string };
} {
  const items: ChangerPollItem[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b & 0xc0) {
      const inTube = bytes[i + 1];
      const dispensed = (b & 0x80) !== 0;
      if (inTube === undefined)
        return {
          items,
          problem: { offset: i, detail: `${dispensed ? "manual dispense" : "deposit"} without tube count` },
        };
      items.push(
        dispensed
          ? { kind: "dispensed", coinType: b & 0x0f, count: (b >> 4) & 0x07, inTube }
          : { kind: "deposited", coinType: b & 0x0f, route: (b >> 4) & 0x03, inTube },
      );
      i++;
    } else if (b & 0x20) items.push({ kind: "slugs", count: b & 0x1f });
    else items.push({ kind: "status", code: b });
  }
  return { items };
}
