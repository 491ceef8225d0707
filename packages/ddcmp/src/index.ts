export {
  ACCESS,
  APP_MESSAGES,
  AppError,
  type AppErrorCode,
  type AppMessage,
  BLOCK,
  CODE,
  COMMAND,
  type DateTime,
  decodeApp,
  encodeApp,
  LIST,
  localDateTime,
  RESPONSE,
  UNKNOWN_LENGTH,
} from "./application.js";
export {
  AuditCollector,
  type AuditCollectorEvent,
  type AuditCollectorOptions,
  type CollectorFailure,
  type Identification,
} from "./audit-collector.js";
export {
  AuditDevice,
  type AuditDeviceEvent,
  type AuditDeviceOptions,
  type ListSource,
} from "./audit-device.js";
export {
  EvaLink,
  type EvaLinkEvent,
  type EvaLinkFailure,
  type EvaLinkOptions,
  type EvaLinkState,
} from "./eva-link.js";
export {
  BAUD_CODES,
  baudCode,
  DEFAULT_BUFFER,
  EVA_TIMING,
  type EvaTiming,
  MESSAGE_OVERHEAD,
  START_BAUD,
  STATION_ADDRESS,
} from "./eva-profile.js";
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
export { Progress, progressLine } from "./progress.js";
export {
  Station,
  type StationEvent,
  type StationOptions,
  type StationState,
} from "./station.js";
