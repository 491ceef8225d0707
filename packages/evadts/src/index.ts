export {
  type AuditEvent,
  type CashTotals,
  type Counters,
  cashlessSales,
  cashTotals,
  type EventCounter,
  events,
  type Identification,
  identification,
  type PriceListEntry,
  type Product,
  type ProductSalesByMedium,
  priceLists,
  products,
  vendTotals,
} from "./accessors.js";
export { AuditFile } from "./audit-file.js";
export { crc16, crc16Update, crcHex } from "./crc16.js";
export { type DecodedElement, type DecodedSegment, decodeSegment, toInt } from "./decode.js";
export {
  type ElementDef,
  type ElementType,
  KNOWN_SEGMENTS,
  type SegmentDef,
  segmentDef,
} from "./dictionary.js";
export type { G85Variant, TransactionSetCrc, Transmission } from "./envelope.js";
export {
  EvadtsError,
  FINDING_CODES,
  type Finding,
  type FindingCode,
  MAX_FINDINGS_PER_CODE,
  type Severity,
} from "./findings.js";
export { decodeLatin1, encodeLatin1 } from "./latin1.js";
export { MAX_FILE_BYTES, type ParseOptions, parse } from "./parse.js";
export type { LineEnd, Segment, SegmentInput } from "./segment.js";
export type { SegmentIndex } from "./segment-index.js";
export { formatMoney, summarize } from "./summary.js";
export { isEvadtsDate, isEvadtsTime, type ValidateOptions, validate } from "./validate.js";
export { type AuditModel, buildAudit, type EnvelopeOptions, toAuditFile, write } from "./write.js";
