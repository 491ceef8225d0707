export { type CapturedPacket, EVENT, LINKTYPE_MDB, MdbCapture, readPcap } from "./capture.js";
export {
  CASHLESS_COMMANDS,
  type CashlessCommand,
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
  CASHLESS_RESPONSES,
  type CashlessResponse,
  decodeResponses,
  encodeResponse,
  type ResponseProblem,
} from "./cashless/responses.js";
export { type Exchange, type VmcOptions, VmcSimulator } from "./cashless/vmc-simulator.js";
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
export {
  BILL_ROUTES,
  type BillRoute,
  BillValidatorMaster,
  decodeValidatorPoll,
  VALIDATOR,
  VALIDATOR_STATUS,
  type ValidatorEvent,
  type ValidatorSetup,
} from "./master/bill-validator.js";
export { type BlockPeripheral, PeripheralBus } from "./master/bus.js";
export {
  CHANGER_COMMANDS,
  CHANGER_IDENTIFICATION,
  CHANGER_SETUP,
  CHANGER_TUBES,
  type ChangerPollItem,
  readChangerPoll,
  writeChangerPoll,
} from "./master/changer-messages.js";
export {
  CHANGER,
  CHANGER_STATUS,
  type ChangerEvent,
  type ChangerSetup,
  CoinChangerMaster,
  decodeChangerPoll,
  type TubeStatus,
} from "./master/coin-changer.js";
export { DeviceMaster, type LineOptions, WORD_MS } from "./master/device-master.js";
export { type BusEvent, MdbBus } from "./master/mdb-bus.js";
export { type Pending, Poller } from "./master/poller.js";
export { BillValidatorSimulator, CoinChangerSimulator } from "./master/simulators.js";
export {
  readValidatorPoll,
  VALIDATOR_COMMANDS,
  VALIDATOR_IDENTIFICATION,
  VALIDATOR_SETUP,
  VALIDATOR_STACKER,
  type ValidatorPollItem,
  writeValidatorPoll,
} from "./master/validator-messages.js";
export { PeripheralPort, type PortDevice } from "./peripheral-port.js";
export { encodeWords, type FramingError, WordDeframer } from "./transport/mdb9-framing.js";
export {
  parseReplyLine,
  parseRequestLine,
  QIBIXX,
  type QibixxConstants,
  replyLine,
  requestLine,
} from "./transport/qibixx.js";
export {
  approveLine,
  denyLine,
  enableLine,
  formatAmount,
  parseAmount,
  parseCashlessLine,
  QIBIXX_CASHLESS,
  type QibixxCashlessEvent,
  QibixxCashlessHost,
} from "./transport/qibixx-cashless.js";
