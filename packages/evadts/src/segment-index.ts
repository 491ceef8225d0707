/**
 * Where each segment of a file starts and ends (its line end excluded). Built once by the
 * scanner; everything else reads segments through it without splitting the whole file.
 */
export interface SegmentIndex {
  readonly text: string;
  readonly starts: Uint32Array;
  /** The length of each segment's line end: 2 CR LF, 1 LF or CR, 0 none (the last segment only). */
  readonly eols: Uint8Array;
  readonly count: number;
}

/** Where segment `i` ends (its line end excluded): 5 bytes a segment kept, not 8. */
export function segmentEnd(ix: SegmentIndex, i: number): number {
  const next = i + 1 < ix.count ? (ix.starts[i + 1] as number) : ix.text.length;
  return next - (ix.eols[i] as number);
}

const STAR = 42;

/** Whether segment `i` has identifier `tag`, compared in place. */
export function hasTag(ix: SegmentIndex, i: number, tag: string): boolean {
  const start = ix.starts[i] as number;
  const end = segmentEnd(ix, i);
  const after = start + tag.length;
  if (after > end || !ix.text.startsWith(tag, start)) return false;
  return after === end || ix.text.charCodeAt(after) === STAR;
}

/** Offset just past segment `i`'s identifier. */
export function tagEnd(ix: SegmentIndex, i: number): number {
  const end = segmentEnd(ix, i);
  const star = ix.text.indexOf("*", ix.starts[i]);
  return star === -1 || star > end ? end : star;
}

/** Element `n` (1-based; 0 is the tag) of segment `i`, and the offset where it starts. */
export function elementAt(
  ix: SegmentIndex,
  i: number,
  n: number,
): { value: string; offset: number } | undefined {
  const end = segmentEnd(ix, i);
  let p = ix.starts[i] as number;
  for (let k = 0; k < n; k++) {
    const star = ix.text.indexOf("*", p);
    if (star === -1 || star >= end) return undefined;
    p = star + 1;
  }
  const star = ix.text.indexOf("*", p);
  return { value: ix.text.slice(p, star === -1 || star > end ? end : star), offset: p };
}

/**
 * Splits text into lines at CR LF, LF or a lone CR. Each terminator is looked for once with
 * indexOf and remembered until the scan passes it, so the scan is linear even in a file that
 * has only one kind of line end.
 */
export function scanSegments(text: string): SegmentIndex {
  const n = text.length;
  let cap = Math.max(16, (n / 24) | 0);
  let starts = new Uint32Array(cap);
  let eols = new Uint8Array(cap);
  let count = 0;
  let nextLf = -1;
  let nextCr = -1;
  let pos = 0;
  while (pos < n) {
    if (nextLf < pos) {
      nextLf = text.indexOf("\n", pos);
      if (nextLf === -1) nextLf = n;
    }
    if (nextCr < pos) {
      nextCr = text.indexOf("\r", pos);
      if (nextCr === -1) nextCr = n;
    }
    let end: number;
    let next: number;
    if (nextCr < nextLf) {
      end = nextCr;
      // CR LF, or a CR alone (also the last character: nextLf is then n, not a LF)
      next = nextCr + 1 === nextLf && nextLf < n ? nextLf + 1 : nextCr + 1;
    } else {
      end = nextLf;
      next = nextLf < n ? nextLf + 1 : n;
    }
    if (count === cap) {
      cap *= 2;
      const s = new Uint32Array(cap);
      s.set(starts);
      starts = s;
      const e = new Uint8Array(cap);
      e.set(eols);
      eols = e;
    }
    starts[count] = pos;
    eols[count] = next - end;
    count++;
    pos = next;
  }
  // Copy to the exact size so that a parsed file keeps 5 bytes a segment, not up to twice that.
  return { text, starts: starts.slice(0, count), eols: eols.slice(0, count), count };
}
