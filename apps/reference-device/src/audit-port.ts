import { accept, type LinkSpec, runOverStream } from "@vendkit/ddcmp/node";
import { DexDevice, type DexEvent } from "@vendkit/evadts/dex";
import { CollectionRefused } from "@vendkit/mizip-core";
import type { Device } from "./device.js";

/**
 * The audit port (manual 7.1, 7.4): answers collectors on a serial path or TCP, one session
 * after another, over DEX/UCS (the EVA-DTS session over DDCMP is not in @vendkit/ddcmp yet).
 * Each session takes a collection when the collector asks for the data and clears the period
 * data only once the collector has acknowledged all of it. A collection refused (a second one
 * within 2 minutes) sends an empty audit and clears nothing.
 */
export async function serveAudits(
  device: Device,
  spec: LinkSpec,
  log: (line: string) => void,
  sessions = Number.POSITIVE_INFINITY,
): Promise<void> {
  for (let n = 0; n < sessions; n++) {
    const { stream, close } = await accept(spec);
    let taken: ReturnType<Device["collectAudit"]> | undefined;
    const dex = new DexDevice({ communicationId: "VKT0000001" }, () => {
      try {
        taken = device.collectAudit();
        return taken.bytes;
      } catch (e) {
        if (!(e instanceof CollectionRefused)) throw e;
        log(`audit refused: ${e.message}`);
        return new Uint8Array(0);
      }
    });
    const events: DexEvent[] = await runOverStream(dex, stream, dex.start(performance.now()));
    close();
    if (taken !== undefined && events.some((e) => e.type === "collected")) {
      device.confirmAudit(taken);
      log(`audit collected: ${taken.bytes.length} bytes, period data cleared`);
    } else log("audit session ended without a collection");
  }
}
