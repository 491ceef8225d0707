import { tagKey } from "./scan-kernel.js";

/**
 * Where each segment of a file starts and ends (its line end excluded) and what its identifier
 * is. Built once by the scan kernel (scan-kernel.ts); everything else reads segments through it
 * without splitting the whole file.
 */
export interface SegmentIndex {
  /** The text the file is in: the file itself, or the whole file an audit was taken from. */
  readonly text: string;
  /** Where the file starts and ends in `text` (0 and text.length for a parsed file). */
  readonly base: number;
  readonly limit: number;
  /** Where each segment starts in `text`. */
  readonly starts: Uint32Array;
  /** The length of each segment's line end: 2 CR LF, 1 LF or CR, 0 none (the last segment only). */
  readonly eols: Uint8Array;
  /** Each segment's `Kind`, with the TRAILING_BLANK bit. */
  readonly kinds: Uint8Array;
  /** Each segment's identifier packed by `tagKey`, 0 when it has none. */
  readonly keys: Uint32Array;
  readonly count: number;
}

/** Where segment `i` ends (its line end excluded): computed, not kept. */
export function segmentEnd(ix: SegmentIndex, i: number): number {
  const next = i + 1 < ix.count ? (ix.starts[i + 1] as number) : ix.limit;
  return next - (ix.eols[i] as number);
}

/** Segments `first..last` of a file as a file of their own, sharing its text and index. */
export function subIndex(ix: SegmentIndex, first: number, last: number): SegmentIndex {
  return {
    text: ix.text,
    base: ix.starts[first] as number,
    limit: last + 1 < ix.count ? (ix.starts[last + 1] as number) : ix.limit,
    starts: ix.starts.subarray(first, last + 1),
    eols: ix.eols.subarray(first, last + 1),
    kinds: ix.kinds.subarray(first, last + 1),
    keys: ix.keys.subarray(first, last + 1),
    count: last - first + 1,
  };
}

const STAR = 42;
const IDENTIFIER = /^[A-Z][A-Z0-9]{1,3}$/;

/**
 * A test for identifier `tag`, made once for a scan over many segments: for an identifier, one
 * comparison of packed identifiers a segment; for anything else, the text (it matches no
 * identifier the kernel packed, but a line may still begin with it).
 */
export function tagTest(tag: string): (ix: SegmentIndex, i: number) => boolean {
  if (IDENTIFIER.test(tag)) {
    const key = tagKey(tag);
    return (ix, i) => ix.keys[i] === key;
  }
  return (ix, i) => {
    const start = ix.starts[i] as number;
    const end = segmentEnd(ix, i);
    const after = start + tag.length;
    if (after > end || !ix.text.startsWith(tag, start)) return false;
    return after === end || ix.text.charCodeAt(after) === STAR;
  };
}

/** Offset just past segment `i`'s identifier: where its element 0 ends. */
export function tagEnd(ix: SegmentIndex, i: number): number {
  return elementEnd(ix, i, ix.starts[i] as number);
}

/** Offset where element `n` (1-based; 0 is the tag) of segment `i` starts; -1 when it has fewer. */
export function elementStart(ix: SegmentIndex, i: number, n: number): number {
  const end = segmentEnd(ix, i);
  let p = ix.starts[i] as number;
  for (let k = 0; k < n; k++) {
    const star = ix.text.indexOf("*", p);
    if (star === -1 || star >= end) return -1;
    p = star + 1;
  }
  return p;
}

/** Offset where the element of segment `i` that starts at `from` ends. */
export function elementEnd(ix: SegmentIndex, i: number, from: number): number {
  const end = segmentEnd(ix, i);
  const star = ix.text.indexOf("*", from);
  return star === -1 || star > end ? end : star;
}

/** Element `n` (1-based; 0 is the tag) of segment `i`, and the offset where it starts. */
export function elementAt(
  ix: SegmentIndex,
  i: number,
  n: number,
): { value: string; offset: number } | undefined {
  const p = elementStart(ix, i, n);
  return p === -1 ? undefined : { value: ix.text.slice(p, elementEnd(ix, i, p)), offset: p };
}

/**
 * Whether element `n` of segment `i` and element `m` of segment `j` hold the same text, compared
 * in place: undefined when either is absent.
 */
export function sameElement(
  ix: SegmentIndex,
  i: number,
  n: number,
  j: number,
  m: number,
): boolean | undefined {
  const a = elementStart(ix, i, n);
  const b = elementStart(ix, j, m);
  if (a === -1 || b === -1) return undefined;
  const length = elementEnd(ix, i, a) - a;
  if (elementEnd(ix, j, b) - b !== length) return false;
  for (let k = 0; k < length; k++) if (ix.text.charCodeAt(a + k) !== ix.text.charCodeAt(b + k)) return false;
  return true;
}

/**
 * Whether element `n` of segment `i` is written exactly as the decimal `value` (a non-negative
 * integer: no sign, no leading zero), compared in place: undefined when absent.
 */
export function elementIsNumber(ix: SegmentIndex, i: number, n: number, value: number): boolean | undefined {
  const a = elementStart(ix, i, n);
  if (a === -1) return undefined;
  const b = elementEnd(ix, i, a);
  if (b === a || b - a > 15 || (b - a > 1 && ix.text.charCodeAt(a) === 48)) return false;
  let read = 0;
  for (let p = a; p < b; p++) {
    const d = ix.text.charCodeAt(p) - 48;
    if (d < 0 || d > 9) return false;
    read = read * 10 + d;
  }
  return read === value;
}
