import { APP_MESSAGES, type DdcmpMessage, encodeMessage } from "@vendkit/ddcmp";
import { Input } from "./harness.js";

const KINDS = ["data", "data", "data", "ack", "nak", "rep", "start", "stack", "maintenance"] as const;

/**
 * A DDCMP message with both CRCs right, its kind and fields from the fuzzer's bytes; a data
 * message carries an EVA-DTS application message head (COMMAND, RESPONSE or BLOCK) half the time,
 * so the search starts past the link layer.
 */
export function ddcmpFrame(payload: Uint8Array): Uint8Array {
  const i = new Input(payload);
  const pick = i.u8();
  const kind = KINDS[pick % KINDS.length] as (typeof KINDS)[number];
  const addr = 1;
  const flags = pick & 0xc0;
  let m: DdcmpMessage;
  switch (kind) {
    case "data": {
      const head = APP_MESSAGES.defs[i.u8() % APP_MESSAGES.defs.length]?.head ?? [];
      const body = i.rest();
      const data = pick & 0x08 ? body : Uint8Array.from([...head, ...body]);
      m = { kind, resp: i.u8(), num: i.u8(), addr, flags, data };
      break;
    }
    case "maintenance":
      m = { kind, addr, flags, data: i.rest() };
      break;
    case "ack":
      m = { kind, resp: i.u8(), addr, flags };
      break;
    case "nak":
      m = { kind, resp: i.u8(), reason: i.u8() & 0x3f, addr, flags };
      break;
    case "rep":
      m = { kind, num: i.u8(), addr, flags };
      break;
    case "start":
      m = { kind, addr, flags, mbd: i.u8() % 10 };
      break;
    case "stack":
      m = { kind, addr, flags, sbd: i.u8() % 10, mbd: i.u8() % 10 };
      break;
  }
  return encodeMessage(m);
}
