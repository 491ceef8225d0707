/** A segment as an author writes it: its identifier and its elements, in order. */
export interface SegmentInput {
  readonly tag: string;
  /** Elements after the tag; `[]` for a bare tag, `[""]` for `TAG*`. */
  readonly elements: readonly string[];
}

export type LineEnd = "\r\n" | "\n" | "\r" | "";

/** A segment read from a file, with where it stands. */
export interface Segment extends SegmentInput {
  readonly index: number;
  /** Byte offset of the segment's first character. */
  readonly offset: number;
  /** 1-based line number (one segment per line). */
  readonly line: number;
  /** The terminator that followed it in the file. */
  readonly lineEnd: LineEnd;
}

/** The separator between a segment's elements. */
export const ELEMENT_SEPARATOR = "*";
