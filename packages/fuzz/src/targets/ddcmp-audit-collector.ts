/**
 * A device's DDCMP messages into the EVA-DTS audit collector. Beyond the machine rules: once the
 * device falls silent the collection ends by the collector's own timers, never waits forever.
 */
import { AuditCollector } from "@vendkit/ddcmp";
import { ddcmpFrame } from "../ddcmp-frames.js";
import { driveMachine, endsAlone, SESSION_RUN_OUT } from "../harness.js";

export function fuzz(data: Uint8Array): void {
  const options = data[0] ?? 0;
  const collector = new AuditCollector({
    clock: () => ({ year: 2026, month: 11, day: 30, hour: 10, minute: 0, second: 0 }),
    maxBaudCode: options & 0x07,
    deleteAfterRead: (options & 0x08) !== 0,
    lists: options & 0x10 ? [1, 64] : [1],
    securityCode: options & 0x20 ? 1234 : 0,
  });
  collector.start();
  driveMachine(
    collector,
    { bits: 8, frame: ddcmpFrame, end: endsAlone, runOut: SESSION_RUN_OUT },
    data.subarray(1),
  );
}
