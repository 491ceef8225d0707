import {
  type Field,
  FieldProblem,
  flag,
  type MessageOf,
  MessageTable,
  message,
  raw,
  reserved,
  uint,
} from "@vendkit/machine";

/**
 * The EVA-DTS application messages that ride in DDCMP data messages (EVA DTS 6.1.2 3.6.1 and
 * 3.6.4, pp. 71-95): commands 0x77, responses 0x88, data blocks 0x99. Multi-byte numbers go least
 * significant byte first, except the security code, pass code and user ID (most significant
 * first); date and time are BCD (6.1.1, p. 177).
 */
export const COMMAND = 0x77;
export const RESPONSE = 0x88;
export const BLOCK = 0x99;

/** Command codes (3.6.1, pp. 72-73). */
export const CODE = {
  whoAreYou: 0xe0,
  programSlave: 0xe1,
  readData: 0xe2,
  writeData: 0xe3,
  deleteData: 0xe4,
  programModule: 0xe5,
  readMemory: 0xe6,
  finish: 0xff,
} as const;

/** List numbers of READ DATA (3.6.1.2, p. 74). */
export const LIST = { audit: 1, securityRead: 2, dump: 50, configuration: 64 } as const;

/** Access types of WHO ARE YOU (p. 84). */
export const ACCESS = { maintenance: 0x0b, route: 0x0c } as const;

/** READ DATA's segment length for "length unknown: the last block carries the select flag". */
export const UNKNOWN_LENGTH = 0xffff;

export interface DateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** A wall-clock time as WHO ARE YOU carries it: the local date and time of `d`. */
export function localDateTime(d: Date): DateTime {
  return {
    year: d.getFullYear(),
    month: d.getMonth() + 1,
    day: d.getDate(),
    hour: d.getHours(),
    minute: d.getMinutes(),
    second: d.getSeconds(),
  };
}

const bcd = (n: number) => ((Math.floor(n / 10) % 10) << 4) | (n % 10);
function fromBcd(b: number, at: number): number {
  const hi = b >> 4;
  const lo = b & 15;
  if (hi > 9 || lo > 9) throw new FieldProblem("BAD_BCD", at, `byte ${b.toString(16)} is not BCD`);
  return hi * 10 + lo;
}

/** Date and time in BCD (6.1.1, p. 177): day, month, year of the century, hour, minute, second. */
function dateTime<N extends string>(name: N): Field<N, DateTime> {
  return {
    name,
    size: 6,
    optional: false,
    read: (b, at) => {
      const get = (i: number) => fromBcd(b[at + i] as number, at + i);
      return {
        day: get(0),
        month: get(1),
        year: 2000 + get(2),
        hour: get(3),
        minute: get(4),
        second: get(5),
      };
    },
    write: (v, out, at) => {
      out.set([bcd(v.day), bcd(v.month), bcd(v.year % 100), bcd(v.hour), bcd(v.minute), bcd(v.second)], at);
    },
  };
}

// READ DATA and its acceptance carry the same fields in the same places
const segment = [
  uint("list", 1),
  uint("record", 1),
  uint("offset", 2, "le"),
  uint("length", 2, "le"),
] as const;

/**
 * The application messages, each declared once (3.6.1-3.6.4): a command, response or data block
 * byte, the command code (and for a response, whether it was accepted), then the fields. Security
 * code, pass code and user ID go most significant byte first, offsets and lengths least
 * significant first. A message longer than its layout keeps its extra bytes unread, as a slave
 * of an earlier revision would. Commands and responses this layout does not know are kept whole
 * (`command`, `response`); a refusal is a `response` with `accepted` false.
 */
export const APP_MESSAGES = new MessageTable(
  "EVA-DTS application message",
  [
    message(
      "who-are-you",
      [COMMAND, CODE.whoAreYou],
      reserved(1),
      uint("securityCode", 2),
      uint("passCode", 2),
      dateTime("at"),
      uint("userId", 2),
      uint("access", 1),
    ),
    message("read-data", [COMMAND, CODE.readData], reserved(1), ...segment),
    message("delete-data", [COMMAND, CODE.deleteData], reserved(1), uint("list", 1), uint("record", 1)),
    message("finish", [COMMAND, CODE.finish]),
    /** Any other command (WRITE DATA, PROGRAM SLAVE DEVICE...), kept whole. */
    message("command", [COMMAND], uint("code", 1), raw("body", "rest")),
    message("who-are-you-rejected", [RESPONSE, CODE.whoAreYou, 0], uint("denial", 1)),
    message(
      "who-are-you-accepted",
      [RESPONSE, CODE.whoAreYou, 1],
      uint("securityCode", 2),
      uint("passCode", 2),
      // 8 bytes, sent as they are (ASCII digits, or zeros as EVA's own trace shows)
      raw("serial", 8, 0x30),
      uint("version", 1),
      uint("manufacturer", 1),
      // READ DATA commands beyond the first that the master must send to get everything
      uint("extraReads", 1),
      reserved(1),
      // the slave's receive buffer, bytes; 0 means the default 256
      uint("bufferSize", 2),
    ),
    // the record's length, or UNKNOWN_LENGTH
    message("read-data-accepted", [RESPONSE, CODE.readData, 1], ...segment),
    message("response", [RESPONSE], uint("code", 1), flag("accepted"), raw("body", "rest")),
    message("block", [BLOCK], uint("number", 1), raw("data", "rest")),
  ],
  { key: "kind", trailing: "ignore" },
);

export type AppMessage = MessageOf<(typeof APP_MESSAGES.defs)[number], "kind">;

export type AppErrorCode = "EMPTY" | "UNKNOWN_TYPE" | "SHORT_MESSAGE" | "BAD_BCD";

/** What a data message holds that is not a well-formed application message. */
export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    /** Offset in the data field. */
    readonly offset = 0,
  ) {
    super(message);
    this.name = "AppError";
  }
}

/** The data field of a message. */
export function encodeApp(m: AppMessage): Uint8Array {
  return APP_MESSAGES.encode(m, undefined);
}

/** Reads a data field; throws `AppError` with a stable code and the offset for what it cannot read. */
export function decodeApp(d: Uint8Array): AppMessage {
  if (d.length === 0) throw new AppError("EMPTY", "an empty data message");
  const decoded = APP_MESSAGES.decode(d, undefined);
  if (decoded.ok) return decoded.message;
  const code: AppErrorCode =
    decoded.code === "UNKNOWN_MESSAGE"
      ? "UNKNOWN_TYPE"
      : decoded.code === "BAD_BCD"
        ? "BAD_BCD"
        : "SHORT_MESSAGE";
  throw new AppError(code, decoded.detail, decoded.offset);
}
