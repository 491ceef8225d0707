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
