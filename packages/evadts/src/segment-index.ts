/**
 * Where each segment of a file starts and ends (its line end excluded). Built once by the
 * scanner; everything else reads segments through it without splitting the whole file.
 */
export interface SegmentIndex {
  readonly text: string;
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
  readonly count: number;
}

const STAR = 42;

/** Whether segment `i` has identifier `tag`, compared in place. */
export function hasTag(ix: SegmentIndex, i: number, tag: string): boolean {
  const start = ix.starts[i] as number;
  const end = ix.ends[i] as number;
  const after = start + tag.length;
  if (after > end || !ix.text.startsWith(tag, start)) return false;
  return after === end || ix.text.charCodeAt(after) === STAR;
}

/** Offset just past segment `i`'s identifier. */
export function tagEnd(ix: SegmentIndex, i: number): number {
  const end = ix.ends[i] as number;
  const star = ix.text.indexOf("*", ix.starts[i]);
  return star === -1 || star > end ? end : star;
}

/** Element `n` (1-based; 0 is the tag) of segment `i`, and the offset where it starts. */
export function elementAt(
  ix: SegmentIndex,
  i: number,
  n: number,
): { value: string; offset: number } | undefined {
  const end = ix.ends[i] as number;
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
  let ends = new Uint32Array(cap);
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
      next = nextCr + 1 === nextLf ? nextLf + 1 : nextCr + 1;
    } else {
      end = nextLf;
      next = nextLf < n ? nextLf + 1 : n;
    }
    if (count === cap) {
      cap *= 2;
      const s = new Uint32Array(cap);
      s.set(starts);
      starts = s;
      const e = new Uint32Array(cap);
      e.set(ends);
      ends = e;
    }
    starts[count] = pos;
    ends[count] = end;
    count++;
    pos = next;
  }
  // Copy to the exact size so that a parsed file keeps 8 bytes a segment, not up to twice that.
  return { text, starts: starts.slice(0, count), ends: ends.slice(0, count), count };
}
