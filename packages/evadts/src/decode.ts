import { type ElementType, segmentDef } from "./dictionary.js";
import type { SegmentInput } from "./segment.js";

export interface DecodedElement {
  readonly id: string;
  readonly name: string;
  readonly type: ElementType;
  /** The element as written. */
  readonly raw: string;
  /** Numbers as numbers; empty elements and text that is not a number as undefined. */
  readonly value: string | number | undefined;
}

export interface DecodedSegment {
  readonly tag: string;
  /** EVA-DTS name of the segment, undefined when vendkit does not know it. */
  readonly name: string | undefined;
  readonly elements: readonly DecodedElement[];
}

/** An integer element, or undefined when empty or not a number. */
export function toInt(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === "" || !/^-?[0-9]+$/.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A segment's elements with their EVA-DTS identifiers, names and typed values. */
export function decodeSegment(seg: SegmentInput): DecodedSegment {
  const def = segmentDef(seg.tag);
  return {
    tag: seg.tag,
    name: def?.name,
    elements: seg.elements.map((raw, k) => {
      const d = def?.elements[k];
      const id = d?.id ?? `${seg.tag}${String(k + 1).padStart(2, "0")}`;
      const type = d?.type ?? "AN";
      const value = type === "N" ? toInt(raw) : raw === "" ? undefined : raw;
      return { id, name: d?.name ?? `element ${k + 1}`, type, raw, value };
    }),
  };
}
