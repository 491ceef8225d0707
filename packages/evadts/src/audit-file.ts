import type { TransactionSetCrc, Transmission } from "./envelope.js";
import type { Finding } from "./findings.js";
import { fromIndex } from "./parse.js";
import { ELEMENT_SEPARATOR, type LineEnd, type Segment, type SegmentInput } from "./segment.js";
import { type SegmentIndex, segmentEnd, subIndex, tagEnd, tagTest } from "./segment-index.js";

/**
 * A parsed EVA-DTS audit file. It keeps the file's text and an index of where each segment
 * starts and how long its line end is, and builds segment objects only when asked: a 50 MB
 * audit costs 5 bytes a segment on top of its text. The text is the file, byte for byte (latin1), so writing it back
 * gives the same bytes.
 */
export class AuditFile {
  private wholeText: string | undefined;

  /** @internal use `parse()` */
  constructor(
    /** @internal where the segments are; shared with the file an audit was taken from */
    readonly index: SegmentIndex,
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
   * that audit alone, as if it were parsed alone), with the line of its DXS in this file. A file
   * holding exactly one audit and nothing around it gives itself. The audits share this file's
   * text and index, and take its G85 CRCs rather than computing them again.
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
    return this.transmissions.map((t) => ({
      line: t.line,
      file: fromIndex(subIndex(this.index, t.firstSegment, t.lastSegment), {
        known: { sets: this.transactionSets, firstSegment: t.firstSegment },
      }),
    }));
  }

  /** The file's text, one character per byte. */
  get text(): string {
    const { text, base, limit } = this.index;
    if (base === 0 && limit === text.length) return text;
    this.wholeText ??= text.slice(base, limit);
    return this.wholeText;
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
    return tagTest(tag)(this.index, i);
  }

  /** The line end that followed segment `i`. */
  lineEnd(i: number): LineEnd {
    this.check(i);
    const next = i + 1 < this.length ? (this.index.starts[i + 1] as number) : this.index.limit;
    return this.index.text.slice(segmentEnd(this.index, i), next) as LineEnd;
  }

  /** Segment `i` with its elements and position. */
  segment(i: number): Segment {
    const { tag, elements } = splitSegment(this.raw(i));
    return {
      tag,
      elements,
      index: i,
      offset: (this.index.starts[i] as number) - this.index.base,
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
    const has = tagTest(tag);
    for (let i = 0; i < this.length; i++) if (has(this.index, i)) out.push(this.segment(i));
    return out;
  }

  /** The first segment with identifier `tag`. */
  first(tag: string): Segment | undefined {
    const has = tagTest(tag);
    for (let i = 0; i < this.length; i++) if (has(this.index, i)) return this.segment(i);
    return undefined;
  }

  /** 1-based line and column of a byte offset. */
  position(offset: number): { line: number; column: number } {
    const at = offset + this.index.base;
    let lo = 0;
    let hi = this.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.index.starts[mid] as number) <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - (this.index.starts[lo] ?? this.index.base) + 1 };
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
