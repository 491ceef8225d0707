import { crc16Update, crcHex } from "./crc16.js";
import { FINDING_CODES, type FindingCode, type FindingList, type Severity } from "./findings.js";
import { elementAt, type SegmentIndex, tagEnd } from "./segment-index.js";

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

const STAR = 42;
const SPACE = 32;
const CR = 13;
const LF = 10;
const CRLF = "\r\n";

/** What the envelope walk needs to know of a segment's identifier. */
enum Kind {
  Bad = 0,
  Other = 1,
  DXS = 2,
  DXE = 3,
  ST = 4,
  SE = 5,
  G85 = 6,
}

const pack = (tag: string): number => {
  let key = 0;
  for (let k = 0; k < tag.length; k++) key = key * 256 + tag.charCodeAt(k);
  return key;
};
const KEY_DXS = pack("DXS");
const KEY_DXE = pack("DXE");
const KEY_ST = pack("ST");
const KEY_SE = pack("SE");
const KEY_G85 = pack("G85");

/**
 * Classifies segment `i` from its first characters: an identifier is 2-4 upper-case letters and
 * digits starting with a letter, followed by `*` or the end of the segment.
 */
function classify(text: string, start: number, end: number): Kind {
  let key = 0;
  let p = start;
  for (; p < end && p - start < 5; p++) {
    const c = text.charCodeAt(p);
    if (c === STAR) break;
    if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57 && p > start))) return Kind.Bad;
    key = key * 256 + c;
  }
  const len = p - start;
  if (len < 2 || len > 4 || (p < end && text.charCodeAt(p) !== STAR)) return Kind.Bad;
  if (key === KEY_DXS) return Kind.DXS;
  if (key === KEY_DXE) return Kind.DXE;
  if (key === KEY_ST) return Kind.ST;
  if (key === KEY_SE) return Kind.SE;
  if (key === KEY_G85) return Kind.G85;
  return Kind.Other;
}

/**
 * Walks the segment index once and reports what is wrong with the envelope (DXS..DXE, ST..SE,
 * G85), the line ends and the segment identifiers, without building a string per segment.
 * Returns each transaction set's stated and computed G85.
 *
 * The CRC runs over ST .. the segment before G85 with CR LF after each segment. Where the file
 * has CR LF, that is a contiguous stretch of the text, so it is folded in one call when the
 * stretch ends; a segment with another line end closes the stretch and adds CR LF itself.
 */
export function checkEnvelope(ix: SegmentIndex, out: FindingList): TransactionSetCrc[] {
  const sets: TransactionSetCrc[] = [];
  const { text, starts, ends, count } = ix;
  const report = (code: FindingCode, severity: Severity, i: number, detail?: string, element?: number) =>
    out.add(code, () => {
      const at = element === undefined ? undefined : elementAt(ix, i, element);
      const segStart = i < count ? (starts[i] as number) : text.length;
      const offset = at?.offset ?? segStart;
      return {
        severity,
        message: detail ? `${FINDING_CODES[code]}: ${detail}` : FINDING_CODES[code],
        ...(i < count ? { segmentIndex: i, segment: text.slice(segStart, tagEnd(ix, i)) } : {}),
        ...(element === undefined ? {} : { element }),
        offset,
        line: i < count ? i + 1 : Math.max(count, 1),
        column: offset - segStart + 1,
      };
    });

  const kinds = new Uint8Array(count);
  let firstDxs = -1;
  let anySt = false;
  for (let i = 0; i < count; i++) {
    const k = classify(text, starts[i] as number, ends[i] as number);
    kinds[i] = k;
    if (k === Kind.DXS && firstDxs === -1) firstDxs = i;
    else if (k === Kind.ST) anySt = true;
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
  /** Start of the stretch of text not yet folded into `crc`; -1 when the CRC is not running. */
  let pending = -1;
  let g85Stated: string | undefined;

  const foldUpTo = (offset: number) => {
    if (pending !== -1) {
      crc = crc16Update(crc, text, pending, offset);
      pending = -1;
    }
  };
  /** Closes the open set; `at` is the segment that closes it (count: the end of the file). */
  const closeSet = (at: number) => {
    foldUpTo(at < count ? (starts[at] as number) : text.length);
    const computed = crcHex(crc);
    sets.push({
      line: stIndex + 1,
      stated: g85Stated,
      computed,
      match: g85Stated !== undefined && g85Stated.toUpperCase() === computed,
    });
    setOpen = false;
  };
  const closeUnterminated = (at: number) => {
    report("MISSING_SE", "error", at, `the set opened at line ${stIndex + 1} is not closed`);
    closeSet(at);
  };

  let lfOnly = 0;
  let crOnly = 0;
  let unterminated = 0;
  let firstBadEnd = -1;

  for (let i = 0; i < count; i++) {
    const start = starts[i] as number;
    const end = ends[i] as number;
    const next = i + 1 < count ? (starts[i + 1] as number) : text.length;
    const crlf = next - end === 2;
    if (!crlf) {
      if (firstBadEnd === -1) firstBadEnd = i;
      if (next === end) unterminated++;
      else if (text.charCodeAt(end) === LF) lfOnly++;
      else if (text.charCodeAt(end) === CR) crOnly++;
    }
    if (start === end) {
      report("EMPTY_LINE", "error", i);
      continue;
    }
    const kind = kinds[i] as Kind;
    if (kind === Kind.Bad) report("BAD_TAG", "error", i);
    if (text.charCodeAt(end - 1) === SPACE) report("TRAILING_BLANKS", "warning", i);

    switch (kind) {
      case Kind.DXS:
        if (setOpen) closeUnterminated(i);
        if (inTransmission && dxsIndex !== -1) report("MISSING_DXE", "warning", i, "a new DXS starts first");
        inTransmission = true;
        dxsIndex = i;
        setsInTransmission = 0;
        continue;
      case Kind.DXE: {
        if (setOpen) closeUnterminated(i);
        if (!inTransmission) report("OUTSIDE_ENVELOPE", "warning", i, "DXE without DXS");
        const stated = elementAt(ix, i, 2)?.value;
        if (stated !== undefined && stated !== String(setsInTransmission)) {
          report("DXE_COUNT", "warning", i, `states ${stated}, counted ${setsInTransmission}`, 2);
        }
        if (dxsIndex !== -1) {
          const control = elementAt(ix, i, 1)?.value;
          const opened = elementAt(ix, dxsIndex, 4)?.value;
          if (control !== undefined && opened !== undefined && control !== opened) {
            report("DXE_CONTROL", "warning", i, `DXE01 ${control}, DXS04 ${opened}`, 1);
          }
        }
        inTransmission = false;
        dxsIndex = -1;
        continue;
      }
    }
    if (!inTransmission) {
      report("OUTSIDE_ENVELOPE", "warning", i, firstDxs > i ? "before DXS" : "after DXE");
      continue;
    }
    if (kind === Kind.ST) {
      if (setOpen) {
        report("NESTED_ST", "error", i);
        closeSet(i);
      }
      setOpen = true;
      stIndex = i;
      segmentsInSet = 1;
      g85Stated = undefined;
      crc = 0;
      pending = start;
    } else if (!setOpen) {
      if (anySt) report("OUTSIDE_TRANSACTION_SET", "error", i);
      continue;
    } else {
      segmentsInSet++;
      if (kind === Kind.G85) {
        foldUpTo(start);
        g85Stated = elementAt(ix, i, 1)?.value ?? "";
        const computed = crcHex(crc);
        if (!/^[0-9A-F]{4}$/.test(g85Stated)) report("G85_FORMAT", "warning", i, `"${g85Stated}"`, 1);
        if (g85Stated.toUpperCase() !== computed) {
          report("G85_MISMATCH", "warning", i, `states ${g85Stated}, computed ${computed}`, 1);
        }
        continue;
      }
      if (kind === Kind.SE) {
        foldUpTo(start);
        const stated = elementAt(ix, i, 1)?.value;
        if (stated !== String(segmentsInSet)) {
          report("SE_COUNT", "warning", i, `states ${stated ?? "nothing"}, counted ${segmentsInSet}`, 1);
        }
        const control = elementAt(ix, i, 2)?.value;
        const opened = elementAt(ix, stIndex, 2)?.value;
        if (control !== opened) report("SE_CONTROL", "warning", i, `SE02 ${control}, ST02 ${opened}`, 2);
        if (g85Stated === undefined) report("MISSING_G85", "warning", i);
        closeSet(i);
        setsInTransmission++;
        continue;
      }
    }
    // This segment is in the CRC (the running stretch is -1 only after G85).
    if (!crlf && pending !== -1) {
      crc = crc16Update(crc16Update(crc, text, pending, end), CRLF);
      pending = next;
    }
  }
  if (firstBadEnd !== -1) {
    const detail = [
      lfOnly ? `${lfOnly} end with LF only` : "",
      crOnly ? `${crOnly} with CR only` : "",
      unterminated ? "the last has no line end" : "",
    ];
    report("LINE_END", "warning", firstBadEnd, detail.filter(Boolean).join(", "));
  }
  if (setOpen) closeUnterminated(count);
  if (inTransmission) report("MISSING_DXE", "warning", count);
  return sets;
}
