import { DexCollector, DexDevice, type DexEvent } from "@vendkit/evadts/dex";
import { converse } from "@vendkit/machine";
import { fromBase64, type Inputs, same } from "./support.js";

export async function probe(input: Inputs): Promise<unknown> {
  const audit = fromBase64(input.audit);
  const device = new DexDevice({ communicationId: "VKT0000001" }, () => audit);
  const collector = new DexCollector({ communicationId: "HHT0000042" });
  device.start();
  collector.start();
  const run = converse(collector, device, { latency: 1 });
  const got = run.a.find((e: DexEvent) => e.type === "received");
  return {
    end: run.end,
    received: got?.type === "received" && same(got.data, audit),
    device: run.b.map((e) => e.type),
  };
}
