import { AuditFile } from "./audit-file.js";
import { crc16Update, crcHex } from "./crc16.js";
import { EvadtsError } from "./findings.js";
import { encodeLatin1 } from "./latin1.js";
import { parse } from "./parse.js";
import type { LineEnd, SegmentInput } from "./segment.js";

/** A list of segments and the line end to put after each. */
export interface AuditModel {
  readonly segments: readonly SegmentInput[];
  /** Default CR LF, as EVA-DTS requires. */
  readonly lineEnd?: Exclude<LineEnd, "">;
  /** Whether the last segment is followed by a line end too (default true). */
  readonly finalLineEnd?: boolean;
}

const STAR = 42;
const CR = 13;
const LF = 10;

/** Whether `tag` is an EVA-DTS identifier: 2-4 upper-case letters and digits, a letter first. */
function isTag(tag: string): boolean {
  const n = tag.length;
  if (n < 2 || n > 4) return false;
  for (let k = 0; k < n; k++) {
    const c = tag.charCodeAt(k);
    if (!((c >= 65 && c <= 90) || (k > 0 && c >= 48 && c <= 57))) return false;
  }
  return true;
}

/** The refusal of segment `i`'s element `k` (1-based) as `kind`. */
function refuse(seg: SegmentInput, i: number, k: number, kind: "separator" | "character"): EvadtsError {
  return kind === "separator"
    ? new EvadtsError("INVALID_MODEL", `segment ${i} (${seg.tag}) element ${k}: holds "*" or is not text`)
    : new EvadtsError(
        "INVALID_MODEL",
        `segment ${i} (${seg.tag}): holds a line end or a character above 0xFF`,
      );
}

/**
 * A model's bytes, refusing what could not be read back as the same segments: written straight
 * into one buffer (its size counted first), each character looked at once, no string built.
 */
function serialize(model: AuditModel): Uint8Array {
  const eol = model.lineEnd ?? "\r\n";
  const { segments } = model;
  const final = segments.length > 0 && model.finalLineEnd !== false;
  let size = final ? segments.length * eol.length : Math.max(0, segments.length - 1) * eol.length;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as SegmentInput;
    if (typeof seg.tag !== "string" || !isTag(seg.tag))
      throw new EvadtsError(
        "INVALID_MODEL",
        `segment ${i}: "${seg.tag}" is not a 2-4 character EVA-DTS identifier`,
      );
    size += seg.tag.length;
    const { elements } = seg;
    for (let k = 0; k < elements.length; k++) {
      const e = elements[k];
      if (typeof e !== "string") throw refuse(seg, i, k + 1, "separator");
      size += 1 + e.length;
    }
  }
  const out = new Uint8Array(size);
  const [eol0, eol1] = [eol.charCodeAt(0), eol.length > 1 ? eol.charCodeAt(1) : -1];
  let o = 0;
  for (let i = 0; i < segments.length; i++) {
    if (i > 0) {
      out[o++] = eol0;
      if (eol1 !== -1) out[o++] = eol1;
    }
    const seg = segments[i] as SegmentInput;
    const tag = seg.tag;
    for (let k = 0; k < tag.length; k++) out[o++] = tag.charCodeAt(k);
    const { elements } = seg;
    for (let k = 0; k < elements.length; k++) {
      const e = elements[k] as string;
      out[o++] = STAR;
      for (let j = 0; j < e.length; j++) {
        const c = e.charCodeAt(j);
        if (c === STAR) throw refuse(seg, i, k + 1, "separator");
        if (c === CR || c === LF || c > 0xff) throw refuse(seg, i, k + 1, "character");
        out[o++] = c;
      }
    }
  }
  if (final) {
    out[o++] = eol0;
    if (eol1 !== -1) out[o++] = eol1;
  }
  return out;
}

/**
 * The bytes of an audit file. A parsed `AuditFile` is written exactly as it was read, quirks
 * and all; a model is written segment by segment with its line end. Neither recomputes SE or
 * G85: `buildAudit` makes a model whose envelope is right.
 */
export function write(input: AuditFile | AuditModel): Uint8Array {
  return input instanceof AuditFile ? encodeLatin1(input.text) : serialize(input);
}

/** A model's segments as a parsed file (the model is checked as `write` checks it). */
export function toAuditFile(model: AuditModel): AuditFile {
  return parse(serialize(model));
}

export interface EnvelopeOptions {
  /** DXS01, the sender's communication ID (up to 10 characters): e.g. manufacturer code + serial. */
  readonly communicationId: string;
  /** DXS02, default `VA` (vending audit). */
  readonly functionalId?: string;
  /** DXS03, default `V0/6` (EVA-DTS 6). */
  readonly version?: string;
  /** DXS04 and DXE01, default 1. */
  readonly transmissionControl?: number;
  /** ST02 and SE02, default `0001`. */
  readonly setControl?: string;
}

/**
 * Wraps the body segments of one transaction set in the EVA-DTS envelope: DXS, ST, the body,
 * G85 with the CRC-16 of ST..last body segment (CR LF line ends), SE with the segment count
 * (ST to SE inclusive), DXE. Envelope segments found in `body` are an error.
 */
export function buildAudit(body: readonly SegmentInput[], options: EnvelopeOptions): AuditModel {
  for (const seg of body) {
    if (["DXS", "ST", "G85", "SE", "DXE"].includes(seg.tag)) {
      throw new EvadtsError("INVALID_MODEL", `${seg.tag} belongs to the envelope, not the body`);
    }
  }
  const control = options.setControl ?? "0001";
  const transmission = String(options.transmissionControl ?? 1);
  const st: SegmentInput = { tag: "ST", elements: ["001", control] };
  const crc = crc16Update(0, serialize({ segments: [st, ...body] }));
  return {
    segments: [
      {
        tag: "DXS",
        elements: [
          options.communicationId,
          options.functionalId ?? "VA",
          options.version ?? "V0/6",
          transmission,
        ],
      },
      st,
      ...body,
      { tag: "G85", elements: [crcHex(crc)] },
      { tag: "SE", elements: [String(body.length + 3), control] },
      { tag: "DXE", elements: [transmission, "1"] },
    ],
  };
}
