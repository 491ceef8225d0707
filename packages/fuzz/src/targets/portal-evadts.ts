/**
 * Any bytes as what the readings portal imports from a route: one EVA-DTS audit (its reading, and
 * that reading checked as the portal checks it before storing), and a zip of audits. The zip
 * reader must refuse what is not a zip with PortalError and never hand over more than its limits
 * (the zip-bomb guard), counted on the bytes really inflated.
 */
import { parse } from "@vendkit/evadts";
import { readingFromAudit, validateReading } from "@vendkit/metering";
import { type ArchiveLimits, eachArchiveEntry } from "../../../../apps/readings-portal/src/audit-archive.js";
import { PortalError } from "../../../../apps/readings-portal/src/errors.js";
import { finding, never } from "../harness.js";

const DEVICE = {
  id: "D-1",
  model: "VENDER",
  serial: "S-1",
  counters: ["vends", "free", "test"],
  consumables: [],
};
const LIMITS: ArchiveLimits = { maxEntries: 8, maxEntryBytes: 4096, maxTotalBytes: 16384 };

/** Jazzer runs this target awaiting each input (the archive reader is asynchronous). */
export const mode = "async";

export async function fuzz(data: Uint8Array): Promise<void> {
  const file = never("parse", () => parse(data));
  const reading = never("readingFromAudit", () => readingFromAudit(file, "I-0001"));
  if (reading !== undefined) {
    for (const [name, n] of Object.entries(reading.counters))
      if (!Number.isSafeInteger(n) || n < 0) finding(`the audit's reading has counter ${name} = ${n}`);
    never("validateReading", () => validateReading(DEVICE, [], reading, { latestDate: "2026-12-31" }));
  }

  let entries = 0;
  let total = 0;
  let failure: unknown;
  await eachArchiveEntry(
    data,
    async (entry) => {
      entries++;
      if ("bytes" in entry) {
        if (entry.bytes.length > LIMITS.maxEntryBytes)
          finding(`an entry of ${entry.bytes.length} bytes was handed over`);
        total += entry.bytes.length;
      }
    },
    LIMITS,
  ).catch((e: unknown) => {
    failure = e;
  });
  if (failure !== undefined && !(failure instanceof PortalError))
    finding(
      `the archive reader threw ${failure instanceof Error ? `${failure.name}: ${failure.message}` : String(failure)}`,
      failure,
    );
  if (entries > LIMITS.maxEntries)
    finding(`${entries} entries handed over, the limit is ${LIMITS.maxEntries}`);
  if (total > LIMITS.maxTotalBytes)
    finding(`${total} bytes handed over, the limit is ${LIMITS.maxTotalBytes}`);
}
