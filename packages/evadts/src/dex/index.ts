export {
  ACK0,
  ACK1,
  blockCrc,
  type DexFrame,
  DexFrameParser,
  DLE,
  ENQ,
  EOT,
  ETB,
  ETX,
  encodeBlock,
  NAK,
  SOH,
  STX,
} from "./frames.js";
export {
  DEFAULT_BLOCK_SIZE,
  DEFAULT_REVISION,
  DexCollector,
  DexDevice,
  type DexOptions,
  verifyAudit,
} from "./roles.js";
export { DEFAULT_DEX_TIMING, type DexEvent, type DexFailure, type DexTiming, type Step } from "./session.js";
