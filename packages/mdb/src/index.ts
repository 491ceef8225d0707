export {
  type CashlessCommand,
  type CommandProblem,
  commandLength,
  decodeCommand,
  encodeCommand,
} from "./cashless/commands.js";
export { type CashlessContext, LEVEL1, OPTIONS } from "./cashless/context.js";
export {
  type Answer,
  type CashlessEvent,
  type CashlessOptions,
  CashlessPeripheral,
  type CashlessState,
  type Customisations,
  type ReaderIdentity,
} from "./cashless/peripheral.js";
export {
  type CashlessResponse,
  decodeResponses,
  encodeResponse,
  type ResponseProblem,
} from "./cashless/responses.js";
export { type Exchange, type VmcOptions, VmcSimulator, type WordDevice } from "./cashless/vmc-simulator.js";
export {
  ACK,
  ADDRESSES,
  addressOf,
  CommandDecoder,
  checksum,
  commandOf,
  DEFAULT_TIMING,
  encodeMasterBlock,
  encodePeripheralResponse,
  type LinkError,
  type LinkErrorCode,
  MAX_BLOCK,
  type MasterFrame,
  type MdbTiming,
  MODE,
  NAK,
  type PeripheralReply,
  RET,
  ReplyDecoder,
} from "./link.js";
