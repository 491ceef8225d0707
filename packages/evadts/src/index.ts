export { AuditFile } from "./audit-file.js";
export { parse, type ParseOptions } from "./parse.js";
export { write, buildAudit, toAuditFile, type AuditModel, type EnvelopeOptions } from "./write.js";
export { validate, isEvadtsDate, isEvadtsTime } from "./validate.js";
export { crc16, crc16Update, crcHex } from "./crc16.js";
export type { TransactionSetCrc } from "./envelope.js";
export {
  EvadtsError,
  FINDING_CODES,
  MAX_FINDINGS_PER_CODE,
  type Finding,
  type FindingCode,
  type Severity,
} from "./findings.js";
export type { Segment, SegmentInput, LineEnd } from "./segment.js";
export { segmentDef, KNOWN_SEGMENTS, type SegmentDef, type ElementDef, type ElementType } from "./dictionary.js";
export { decodeSegment, toInt, type DecodedSegment, type DecodedElement } from "./decode.js";
export {
  products,
  cashTotals,
  events,
  priceLists,
  identification,
  vendTotals,
  cashlessSales,
  type Counters,
  type Product,
  type ProductSalesByMedium,
  type CashTotals,
  type AuditEvent,
  type EventCounter,
  type PriceListEntry,
  type Identification,
} from "./accessors.js";
export { summarize, formatMoney } from "./summary.js";
export { encodeLatin1, decodeLatin1 } from "./latin1.js";
