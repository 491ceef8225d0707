/**
 * Any bytes as an EVA-DTS file: `parse` (tolerant never throws; strict throws only EvadtsError),
 * `validate` both ways, the typed accessors and the summary. The round trip that proves something:
 * the segments parsed, written by the model writer and parsed again, are the same segments (the
 * writer may refuse a model with a typed error, never write one that reads back otherwise);
 * and `write` of a parsed file gives back exactly the bytes read.
 */
import {
  type AuditFile,
  cashlessSales,
  cashTotals,
  EvadtsError,
  events,
  identification,
  parse,
  priceLists,
  products,
  summarize,
  validate,
  vendTotals,
  write,
} from "@vendkit/evadts";
import { finding, never, typedOnly } from "../harness.js";

const EVADTS = [EvadtsError] as const;

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

export function fuzz(data: Uint8Array): void {
  const file = never("parse (tolerant)", () => parse(data));
  typedOnly("parse (strict)", EVADTS, () => parse(data, { mode: "strict" }));
  never("validate (tolerant)", () => validate(file));
  never("validate (strict)", () => validate(file, { mode: "strict" }));
  for (const read of [
    identification,
    products,
    cashTotals,
    vendTotals,
    cashlessSales,
    events,
    priceLists,
    summarize,
  ])
    typedOnly(read.name, EVADTS, () => (read as (f: AuditFile) => unknown)(file));
  const stored = never("write (a parsed file)", () => write(file));
  if (!same(stored, data)) finding("write of a parsed file did not give back the bytes read");

  const segments = file.toSegmentInputs();
  const model = { segments };
  const written = typedOnly("write (a model)", EVADTS, () => write(model));
  if (written === undefined) return;
  const again = never("parse (written by the model writer)", () => parse(written)).toSegmentInputs();
  if (again.length !== segments.length)
    finding(`${segments.length} segments written, ${again.length} read back`);
  segments.forEach((s, i) => {
    const r = again[i];
    if (
      r === undefined ||
      r.tag !== s.tag ||
      r.elements.length !== s.elements.length ||
      r.elements.some((e, k) => e !== s.elements[k])
    )
      finding(`segment ${i} ${JSON.stringify(s)} read back as ${JSON.stringify(r)}`);
  });
}
