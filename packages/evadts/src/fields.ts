import { toInt } from "./decode.js";
import { type SegmentIndex, segmentEnd } from "./segment-index.js";

const STAR = 42;
const MINUS = 45;
const ZERO = 48;
/** Elements located per segment: the identifier and elements 1..15, more than any accessor reads. */
const MAX = 16;

/**
 * The elements of one segment, found in place: a reader loads a segment and reads its elements as
 * numbers or strings without splitting it into an array. One reader serves every segment an
 * accessor visits, so reading a file's products builds the products and nothing else.
 */
export class Fields {
  private readonly from = new Int32Array(MAX);
  private readonly to = new Int32Array(MAX);
  private n = 0;
  private text = "";

  /** Loads segment `i` of `ix`; element 0 is its identifier. */
  load(ix: SegmentIndex, i: number): this {
    const text = ix.text;
    const end = segmentEnd(ix, i);
    let k = 0;
    let p = ix.starts[i] as number;
    this.from[0] = p;
    this.text = text;
    for (; p < end; p++) {
      if (text.charCodeAt(p) !== STAR) continue;
      this.to[k++] = p;
      if (k === MAX) {
        this.n = MAX;
        return this;
      }
      this.from[k] = p + 1;
    }
    this.to[k] = end;
    this.n = k + 1;
    return this;
  }

  /** Element `n` (1-based, up to 15) as written; undefined when the segment has fewer elements. */
  str(n: number): string | undefined {
    within(n);
    return n < this.n ? this.text.slice(this.from[n], this.to[n]) : undefined;
  }

  /** Element `n` as an integer, as `toInt` reads it: undefined when absent, empty or not a number. */
  int(n: number): number | undefined {
    within(n);
    if (n >= this.n) return undefined;
    const text = this.text;
    let p = this.from[n] as number;
    const e = this.to[n] as number;
    const negative = p < e && text.charCodeAt(p) === MINUS;
    if (negative) p++;
    // beyond 15 digits a double may not hold the value: the exact, slower way
    if (p === e || e - p > 15) return toInt(this.str(n));
    let value = 0;
    for (; p < e; p++) {
      const d = text.charCodeAt(p) - ZERO;
      if (d < 0 || d > 9) return undefined;
      value = value * 10 + d;
    }
    return negative ? -value : value;
  }
}

function within(n: number): void {
  if (n >= MAX) throw new RangeError(`element ${n}: a reader locates elements 1..${MAX - 1}`);
}
