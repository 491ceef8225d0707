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

export type AppMessage =
  | {
      readonly kind: "who-are-you";
      readonly securityCode: number;
      readonly passCode: number;
      readonly at: DateTime;
      readonly userId: number;
      readonly access: number;
    }
  | {
      readonly kind: "who-are-you-accepted";
      readonly securityCode: number;
      readonly passCode: number;
      /** 8 bytes, sent as they are (ASCII digits, or zeros as EVA's own trace shows). */
      readonly serial: Uint8Array;
      readonly version: number;
      readonly manufacturer: number;
      /** READ DATA commands beyond the first that the master must send to get everything. */
      readonly extraReads: number;
      /** The slave's receive buffer, bytes; 0 means the default 256. */
      readonly bufferSize: number;
    }
  | { readonly kind: "who-are-you-rejected"; readonly denial: number }
  | {
      readonly kind: "read-data";
      readonly list: number;
      readonly record: number;
      readonly offset: number;
      readonly length: number;
    }
  | {
      readonly kind: "read-data-accepted";
      readonly list: number;
      readonly record: number;
      readonly offset: number;
      /** The record's length, or UNKNOWN_LENGTH. */
      readonly length: number;
    }
  | { readonly kind: "delete-data"; readonly list: number; readonly record: number }
  | { readonly kind: "finish" }
  /** Any other command (WRITE DATA, PROGRAM SLAVE DEVICE...), kept whole. */
  | { readonly kind: "command"; readonly code: number; readonly body: Uint8Array }
  /** A response this codec has no layout for, or a refusal (`accepted` false). */
  | {
      readonly kind: "response";
      readonly code: number;
      readonly accepted: boolean;
      readonly body: Uint8Array;
    }
  | { readonly kind: "block"; readonly number: number; readonly data: Uint8Array };

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

const bcd = (n: number) => ((Math.floor(n / 10) % 10) << 4) | (n % 10);
function fromBcd(b: number, at: number): number {
  const hi = b >> 4;
  const lo = b & 15;
  if (hi > 9 || lo > 9) throw new AppError("BAD_BCD", `byte ${b.toString(16)} is not BCD`, at);
  return hi * 10 + lo;
}
const msFirst = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const lsFirst = (n: number) => [n & 0xff, (n >> 8) & 0xff];

/** The data field of a message. */
export function encodeApp(m: AppMessage): Uint8Array {
  switch (m.kind) {
    case "who-are-you":
      return Uint8Array.from([
        COMMAND,
        CODE.whoAreYou,
        0,
        ...msFirst(m.securityCode),
        ...msFirst(m.passCode),
        bcd(m.at.day),
        bcd(m.at.month),
        bcd(m.at.year % 100),
        bcd(m.at.hour),
        bcd(m.at.minute),
        bcd(m.at.second),
        ...msFirst(m.userId),
        m.access & 0xff,
      ]);
    case "who-are-you-accepted": {
      const serial = Array.from({ length: 8 }, (_, i) => m.serial[i] ?? 0x30);
      return Uint8Array.from([
        RESPONSE,
        CODE.whoAreYou,
        1,
        ...msFirst(m.securityCode),
        ...msFirst(m.passCode),
        ...serial,
        m.version & 0xff,
        m.manufacturer & 0xff,
        m.extraReads & 0xff,
        0,
        ...msFirst(m.bufferSize),
      ]);
    }
    case "who-are-you-rejected":
      return Uint8Array.of(RESPONSE, CODE.whoAreYou, 0, m.denial & 0xff);
    case "read-data":
    case "read-data-accepted": {
      // the request and its acceptance differ only in the message class and the mode byte
      const request = m.kind === "read-data";
      return Uint8Array.from([
        request ? COMMAND : RESPONSE,
        CODE.readData,
        request ? 0 : 1,
        m.list & 0xff,
        m.record & 0xff,
        ...lsFirst(m.offset),
        ...lsFirst(m.length),
      ]);
    }
    case "delete-data":
      return Uint8Array.of(COMMAND, CODE.deleteData, 0, m.list & 0xff, m.record & 0xff);
    case "finish":
      return Uint8Array.of(COMMAND, CODE.finish);
    case "command":
      return Uint8Array.from([COMMAND, m.code & 0xff, ...m.body]);
    case "response":
      return Uint8Array.from([RESPONSE, m.code & 0xff, m.accepted ? 1 : 0, ...m.body]);
    case "block":
      return Uint8Array.from([BLOCK, m.number & 0xff, ...m.data]);
  }
}

function need(d: Uint8Array, n: number, what: string): void {
  if (d.length < n)
    throw new AppError("SHORT_MESSAGE", `${what} has ${d.length} bytes, needs ${n}`, d.length);
}

/** Reads a data field; throws `AppError` with a stable code for what it cannot read. */
export function decodeApp(d: Uint8Array): AppMessage {
  if (d.length === 0) throw new AppError("EMPTY", "an empty data message");
  const type = d[0] as number;
  const u16ms = (i: number) => ((d[i] as number) << 8) | (d[i + 1] as number);
  const u16ls = (i: number) => (d[i] as number) | ((d[i + 1] as number) << 8);
  // READ DATA and its acceptance carry the same fields in the same places
  const readData = () => ({
    list: d[3] as number,
    record: d[4] as number,
    offset: u16ls(5),
    length: u16ls(7),
  });
  if (type === BLOCK) {
    need(d, 2, "a data block");
    return { kind: "block", number: d[1] as number, data: d.subarray(2) };
  }
  if (type === COMMAND) {
    need(d, 2, "a command");
    const code = d[1] as number;
    switch (code) {
      case CODE.whoAreYou:
        need(d, 16, "WHO ARE YOU");
        return {
          kind: "who-are-you",
          securityCode: u16ms(3),
          passCode: u16ms(5),
          at: {
            day: fromBcd(d[7] as number, 7),
            month: fromBcd(d[8] as number, 8),
            year: 2000 + fromBcd(d[9] as number, 9),
            hour: fromBcd(d[10] as number, 10),
            minute: fromBcd(d[11] as number, 11),
            second: fromBcd(d[12] as number, 12),
          },
          userId: u16ms(13),
          access: d[15] as number,
        };
      case CODE.readData:
        need(d, 9, "READ DATA");
        return { kind: "read-data", ...readData() };
      case CODE.deleteData:
        need(d, 5, "DELETE DATA");
        return { kind: "delete-data", list: d[3] as number, record: d[4] as number };
      case CODE.finish:
        return { kind: "finish" };
      default:
        return { kind: "command", code, body: d.subarray(2) };
    }
  }
  if (type === RESPONSE) {
    need(d, 3, "a response");
    const code = d[1] as number;
    const accepted = d[2] === 1;
    if (code === CODE.whoAreYou && !accepted) {
      need(d, 4, "WHO ARE YOU rejected");
      return { kind: "who-are-you-rejected", denial: d[3] as number };
    }
    if (code === CODE.whoAreYou) {
      need(d, 21, "WHO ARE YOU accepted");
      return {
        kind: "who-are-you-accepted",
        securityCode: u16ms(3),
        passCode: u16ms(5),
        serial: d.slice(7, 15),
        version: d[15] as number,
        manufacturer: d[16] as number,
        extraReads: d[17] as number,
        bufferSize: u16ms(19),
      };
    }
    if (code === CODE.readData && accepted) {
      need(d, 9, "READ DATA accepted");
      return { kind: "read-data-accepted", ...readData() };
    }
    return { kind: "response", code, accepted, body: d.subarray(3) };
  }
  throw new AppError("UNKNOWN_TYPE", `data field type ${type.toString(16)} is not 0x77, 0x88 or 0x99`);
}
