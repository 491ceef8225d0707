import {
  AuditCollector,
  type AuditCollectorEvent,
  AuditDevice,
  decodeApp,
  encodeApp,
  localDateTime,
} from "@vendkit/ddcmp";
import { converse } from "@vendkit/machine";
import { fromBase64, type Inputs, same } from "./support.js";

export async function probe(input: Inputs): Promise<unknown> {
  const audit = fromBase64(input.audit);
  const device = new AuditDevice({ maxBaudCode: 6, blockSize: 200 }, (list) =>
    list === 1 ? audit : undefined,
  );
  const collector = new AuditCollector({ clock: () => localDateTime(new Date(2026, 10, 30, 9, 0, 0)) });
  collector.start();
  const run = converse(collector, device, { latency: 1 });
  const got = run.a.find((e: AuditCollectorEvent) => e.type === "received");
  const finish = encodeApp({ kind: "finish" });
  return {
    end: run.end,
    received:
      got?.type === "received" && got.confirmed && same(got.lists[0]?.data ?? new Uint8Array(0), audit),
    bauds: run.b.flatMap((e) => (e.type === "link" && e.event.type === "baud" ? [e.event.baud] : [])),
    finish: [...finish],
    decoded: decodeApp(finish),
  };
}
