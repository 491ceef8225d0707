export {
  CONTROL,
  type DdcmpMessage,
  DLE,
  ENQ,
  encodeMessage,
  MAX_COUNT,
  MessageParser,
  NAK_REASON,
  type ParseError,
  QSYNC,
  SELECT,
  SOH,
} from "./messages.js";
export {
  type Output,
  Station,
  type StationEvent,
  type StationOptions,
  type StationState,
} from "./station.js";
