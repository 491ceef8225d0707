import { AuditFile } from "./audit-file.js";
import { type ElementDef, segmentDef } from "./dictionary.js";
import { FINDING_CODES, type Finding, type FindingCode, FindingList, type Severity } from "./findings.js";
import { parse } from "./parse.js";

const DIGITS = /^-?[0-9]+$/;

/** Whether `v` is a YYMMDD or CCYYMMDD date that exists. */
export function isEvadtsDate(v: string): boolean {
  if (!/^([0-9]{6}|[0-9]{8})$/.test(v)) return false;
  const year = v.length === 8 ? Number(v.slice(0, 4)) : 2000 + Number(v.slice(0, 2));
  const month = Number(v.slice(-4, -2));
  const day = Number(v.slice(-2));
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number;
  return day <= days;
}

/** Whether `v` is an HHMM or HHMMSS time. */
export function isEvadtsTime(v: string): boolean {
  if (!/^([0-9]{4}|[0-9]{6})$/.test(v)) return false;
  const h = Number(v.slice(0, 2));
  const m = Number(v.slice(2, 4));
  const s = v.length === 6 ? Number(v.slice(4, 6)) : 0;
  return h < 24 && m < 60 && s < 60;
}

/**
 * Identifiers that real machines leave empty: EA101 (Crane), PA101 in short reads. A placeholder
 * there is a warning of its own; any other empty mandatory element is an error.
 */
const EMPTY_TOLERATED = new Set(["EA101", "PA101"]);

function elementProblem(
  def: ElementDef,
  value: string,
  placeholder: Severity,
): { code: FindingCode; severity: Severity } | undefined {
  if (value === "") {
    if (!def.required) return undefined;
    return EMPTY_TOLERATED.has(def.id)
      ? { code: "EMPTY_IDENTIFIER", severity: placeholder }
      : { code: "MISSING_ELEMENT", severity: "error" };
  }
  if (def.maxLength !== undefined && value.length > def.maxLength)
    return { code: "TOO_LONG", severity: "warning" };
  if (def.type === "N" && !DIGITS.test(value))
    return /^F+$/.test(value)
      ? { code: "UNSET_VALUE", severity: placeholder }
      : { code: "NOT_NUMERIC", severity: "error" };
  if (def.type === "DT" && !isEvadtsDate(value))
    return /^0+$/.test(value)
      ? { code: "PLACEHOLDER_DATE", severity: placeholder }
      : { code: "BAD_DATE", severity: "error" };
  if (def.type === "TM" && !isEvadtsTime(value))
    return value === "0"
      ? { code: "PLACEHOLDER_TIME", severity: placeholder }
      : { code: "BAD_TIME", severity: "error" };
  return undefined;
}

export interface ValidateOptions {
  /**
   * `strict` makes the placeholders real machines send (a `0` date or time, an empty EA101 or
   * PA101, an `FFFF` number) errors; in `tolerant` mode (the default) they are warnings with
   * their own codes: PLACEHOLDER_DATE, PLACEHOLDER_TIME, EMPTY_IDENTIFIER, UNSET_VALUE.
   */
  readonly mode?: "tolerant" | "strict";
}

/**
 * Every finding about a file: the parser's (envelope, line ends, G85, SE count) and the
 * element rules of each segment EVA-DTS defines (mandatory elements, numbers, dates, times,
 * lengths, element counts). Unknown segments are not judged. Sorted by offset.
 */
export function validate(input: AuditFile | Uint8Array | string, options: ValidateOptions = {}): Finding[] {
  const file = input instanceof AuditFile ? input : parse(input);
  const placeholder: Severity = options.mode === "strict" ? "error" : "warning";
  const out = new FindingList(file.findings);
  for (let i = 0; i < file.length; i++) {
    const def = segmentDef(file.tag(i));
    if (def === undefined) continue;
    const seg = file.segment(i);
    // where element `element` starts, or would start: a missing one after the segment's last
    const at = (element: number): number => {
      let offset = seg.offset + seg.tag.length;
      const present = Math.min(element - 1, seg.elements.length);
      for (let k = 0; k < present; k++) offset += 1 + (seg.elements[k] as string).length;
      return offset + 1;
    };
    const add = (code: FindingCode, severity: Severity, element: number, detail: string) => {
      out.add(code, () => {
        const offset = at(element);
        return {
          code,
          severity,
          message: `${FINDING_CODES[code]}: ${detail}`,
          segmentIndex: i,
          segment: seg.tag,
          element,
          offset,
          line: seg.line,
          column: offset - seg.offset + 1,
        };
      });
    };
    if (seg.elements.length > def.elements.length) {
      add(
        "EXTRA_ELEMENTS",
        "warning",
        def.elements.length + 1,
        `${seg.tag} has ${seg.elements.length}, EVA-DTS defines ${def.elements.length}; kept as they are`,
      );
    }
    def.elements.forEach((el, k) => {
      const value = seg.elements[k] ?? "";
      const problem = elementProblem(el, value, placeholder);
      if (problem) add(problem.code, problem.severity, k + 1, `${el.id} (${el.name}) is "${value}"`);
    });
  }
  return out.done();
}
