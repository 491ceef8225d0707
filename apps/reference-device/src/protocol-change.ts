import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { CollectionRefused } from "@vendkit/mizip-core";
import type { DeviceAudits } from "./audits.js";

/**
 * Manual 4.2: "E' necessario effettuare una raccolta statistiche, qualora si cambi il tipo di
 * protocollo". Before the programmer's protocol change is kept, the device takes a statistics
 * collection, writes its EVA-DTS audit durably to `dir` and only then clears the period data.
 * Resolves with the file written, or undefined when a collection less than 2 minutes old already
 * took the data (what happened since stays for the next collection).
 */
export function collectBeforeProtocolChange(
  audits: DeviceAudits,
  dir: string,
  now: number,
): string | undefined {
  let taken: ReturnType<DeviceAudits["collect"]>;
  try {
    taken = audits.collect();
  } catch (e) {
    if (e instanceof CollectionRefused) return undefined;
    throw e;
  }
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `before-protocol-change-${new Date(now).toISOString().replace(/[:.]/g, "-")}.eva`);
  const fd = openSync(file, "wx");
  try {
    writeSync(fd, taken.bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  audits.confirm(taken);
  return file;
}
