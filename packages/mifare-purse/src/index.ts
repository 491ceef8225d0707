export {
  type AccessBits,
  access,
  type DataOp,
  dataAllows,
  decodeAccessBytes,
  encodeAccessBytes,
  type KeyType,
  keyBIsReadable,
  type SectorAccess,
  TRANSPORT_ACCESS,
  type TrailerPart,
  trailerAllows,
} from "./access-bits.js";
export {
  blocksInSector,
  type CardSize,
  firstBlock,
  SimulatedCard,
  sectorCount,
  sectorOf,
  type Tear,
  TRANSPORT_KEY,
  trailerBlock,
} from "./card.js";
export { aesCmac } from "./cmac.js";
export { crc32, toHex } from "./crc32.js";
export { diversify, type KeySet } from "./diversify.js";
export {
  CARD_ERRORS,
  CardError,
  type CardErrorCode,
  PURSE_ERRORS,
  PurseError,
  type PurseErrorCode,
} from "./errors.js";
export {
  decodeIdentity,
  encodeIdentity,
  type Holder,
  holderOf,
  type Identity,
  identityGeneration,
  KEY_FUNCTIONS,
  type KeyFunction,
} from "./identity.js";
export { PAYLOAD_FUNCTIONS, payloadCapacity, payloadSectors } from "./payload.js";
export {
  type CardView,
  IDENTITY_SECTOR,
  IDENTITY_SLOTS,
  PURSE_ACCESS,
  PurseSystem,
  type PurseSystemOptions,
  recordSector,
} from "./purse.js";
export type { ClassicReader } from "./reader.js";
export {
  CATEGORIES,
  decodeRecord,
  EMPTY_STATE,
  encodeRecord,
  isNewer,
  type PurseState,
  RECORD_BYTES,
  type RecordCheck,
} from "./record.js";
export { decodeValueBlock, encodeValueBlock, type ValueBlockProblem } from "./value-block.js";
