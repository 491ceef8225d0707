import type { TransactionSetCrc, Transmission } from "./envelope.js";
import type { Finding } from "./findings.js";
import { fromIndex } from "./parse.js";
import { ELEMENT_SEPARATOR, type LineEnd, type Segment, type SegmentInput } from "./segment.js";
import { hasTag, type SegmentIndex, segmentEnd, tagEnd } from "./segment-index.js";

/**
 * A parsed EVA-DTS audit file. It keeps the file's text and an index of where each segment
 * starts and how long its line end is, and builds segment objects only when asked: a 50 MB
 * audit costs 5 bytes a segment on top of its text. The text is the file, byte for byte (latin1), so writing it back
 * gives the same bytes.
 */
export class AuditFile {
  /** @internal use `parse()` */
  constructor(
    private readonly index: SegmentIndex,
    readonly findings: readonly Finding[],
    /** Each transaction set's G85: stated and computed. */
    readonly transactionSets: readonly TransactionSetCrc[],
    /**
     * Each DXS..DXE transmission (one audit) in the file, in order: a file may hold several
     * audits one after another, and transport framing around them.
     */
    readonly transmissions: readonly Transmission[] = [],
  ) {}

  /**
   * Each audit in the file as an AuditFile of its own (its findings, sets and accessors apply to
   * that audit alone), with the line of its DXS in this file. A file holding exactly one audit and
   * nothing around it gives itself.
   */
  audits(): { line: number; file: AuditFile }[] {
    const only = this.transmissions[0];
    if (
      this.transmissions.length === 1 &&
      only &&
      only.firstSegment === 0 &&
      only.lastSegment === this.length - 1
    )
      return [{ line: 1, file: this }];
    // each audit on the lines already found: its text and index are this file's, moved to 0
    return this.transmissions.map((t) => {
      const ix = this.index;
      const start = ix.starts[t.firstSegment] as number;
      const end =
        t.lastSegment + 1 < this.length ? (ix.starts[t.lastSegment + 1] as number) : this.text.length;
      const count = t.lastSegment - t.firstSegment + 1;
      const starts = new Uint32Array(count);
      for (let k = 0; k < count; k++) starts[k] = (ix.starts[t.firstSegment + k] as number) - start;
      const index = {
        text: this.text.slice(start, end),
        starts,
        eols: ix.eols.slice(t.firstSegment, t.lastSegment + 1),
        kinds: ix.kinds.slice(t.firstSegment, t.lastSegment + 1),
        count,
      };
      return { line: t.line, file: fromIndex(index) };
    });
  }

  /** The file's text, one character per byte. */
  get text(): string {
    return this.index.text;
  }

  /** Number of segments (lines). */
  get length(): number {
    return this.index.count;
  }

  /** True when no finding is an error. */
  get valid(): boolean {
    return this.findings.every((f) => f.severity !== "error");
  }

  /** The raw text of segment `i`, without its line end. */
  raw(i: number): string {
    this.check(i);
    return this.index.text.slice(this.index.starts[i], segmentEnd(this.index, i));
  }

  /** The segment identifier of segment `i`. */
  tag(i: number): string {
    this.check(i);
    return this.index.text.slice(this.index.starts[i], tagEnd(this.index, i));
  }

  /** Whether segment `i` has identifier `tag`, without building a string. */
  hasTag(i: number, tag: string): boolean {
    this.check(i);
    return hasTag(this.index, i, tag);
  }

  /** The line end that followed segment `i`. */
  lineEnd(i: number): LineEnd {
    this.check(i);
    const next = i + 1 < this.length ? (this.index.starts[i + 1] as number) : this.text.length;
    return this.index.text.slice(segmentEnd(this.index, i), next) as LineEnd;
  }

  /** Segment `i` with its elements and position. */
  segment(i: number): Segment {
    const { tag, elements } = splitSegment(this.raw(i));
    return {
      tag,
      elements,
      index: i,
      offset: this.index.starts[i] as number,
      line: i + 1,
      lineEnd: this.lineEnd(i),
    };
  }

  *[Symbol.iterator](): IterableIterator<Segment> {
    for (let i = 0; i < this.length; i++) yield this.segment(i);
  }

  /** Every segment, in order. */
  segments(): Segment[] {
    return Array.from(this);
  }

  /** The segments as plain input (tag and elements), e.g. to edit and rebuild. */
  toSegmentInputs(): SegmentInput[] {
    const out: SegmentInput[] = [];
    for (let i = 0; i < this.length; i++) out.push(splitSegment(this.raw(i)));
    return out;
  }

  /** The segments with identifier `tag`, in order. */
  all(tag: string): Segment[] {
    const out: Segment[] = [];
    for (let i = 0; i < this.length; i++) if (hasTag(this.index, i, tag)) out.push(this.segment(i));
    return out;
  }

  /** The first segment with identifier `tag`. */
  first(tag: string): Segment | undefined {
    for (let i = 0; i < this.length; i++) if (hasTag(this.index, i, tag)) return this.segment(i);
    return undefined;
  }

  /** 1-based line and column of a byte offset. */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.index.starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.index.starts[lo] ?? 0) + 1 };
  }

  toJSON(): { segments: Segment[]; findings: readonly Finding[]; transmissions: readonly Transmission[] } {
    return { segments: this.segments(), findings: this.findings, transmissions: this.transmissions };
  }

  private check(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) {
      throw new RangeError(`segment index ${i} is outside 0..${this.length - 1}`);
    }
  }
}

function splitSegment(raw: string): SegmentInput {
  const parts = raw.split(ELEMENT_SEPARATOR);
  const tag = parts.shift() as string;
  return { tag, elements: parts };
}
