import { crc16Update, crcHex } from "./crc16.js";
import { FINDING_CODES, type FindingCode, type FindingList, type Severity } from "./findings.js";
import { elementAt, hasTag as is, type SegmentIndex, tagEnd } from "./segment-index.js";

const STAR = 42;
const SPACE = 32;

/** A tag is 2-4 characters, upper-case letters and digits, starting with a letter. */
function tagLength(ix: SegmentIndex, i: number): number {
  const start = ix.starts[i] as number;
  const end = ix.ends[i] as number;
  let p = start;
  while (p < end && p - start <= 4) {
    const c = ix.text.charCodeAt(p);
    if (c === STAR) break;
    const letter = c >= 65 && c <= 90;
    const digit = c >= 48 && c <= 57;
    if (!(letter || (digit && p > start))) return -1;
    p++;
  }
  const len = p - start;
  if (len < 2 || len > 4) return -1;
  if (p < end && ix.text.charCodeAt(p) !== STAR) return -1;
  return len;
}

/**
 * Walks the segment index once and reports what is wrong with the envelope (DXS..DXE, ST..SE,
 * G85), the line ends and the segment identifiers, without building a string per segment.
 */
/** The CRC of one transaction set, as stated in its G85 and as computed. */
export interface TransactionSetCrc {
  /** Line of the set's ST. */
  readonly line: number;
  /** What G85 states, undefined when the set has none. */
  readonly stated: string | undefined;
  /** CRC-16/ARC of ST .. the segment before G85 (or before SE), each followed by CR LF. */
  readonly computed: string;
  readonly match: boolean;
}

export function checkEnvelope(ix: SegmentIndex, out: FindingList): TransactionSetCrc[] {
  const sets: TransactionSetCrc[] = [];
  const { text, starts, ends, count } = ix;
  const report = (code: FindingCode, severity: Severity, i: number, detail?: string, element?: number) => {
    const at = element === undefined ? undefined : elementAt(ix, i, element);
    const offset = at?.offset ?? (i < count ? (starts[i] as number) : text.length);
    const segStart = i < count ? (starts[i] as number) : offset;
    const line = i < count ? i + 1 : Math.max(count, 1);
    out.add({
      code,
      severity,
      message: detail ? `${FINDING_CODES[code]}: ${detail}` : FINDING_CODES[code],
      ...(i < count ? { segmentIndex: i, segment: text.slice(segStart, tagEnd(ix, i)) } : {}),
      ...(element === undefined ? {} : { element }),
      offset,
      line,
      column: offset - segStart + 1,
    });
  };

  let firstDxs = -1;
  let anySt = false;
  for (let i = 0; i < count; i++) {
    if (firstDxs === -1 && is(ix, i, "DXS")) firstDxs = i;
    if (!anySt && is(ix, i, "ST")) anySt = true;
    if (firstDxs !== -1 && anySt) break;
  }
  if (firstDxs === -1) report("MISSING_DXS", "warning", 0);
  if (!anySt) report("MISSING_ST", "error", 0);

  let inTransmission = firstDxs === -1;
  let dxsIndex = -1;
  let setsInTransmission = 0;
  let setOpen = false;
  let stIndex = -1;
  let segmentsInSet = 0;
  let crc = 0;
  let g85Seen = false;
  let g85Stated: string | undefined;
  const closeSet = () => {
    const computed = crcHex(crc);
    const match = g85Stated !== undefined && g85Stated.toUpperCase() === computed;
    sets.push({ line: stIndex + 1, stated: g85Stated, computed, match });
    setOpen = false;
  };

  const closeSetMissingSe = (at: number) => {
    report("MISSING_SE", "error", at, `the set opened at line ${stIndex + 1} is not closed`);
    closeSet();
  };

  let lfOnly = 0;
  let crOnly = 0;
  let unterminated = 0;
  let firstBadEnd = -1;
  for (let i = 0; i < count; i++) {
    const start = starts[i] as number;
    const end = ends[i] as number;
    const next = i + 1 < count ? (starts[i + 1] as number) : text.length;
    if (next - end !== 2) {
      if (firstBadEnd === -1) firstBadEnd = i;
      if (next === end) unterminated++;
      else if (text.charCodeAt(end) === 10) lfOnly++;
      else crOnly++;
    }
    if (start === end) {
      report("EMPTY_LINE", "error", i);
      continue;
    }
    if (tagLength(ix, i) < 0) report("BAD_TAG", "error", i);
    if (text.charCodeAt(end - 1) === SPACE) report("TRAILING_BLANKS", "warning", i);

    if (is(ix, i, "DXS")) {
      if (setOpen) closeSetMissingSe(i);
      if (inTransmission && dxsIndex !== -1) report("MISSING_DXE", "warning", i, "a new DXS starts first");
      inTransmission = true;
      dxsIndex = i;
      setsInTransmission = 0;
      continue;
    }
    if (is(ix, i, "DXE")) {
      if (setOpen) closeSetMissingSe(i);
      if (!inTransmission) report("OUTSIDE_ENVELOPE", "warning", i, "DXE without DXS");
      const sets = elementAt(ix, i, 2)?.value;
      if (sets !== undefined && sets !== String(setsInTransmission)) {
        report("DXE_COUNT", "warning", i, `states ${sets}, counted ${setsInTransmission}`, 2);
      }
      if (dxsIndex !== -1) {
        const control = elementAt(ix, i, 1)?.value;
        const stated = elementAt(ix, dxsIndex, 4)?.value;
        if (control !== undefined && stated !== undefined && control !== stated) {
          report("DXE_CONTROL", "warning", i, `DXE01 ${control}, DXS04 ${stated}`, 1);
        }
      }
      inTransmission = false;
      dxsIndex = -1;
      continue;
    }
    if (!inTransmission) {
      report("OUTSIDE_ENVELOPE", "warning", i, firstDxs > i ? "before DXS" : "after DXE");
      continue;
    }
    if (is(ix, i, "ST")) {
      if (setOpen) {
        report("NESTED_ST", "error", i);
        closeSet();
      }
      setOpen = true;
      stIndex = i;
      segmentsInSet = 1;
      g85Seen = false;
      g85Stated = undefined;
      crc = crc16Update(crc16Update(0, text, start, end), "\r\n");
      continue;
    }
    if (!setOpen) {
      if (anySt) report("OUTSIDE_TRANSACTION_SET", "error", i);
      continue;
    }
    segmentsInSet++;
    if (is(ix, i, "G85")) {
      g85Seen = true;
      const stated = elementAt(ix, i, 1)?.value ?? "";
      g85Stated = stated;
      const computed = crcHex(crc);
      if (!/^[0-9A-F]{4}$/.test(stated)) report("G85_FORMAT", "warning", i, `"${stated}"`, 1);
      if (stated.toUpperCase() !== computed) {
        report("G85_MISMATCH", "warning", i, `states ${stated}, computed ${computed}`, 1);
      }
      continue;
    }
    if (is(ix, i, "SE")) {
      const stated = elementAt(ix, i, 1)?.value;
      if (stated !== String(segmentsInSet)) {
        report("SE_COUNT", "warning", i, `states ${stated ?? "nothing"}, counted ${segmentsInSet}`, 1);
      }
      const control = elementAt(ix, i, 2)?.value;
      const opened = elementAt(ix, stIndex, 2)?.value;
      if (control !== opened) report("SE_CONTROL", "warning", i, `SE02 ${control}, ST02 ${opened}`, 2);
      if (!g85Seen) report("MISSING_G85", "warning", i);
      closeSet();
      setsInTransmission++;
      continue;
    }
    if (!g85Seen) crc = crc16Update(crc16Update(crc, text, start, end), "\r\n");
  }
  if (firstBadEnd !== -1) {
    const kinds = [
      lfOnly ? `${lfOnly} end with LF only` : "",
      crOnly ? `${crOnly} with CR only` : "",
      unterminated ? "the last has no line end" : "",
    ];
    report("LINE_END", "warning", firstBadEnd, kinds.filter(Boolean).join(", "));
  }
  if (setOpen) closeSetMissingSe(count);
  if (inTransmission) report("MISSING_DXE", "warning", count);
  return sets;
}
