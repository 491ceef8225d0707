import { crc16Update, crcHex } from "./crc16.js";
import {
  FINDING_CODES,
  type Finding,
  type FindingCode,
  type FindingList,
  type Severity,
} from "./findings.js";
import { KIND_MASK, Kind, TRAILING_BLANK } from "./scan-kernel.js";
import {
  elementAt,
  elementIsNumber,
  type SegmentIndex,
  sameElement,
  segmentEnd,
  tagEnd,
} from "./segment-index.js";

/**
 * The ways real machines compute G85, tried in this order: `standard` (EVA-DTS: CR LF after every
 * segment from ST to the one before G85) and `no-final-line-end` (CR LF between those segments but
 * none after the last, as reads of an N&W telemetry unit carry).
 */
export type G85Variant = "standard" | "no-final-line-end";

/** The CRC of one transaction set, as stated in its G85 and as computed. */
export interface TransactionSetCrc {
  /** Line of the set's ST. */
  readonly line: number;
  /** What G85 states, undefined when the set has none. */
  readonly stated: string | undefined;
  /** CRC-16/ARC of ST .. the segment before G85 (or before SE), each followed by CR LF. */
  readonly computed: string;
  /** True when the stated G85 matches one of the variants. */
  readonly match: boolean;
  /** The variant that matched, the standard one first; absent when none did. */
  readonly variant?: G85Variant;
  /** The `no-final-line-end` CRC, when it was needed (the standard one did not match). */
  readonly computedNoFinalLineEnd?: string;
}

/** One DXS..DXE transmission (one audit) in a file, by segment index. */
export interface Transmission {
  /** 1-based line of its DXS (1 when the file has no DXS at all). */
  readonly line: number;
  /** Index of its first segment (the DXS) and of its last (the DXE, or the last one read). */
  readonly firstSegment: number;
  readonly lastSegment: number;
  /** Whether a DXE closes it. */
  readonly closed: boolean;
}

const CR = 13;
const LF = 10;
const CRLF = "\r\n";

/** Whether `s` is four upper-case hexadecimal digits, as G85 must be. */
function isHex4(s: string): boolean {
  if (s.length !== 4) return false;
  for (let k = 0; k < 4; k++) {
    const c = s.charCodeAt(k);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

/** Where the walk gets the G85 CRCs from. */
export interface CrcSource {
  /**
   * Folds bytes `start..end` of the text into a CRC: the scan kernel's, which has the file
   * loaded; by default the text's characters, in JavaScript.
   */
  readonly fold?: (crc: number, start: number, end: number) => number;
  /**
   * The sets of the file this one is an audit of, and the segment of that file where this one
   * starts: a set found there (same segments, same line ends) gives its CRCs, not computed again.
   */
  readonly known?: { readonly sets: readonly TransactionSetCrc[]; readonly firstSegment: number };
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
export function checkEnvelope(
  ix: SegmentIndex,
  out: FindingList,
  source: CrcSource = {},
): { sets: TransactionSetCrc[]; transmissions: Transmission[] } {
  const fold =
    source.fold ?? ((crc: number, start: number, end: number) => crc16Update(crc, ix.text, start, end));
  const known = source.known;
  /** The first of the known sets that can be this file's (a binary search: a file of many audits has many). */
  let knownAt = 0;
  if (known !== undefined) {
    let hi = known.sets.length;
    while (knownAt < hi) {
      const mid = (knownAt + hi) >> 1;
      if ((known.sets[mid] as TransactionSetCrc).line <= known.firstSegment) knownAt = mid + 1;
      else hi = mid;
    }
  }
  const sets: TransactionSetCrc[] = [];
  const transmissions: Transmission[] = [];
  const { text, starts, eols, kinds, count } = ix;
  const report = (code: FindingCode, severity: Severity, i: number, detail?: string, element?: number) =>
    out.add(code, () => {
      const at = element === undefined ? undefined : elementAt(ix, i, element);
      const segStart = i < count ? (starts[i] as number) : ix.limit;
      const offset = at?.offset ?? segStart;
      // built property by property, in the order a Finding lists them
      const f: { -readonly [K in keyof Finding]: Finding[K] } = {
        code,
        severity,
        message: detail ? `${FINDING_CODES[code]}: ${detail}` : FINDING_CODES[code],
      } as Finding;
      if (i < count) {
        f.segmentIndex = i;
        f.segment = text.slice(segStart, tagEnd(ix, i));
      }
      if (element !== undefined) f.element = element;
      f.offset = offset - ix.base;
      f.line = i < count ? i + 1 : Math.max(count, 1);
      f.column = offset - segStart + 1;
      return f;
    });

  let firstDxs = -1;
  let anySt = false;
  for (let i = 0; i < count && (firstDxs === -1 || !anySt); i++) {
    const k = (kinds[i] as number) & KIND_MASK;
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
  let g85Variant: G85Variant | undefined;
  let g85Alternative: string | undefined;
  /** The CRC up to the end of the last segment folded with an added CR LF, before that CR LF. */
  let crcBeforeAddedEnd = 0;

  /** The open set as the file it was taken from computed it, when there is one. */
  let knownSet: TransactionSetCrc | undefined;

  const foldUpTo = (offset: number) => {
    if (pending !== -1) {
      if (knownSet === undefined) crc = fold(crc, pending, offset);
      pending = -1;
    }
  };
  /** Closes the open set; `at` is the segment that closes it (count: the end of the file). */
  const closeSet = (at: number) => {
    foldUpTo(at < count ? (starts[at] as number) : ix.limit);
    const set: { -readonly [K in keyof TransactionSetCrc]: TransactionSetCrc[K] } = {
      line: stIndex + 1,
      stated: g85Stated,
      computed: knownSet?.computed ?? crcHex(crc),
      match: g85Variant !== undefined,
    };
    if (g85Variant !== undefined) set.variant = g85Variant;
    if (g85Alternative !== undefined) set.computedNoFinalLineEnd = g85Alternative;
    sets.push(set);
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

  /**
   * Lines outside every DXS..DXE (transport framing such as a telemetry header, text between
   * concatenated audits, a trailer) are not judged as segments: each run of them is one finding.
   */
  let outsideFrom = -1;
  const closeOutside = (at: number) => {
    if (outsideFrom === -1) return;
    const n = at - outsideFrom;
    const where =
      transmissions.length === 0 ? "before DXS" : at < count ? "between two transmissions" : "after DXE";
    report("OUTSIDE_ENVELOPE", "warning", outsideFrom, `${n} line${n === 1 ? "" : "s"} ${where}`);
    outsideFrom = -1;
  };
  const closeTransmission = (last: number, closed: boolean) => {
    if (dxsIndex === -1) return;
    transmissions.push({ line: dxsIndex + 1, firstSegment: dxsIndex, lastSegment: last, closed });
  };

  // what most lines of a file are: an ordinary segment (so not empty) ended by CR LF, in an open
  // set (a set is open only inside a transmission), so nothing to report and no CRC stretch to
  // close. Runs of them are skipped by a loop on locals that no closure captures.
  const kindAt = kinds;
  const eolAt = eols;
  const last = count - 1;
  for (let i = 0; i < count; i++) {
    if (setOpen) {
      let j = i;
      while (j < last && kindAt[j] === Kind.Other && eolAt[j] === 2) j++;
      segmentsInSet += j - i;
      i = j;
    }
    const start = starts[i] as number;
    const next = i + 1 < count ? (starts[i + 1] as number) : ix.limit;
    const end = next - (eols[i] as number);
    const kind = ((kinds[i] as number) & KIND_MASK) as Kind;
    if (!inTransmission && kind !== Kind.DXS && kind !== Kind.DXE) {
      if (outsideFrom === -1) outsideFrom = i;
      continue;
    }
    if (outsideFrom !== -1) closeOutside(i);
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
    if (kind === Kind.Bad) report("BAD_TAG", "error", i);
    if ((kinds[i] as number) & TRAILING_BLANK) report("TRAILING_BLANKS", "warning", i);

    switch (kind) {
      case Kind.DXS:
        if (setOpen) closeUnterminated(i);
        if (inTransmission && dxsIndex !== -1) {
          report("MISSING_DXE", "warning", i, "a new DXS starts first");
          closeTransmission(i - 1, false);
        }
        inTransmission = true;
        dxsIndex = i;
        setsInTransmission = 0;
        continue;
      case Kind.DXE: {
        if (setOpen) closeUnterminated(i);
        if (!inTransmission) report("OUTSIDE_ENVELOPE", "warning", i, "DXE without DXS");
        // compared in place; the strings are built only for a finding
        if (elementIsNumber(ix, i, 2, setsInTransmission) === false) {
          const stated = elementAt(ix, i, 2)?.value;
          report("DXE_COUNT", "warning", i, `states ${stated}, counted ${setsInTransmission}`, 2);
        }
        if (dxsIndex !== -1 && sameElement(ix, i, 1, dxsIndex, 4) === false) {
          const control = elementAt(ix, i, 1)?.value;
          const opened = elementAt(ix, dxsIndex, 4)?.value;
          report("DXE_CONTROL", "warning", i, `DXE01 ${control}, DXS04 ${opened}`, 1);
        }
        closeTransmission(i, true);
        inTransmission = false;
        dxsIndex = -1;
        continue;
      }
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
      g85Variant = undefined;
      g85Alternative = undefined;
      crc = 0;
      pending = start;
      knownSet = undefined;
      if (known !== undefined) {
        const line = known.firstSegment + i + 1;
        while (knownAt < known.sets.length && (known.sets[knownAt] as TransactionSetCrc).line < line)
          knownAt++;
        if (known.sets[knownAt]?.line === line) knownSet = known.sets[knownAt];
      }
    } else if (!setOpen) {
      if (anySt) report("OUTSIDE_TRANSACTION_SET", "error", i);
      continue;
    } else {
      segmentsInSet++;
      if (kind === Kind.G85) {
        // what the no-final-line-end variant needs, computed only when the standard one fails:
        // the running stretch up to the end of the previous segment, or (when that segment's
        // CR LF was added, not read) the CRC before it
        const previousEnd = segmentEnd(ix, i - 1);
        const stretchFrom = pending;
        const crcAtStretch = crc;
        foldUpTo(start);
        g85Stated = elementAt(ix, i, 1)?.value ?? "";
        const computed = knownSet?.computed ?? crcHex(crc);
        const wellFormed = isHex4(g85Stated);
        if (!wellFormed) report("G85_FORMAT", "warning", i, `"${g85Stated}"`, 1);
        const stated = wellFormed ? g85Stated : g85Stated.toUpperCase();
        if (stated === computed) g85Variant = "standard";
        else {
          g85Alternative =
            knownSet?.computedNoFinalLineEnd ??
            crcHex(
              stretchFrom !== -1 && stretchFrom <= previousEnd
                ? fold(crcAtStretch, stretchFrom, previousEnd)
                : crcBeforeAddedEnd,
            );
          if (stated === g85Alternative) {
            g85Variant = "no-final-line-end";
            report("G85_VARIANT", "warning", i, `states ${g85Stated}; the standard CRC is ${computed}`, 1);
          } else
            report(
              "G85_MISMATCH",
              "warning",
              i,
              `states ${g85Stated}, computed ${computed} (${g85Alternative} without the last CR LF)`,
              1,
            );
        }
        continue;
      }
      if (kind === Kind.SE) {
        foldUpTo(start);
        if (elementIsNumber(ix, i, 1, segmentsInSet) !== true) {
          const stated = elementAt(ix, i, 1)?.value;
          report("SE_COUNT", "warning", i, `states ${stated ?? "nothing"}, counted ${segmentsInSet}`, 1);
        }
        const sameControl = sameElement(ix, i, 2, stIndex, 2);
        const control = sameControl === true ? undefined : elementAt(ix, i, 2)?.value;
        const opened = sameControl === true ? undefined : elementAt(ix, stIndex, 2)?.value;
        if (sameControl === false || control !== opened) {
          report("SE_CONTROL", "warning", i, `SE02 ${control}, ST02 ${opened}`, 2);
        }
        if (g85Stated === undefined) report("MISSING_G85", "warning", i);
        closeSet(i);
        setsInTransmission++;
        continue;
      }
    }
    // This segment is in the CRC (the running stretch is -1 only after G85).
    if (!crlf && pending !== -1 && knownSet === undefined) {
      crcBeforeAddedEnd = fold(crc, pending, end);
      crc = crc16Update(crcBeforeAddedEnd, CRLF);
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
  closeOutside(count);
  if (setOpen) closeUnterminated(count);
  if (inTransmission) report("MISSING_DXE", "warning", count);
  if (inTransmission && dxsIndex !== -1) closeTransmission(count - 1, false);
  if (firstDxs === -1 && count > 0)
    transmissions.push({ line: 1, firstSegment: 0, lastSegment: count - 1, closed: false });
  return { sets, transmissions };
}
