/**
 * A device's DEX/UCS bytes into the collector end. Beyond the machine rules: what it reports as
 * received passed its check of the audit, and once the device falls silent it ends by its timers.
 */
import { DexCollector, type DexEvent, verifyAudit } from "@vendkit/evadts/dex";
import { dexFrame } from "../dex-frames.js";
import { driveMachine, endsAlone, finding, SESSION_RUN_OUT } from "../harness.js";

export function fuzz(data: Uint8Array): void {
  const collector = new DexCollector({ communicationId: "VKCOLL0001" });
  collector.start();
  driveMachine(
    collector,
    {
      bits: 8,
      runOut: SESSION_RUN_OUT,
      frame: dexFrame,
      check: (_m, step) => {
        for (const e of step.events as DexEvent[])
          if (e.type === "received" && verifyAudit(e.data) !== undefined)
            finding(`received an audit its own check refuses: ${verifyAudit(e.data)}`);
      },
      end: endsAlone,
    },
    data,
  );
}
