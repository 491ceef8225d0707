import { AuditFile } from "./audit-file.js";
import { crc16Update, crcHex } from "./crc16.js";
import { EvadtsError } from "./findings.js";
import { encodeLatin1 } from "./latin1.js";
import { parse } from "./parse.js";
import { ELEMENT_SEPARATOR, type LineEnd, type SegmentInput } from "./segment.js";

/** A list of segments and the line end to put after each. */
export interface AuditModel {
  readonly segments: readonly SegmentInput[];
  /** Default CR LF, as EVA-DTS requires. */
  readonly lineEnd?: Exclude<LineEnd, "">;
  /** Whether the last segment is followed by a line end too (default true). */
  readonly finalLineEnd?: boolean;
}

const TAG = /^[A-Z][A-Z0-9]{1,3}$/;
const BAD_CHAR = /[\r\n\u0100-\uffff]/;

/** One segment's line, refusing what could not be read back as the same segment. */
function segmentLine(seg: SegmentInput, i: number): string {
  if (!TAG.test(seg.tag)) {
    throw new EvadtsError(
      "INVALID_MODEL",
      `segment ${i}: "${seg.tag}" is not a 2-4 character EVA-DTS identifier`,
    );
  }
  const { elements } = seg;
  for (let k = 0; k < elements.length; k++) {
    const e = elements[k];
    if (typeof e !== "string" || e.includes(ELEMENT_SEPARATOR)) {
      throw new EvadtsError(
        "INVALID_MODEL",
        `segment ${i} (${seg.tag}) element ${k + 1}: holds "*" or is not text`,
      );
    }
  }
  const line =
    elements.length === 0 ? seg.tag : seg.tag + ELEMENT_SEPARATOR + elements.join(ELEMENT_SEPARATOR);
  if (BAD_CHAR.test(line)) {
    throw new EvadtsError(
      "INVALID_MODEL",
      `segment ${i} (${seg.tag}): holds a line end or a character above 0xFF`,
    );
  }
  return line;
}

function serialize(model: AuditModel): string {
  const eol = model.lineEnd ?? "\r\n";
  const body = model.segments.map(segmentLine).join(eol);
  return model.segments.length > 0 && model.finalLineEnd !== false ? body + eol : body;
}

/**
 * The bytes of an audit file. A parsed `AuditFile` is written exactly as it was read, quirks
 * and all; a model is written segment by segment with its line end. Neither recomputes SE or
 * G85: `buildAudit` makes a model whose envelope is right.
 */
export function write(input: AuditFile | AuditModel): Uint8Array {
  return encodeLatin1(input instanceof AuditFile ? input.text : serialize(input));
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
  let crc = 0;
  for (const seg of [st, ...body]) crc = crc16Update(crc, serialize({ segments: [seg] }));
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
