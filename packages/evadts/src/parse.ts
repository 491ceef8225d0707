import { AuditFile } from "./audit-file.js";
import { type CrcSource, checkEnvelope } from "./envelope.js";
import { EvadtsError, FindingList } from "./findings.js";
import { decodeLatin1 } from "./latin1.js";
import { scanFile } from "./scan-kernel.js";
import type { SegmentIndex } from "./segment-index.js";

/**
 * The largest file `parse` takes: the longest string the JavaScript engine makes (V8: 2^29 - 24
 * characters). A real audit is kilobytes; a route's day, tens of megabytes.
 */
export const MAX_FILE_BYTES = 2 ** 29 - 24;

export interface ParseOptions {
  /**
   * `tolerant` (default) reads what vendors' machines really send and lists what is off as
   * findings; `strict` throws an EvadtsError, carrying every finding, for anything off.
   */
  readonly mode?: "tolerant" | "strict";
}

/**
 * Reads an EVA-DTS audit file. Bytes are taken as latin1, one character per byte; a string must
 * hold only code units 0..255 (throws INVALID_INPUT otherwise), and a file be at most
 * MAX_FILE_BYTES. In tolerant mode nothing in the file's content makes it throw: whatever is off
 * is in `findings`.
 */
export function parse(input: Uint8Array | string, options: ParseOptions = {}): AuditFile {
  if (typeof input === "string") {
    const wide = input.search(/[\u0100-\uffff]/);
    if (wide !== -1) {
      throw new EvadtsError("INVALID_INPUT", `character at offset ${wide} is not a single byte`, wide);
    }
  } else if (input instanceof Uint8Array) {
    if (input.length > MAX_FILE_BYTES) {
      throw new EvadtsError(
        "INVALID_INPUT",
        `a file of ${input.length} bytes is more than the ${MAX_FILE_BYTES} a parse can hold as text`,
      );
    }
  } else {
    throw new EvadtsError("INVALID_INPUT", "parse takes a Uint8Array or a string");
  }
  const lines = scanFile(input);
  const text = typeof input === "string" ? input : decodeLatin1(input, lines.ascii);
  const index = {
    text,
    base: 0,
    limit: text.length,
    starts: lines.starts,
    eols: lines.eols,
    kinds: lines.kinds,
    keys: lines.keys,
    count: lines.count,
  };
  const file = fromIndex(index, { fold: lines.crc });
  const list = file.findings;
  if (options.mode === "strict" && list.length > 0) {
    const strict = list.map((f) => ({ ...f, severity: "error" as const }));
    const first = strict[0] as (typeof strict)[number];
    throw new EvadtsError(
      first.code,
      `line ${first.line}, column ${first.column}: ${first.message}${list.length > 1 ? ` (and ${list.length - 1} more)` : ""}`,
      first.offset,
      strict,
    );
  }
  return file;
}

/**
 * The file an index describes, its envelope checked (tolerant): what `parse` does once the lines
 * are found, and what `AuditFile.audits()` does for each audit of a file, on the lines it already
 * has. `crcs` says where the G85 CRCs come from (see CrcSource).
 */
export function fromIndex(index: SegmentIndex, crcs?: CrcSource): AuditFile {
  const findings = new FindingList();
  const { sets, transmissions } = checkEnvelope(index, findings, crcs);
  return new AuditFile(index, findings.done(), sets, transmissions);
}
