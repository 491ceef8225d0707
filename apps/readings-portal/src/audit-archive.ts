import { Unzip, UnzipInflate } from "fflate";
import { PortalError } from "./errors.js";

/**
 * A zip of audit files as an operator uploads a route's day. Entries are inflated one chunk of
 * the archive at a time and handed over as each completes, so memory holds the archive and the
 * entries of one chunk, not the whole unpacked day. What a zip bomb would need is refused: more
 * entries than `maxEntries`, an entry inflating past `maxEntryBytes`, or the whole past
 * `maxTotalBytes` (counted on the bytes really inflated, not on what the archive claims).
 */
export interface ArchiveLimits {
  readonly maxEntries: number;
  readonly maxEntryBytes: number;
  readonly maxTotalBytes: number;
}

export const ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntries: 20_000,
  maxEntryBytes: 4 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
};

/** One file of the archive: its bytes, or why it was not read. */
export type ArchiveEntry =
  | { readonly name: string; readonly bytes: Uint8Array }
  | { readonly name: string; readonly refused: string };

const CHUNK = 64 * 1024;

/**
 * Calls `each` for every file in `zip` (folders skipped), in archive order, awaiting it before
 * the next chunk is inflated. Throws `PortalError` BAD_INPUT for what is not a zip, or when the
 * archive as a whole passes a limit (the files handed over so far stay handed over).
 */
export async function eachArchiveEntry(
  zip: Uint8Array,
  each: (entry: ArchiveEntry) => Promise<void>,
  limits: ArchiveLimits = ARCHIVE_LIMITS,
): Promise<void> {
  if (zip.length < 4 || zip[0] !== 0x50 || zip[1] !== 0x4b)
    throw new PortalError("BAD_INPUT", "not a zip archive (it does not start with PK)");
  const ready: ArchiveEntry[] = [];
  let entries = 0;
  let total = 0;
  let stop: string | undefined;
  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  unzip.onfile = (file) => {
    if (file.name.endsWith("/")) return;
    entries++;
    if (entries > limits.maxEntries) {
      stop = `more than ${limits.maxEntries} files in the archive`;
      return;
    }
    const parts: Uint8Array[] = [];
    let size = 0;
    let refused: string | undefined;
    file.ondata = (err, chunk, final) => {
      if (refused !== undefined || stop !== undefined) return;
      if (err) {
        refused = `not readable: ${err.message}`;
        ready.push({ name: file.name, refused });
        return;
      }
      size += chunk.length;
      total += chunk.length;
      if (total > limits.maxTotalBytes) {
        stop = `the archive inflates past ${limits.maxTotalBytes} bytes`;
        file.terminate();
        return;
      }
      if (size > limits.maxEntryBytes) {
        refused = `inflates past ${limits.maxEntryBytes} bytes`;
        ready.push({ name: file.name, refused });
        file.terminate();
        return;
      }
      parts.push(chunk);
      if (final) ready.push({ name: file.name, bytes: join(parts, size) });
    };
    file.start();
  };
  for (let at = 0; at < zip.length && stop === undefined; at += CHUNK) {
    try {
      unzip.push(zip.subarray(at, Math.min(zip.length, at + CHUNK)), at + CHUNK >= zip.length);
    } catch (e) {
      throw new PortalError(
        "BAD_INPUT",
        `not a readable zip archive: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    while (ready.length > 0) await each(ready.shift() as ArchiveEntry);
  }
  if (stop !== undefined) throw new PortalError("BAD_INPUT", `archive refused: ${stop}`);
}

function join(parts: readonly Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
