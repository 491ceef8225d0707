export { type AuditPair, AuditQueue } from "./audit-queue.js";
export { Bus } from "./bus.js";
export {
  CARD_READER,
  CARD_READER_COMMAND_CODES,
  type CardReaderCommand,
  type CardReaderEvent,
  type CardReaderHandler,
  type CardReaderLayout,
  CardReaderPeripheral,
  cardReaderLayout,
} from "./card-reader.js";
export {
  ExecutiveMaster,
  type MasterEvent,
  type MasterOptions,
} from "./master.js";
export {
  type ExecutiveMode,
  RECHARGE_STEP_UNITS,
  RendirestoBridge,
  type RendirestoHooks,
  type RendirestoOptions,
  STATISTICS_SPLIT,
  type StatisticsSplit,
} from "./rendiresto.js";
export { ChangerSimulator, VmcSimulator, type VmcSimulatorOptions } from "./simulators.js";
export { ExecutiveSlave, type SlaveEvent, type SlaveHandler } from "./slave.js";
export { SlaveModeBus, SlaveModeChanger, type SlaveModeEvent } from "./slave-mode.js";
export {
  ADDRESSES,
  CommandSet,
  type CreditBlock,
  commandByte,
  creditBlock,
  creditFromNibbles,
  creditNibbles,
  type DeepPartial,
  dataByte,
  decodeBlock,
  displayCredit,
  EXECUTIVE,
  type ExecutiveConstants,
  ExecutiveError,
  type ExecutiveErrorCode,
  encodeBlock,
  executiveConstants,
  isDataByte,
  type PeripheralAddress,
  priceCode,
  readByte,
  VMC_COMMAND_CODES,
  VMC_COMMANDS,
  type VmcCommand,
} from "./wire.js";
