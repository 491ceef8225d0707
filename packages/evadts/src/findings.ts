/** Stable codes for everything the parser and validator can say about an audit file. */
export const FINDING_CODES = {
  LINE_END: "segments are not all terminated by CR LF",
  TRAILING_BLANKS: "segment ends with blanks",
  EMPTY_LINE: "empty line where a segment was expected",
  BAD_TAG: "segment identifier is not 2-4 upper-case letters and digits",
  MISSING_DXS: "no DXS segment opens the transmission",
  MISSING_DXE: "no DXE segment closes the transmission",
  OUTSIDE_ENVELOPE: "segment outside the DXS..DXE envelope",
  OUTSIDE_TRANSACTION_SET: "segment outside an ST..SE transaction set",
  MISSING_ST: "no ST segment opens a transaction set",
  MISSING_SE: "transaction set is not closed by SE",
  NESTED_ST: "ST inside an open transaction set",
  SE_COUNT: "SE01 does not match the number of segments in the transaction set",
  SE_CONTROL: "SE02 does not match the ST02 control number",
  DXE_COUNT: "DXE02 does not match the number of transaction sets",
  DXE_CONTROL: "DXE01 does not match the DXS04 transmission control number",
  MISSING_G85: "transaction set carries no G85 CRC",
  G85_FORMAT: "G85 value is not four upper-case hexadecimal digits",
  G85_MISMATCH: "G85 value does not match the CRC of the transaction set",
  G85_VARIANT: "G85 matches the CRC computed without the CR LF after the last segment, not the standard one",
  EXTRA_ELEMENTS: "segment has more elements than EVA-DTS defines for it",
  MISSING_ELEMENT: "mandatory element is empty or absent",
  NOT_NUMERIC: "numeric element holds something other than digits",
  BAD_DATE: "date element is not a valid YYMMDD or CCYYMMDD date",
  BAD_TIME: "time element is not a valid HHMM or HHMMSS time",
  TOO_LONG: "element is longer than EVA-DTS allows",
  PLACEHOLDER_DATE: "date element holds a placeholder (0) that real machines send for no date",
  PLACEHOLDER_TIME: "time element holds a placeholder (0) that real machines send for no time",
  EMPTY_IDENTIFIER: "identifier left empty, as real machines send in short reads",
  UNSET_VALUE: "numeric element holds an unprogrammed memory fill (FFFF)",
  FINDINGS_ELIDED: "more findings of one code than are listed",
} as const;

export type FindingCode = keyof typeof FINDING_CODES;
export type Severity = "error" | "warning";

/** One thing found wrong in an audit file, with where it is. */
export interface Finding {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly message: string;
  /** Index of the segment in the file (0-based), when the finding is about one. */
  readonly segmentIndex?: number;
  /** Segment identifier, e.g. `SE`. */
  readonly segment?: string;
  /** Element position within the segment, 1-based (`PA102` is element 2 of PA1). */
  readonly element?: number;
  /** Byte offset in the file. */
  readonly offset: number;
  /** 1-based line and column of `offset`. */
  readonly line: number;
  readonly column: number;
}

/** Thrown by strict parsing and by the writer for a model that cannot be written. */
export class EvadtsError extends Error {
  override readonly name = "EvadtsError";
  constructor(
    readonly code: FindingCode | "INVALID_MODEL" | "INVALID_INPUT",
    message: string,
    readonly offset = 0,
    readonly findings: readonly Finding[] = [],
  ) {
    super(message);
  }
}

/** Most findings of one code kept in a list; the rest are counted in one FINDINGS_ELIDED. */
export const MAX_FINDINGS_PER_CODE = 100;

/**
 * Collects findings, keeping at most MAX_FINDINGS_PER_CODE of each code. A finding is built only
 * when it will be kept, so a file with a million trailing blanks costs a counter, not a million
 * objects.
 */
export class FindingList {
  readonly items: Finding[];
  private readonly perCode = new Map<FindingCode, number>();

  /** Starts from findings already made (e.g. the parser's), elisions included. */
  constructor(initial: readonly Finding[] = []) {
    this.items = [...initial];
  }

  /** Counts a finding of `code` and, when it is kept, builds it (`build` gives it with its code). */
  add(code: FindingCode, build: () => Finding): void {
    const n = (this.perCode.get(code) ?? 0) + 1;
    this.perCode.set(code, n);
    if (n <= MAX_FINDINGS_PER_CODE) this.items.push(build());
  }

  /** The list sorted by offset, with one FINDINGS_ELIDED warning per code that overflowed. */
  done(): Finding[] {
    const elided = (f: Finding) => (f.code === "FINDINGS_ELIDED" ? 1 : 0);
    this.items.sort((a, b) => elided(a) - elided(b) || a.offset - b.offset);
    for (const [code, n] of this.perCode) {
      if (n > MAX_FINDINGS_PER_CODE) {
        this.items.push({
          code: "FINDINGS_ELIDED",
          severity: "warning",
          message: `${n - MAX_FINDINGS_PER_CODE} more ${code} findings not listed (${n} in all)`,
          offset: 0,
          line: 1,
          column: 1,
        });
      }
    }
    return this.items;
  }
}
