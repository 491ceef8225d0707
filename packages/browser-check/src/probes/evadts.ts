import { crc16, parse, validate, write } from "@vendkit/evadts";
import { fromBase64, type Inputs, same } from "./support.js";

export async function probe(input: Inputs): Promise<unknown> {
  const bytes = fromBase64(input.audit);
  const file = parse(bytes);
  return {
    audits: file.audits().length,
    findings: file.findings.map((f) => f.code),
    sets: file.transactionSets.map((s) => [s.line, s.stated, s.match]),
    validate: validate(file).map((f) => `${f.code}@${f.line}`),
    roundTrip: same(write(file), bytes),
    crc: crc16(bytes),
  };
}
