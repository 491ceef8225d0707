export { type Answerer, Bus } from "./bus.js";
export {
  ExecutiveMaster,
  type MasterEvent,
  type MasterInput,
  type MasterOptions,
  type MasterOutput,
} from "./master.js";
export {
  type BridgeOutput,
  type ExecutiveMode,
  RECHARGE_STEP_UNITS,
  RendirestoBridge,
  type RendirestoHooks,
  type RendirestoOptions,
  STATISTICS_SPLIT,
  type StatisticsSplit,
} from "./rendiresto.js";
export { ChangerSimulator, VmcSimulator, type VmcSimulatorOptions } from "./simulators.js";
export { ExecutiveSlave, type SlaveEvent, type SlaveHandler, type SlaveOutput } from "./slave.js";
export {
  type CreditBlock,
  creditBlock,
  creditFromNibbles,
  creditNibbles,
  dataByte,
  decodeBlock,
  EXECUTIVE,
  type ExecutiveConstants,
  ExecutiveError,
  type ExecutiveErrorCode,
  encodeBlock,
  executiveConstants,
  isDataByte,
} from "./wire.js";
