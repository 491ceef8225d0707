import { type AuditDeviceEvent, AuditDevice as DdcmpAuditDevice, LIST, START_BAUD } from "@vendkit/ddcmp";
import { acceptLink, type LinkSpec, runSession } from "@vendkit/ddcmp/node";
import { DexDevice, type DexEvent } from "@vendkit/evadts/dex";
import { auditPortSettings, CollectionRefused } from "@vendkit/mizip-core";
import type { DeviceAudits } from "./audits.js";
import type { Device } from "./device.js";

/** The collection a session took, to be cleared once the collector has all of it. */
type Taken = ReturnType<DeviceAudits["collect"]>;

/**
 * The audit port (manual 7.1, 7.4): answers collectors on a serial path or TCP, one session
 * after another, over the link the audit mode (40007) names — DDCMP 6.0 / 6.0 Plus over EVA-DTS
 * DDCMP, DEX 6.0 / 6.0 Plus over DEX/UCS — with the DDCMP settings of menu 9.4.1 (BAUD RATE MAX,
 * SELECT FLAG, the codes and their check, IrDA, DATA BLOCK SIZE, ACK TIME OUT), read afresh for
 * each session so that a change in the console applies to the next collection. A collection
 * clears the period data only once the collector has acknowledged all of it (DDCMP: and ended
 * with FINISH); a collection refused (a second one within 2 minutes) is answered as not served
 * (DDCMP) or with an empty audit (DEX), and clears nothing. DDCMP's list 2 is a security read.
 */
export async function serveAudits(
  device: Device,
  spec: LinkSpec,
  log: (line: string) => void,
  sessions = Number.POSITIVE_INFINITY,
): Promise<void> {
  for (let n = 0; n < sessions; n++) {
    const taken =
      auditPortSettings(device.settings.params).link === "dex"
        ? await dexSession(device, spec, log)
        : await ddcmpSession(device, spec, log);
    if (taken !== undefined) {
      device.audits.confirm(taken);
      log(`audit collected: ${taken.bytes.length} bytes, period data cleared`);
    } else log("audit session ended without a collection");
  }
}

function take(device: Device, log: (line: string) => void): Taken | undefined {
  try {
    return device.audits.collect();
  } catch (e) {
    if (!(e instanceof CollectionRefused)) throw e;
    log(`audit refused: ${e.message}`);
    return undefined;
  }
}

async function dexSession(
  device: Device,
  spec: LinkSpec,
  log: (line: string) => void,
): Promise<Taken | undefined> {
  const { stream, close } = await acceptLink(spec);
  let taken: Taken | undefined;
  const dex = new DexDevice({ communicationId: "VKT0000001" }, () => {
    taken = take(device, log);
    return taken?.bytes ?? new Uint8Array(0);
  });
  dex.start();
  const events: DexEvent[] = await runSession(dex, stream);
  close();
  return events.some((e) => e.type === "collected") ? taken : undefined;
}

/**
 * The reader's end of an EVA-DTS DDCMP session (sans I/O), as the DDCMP settings of menu 9.4.1
 * stand now: `taken` learns the collection list 1 took.
 */
export function ddcmpStation(
  device: Device,
  log: (line: string) => void,
  taken: (t: Taken | undefined) => void,
): DdcmpAuditDevice {
  const d = auditPortSettings(device.settings.params).ddcmp;
  return new DdcmpAuditDevice(
    {
      maxBaudCode: d.maxBaudCode,
      selectFlag: d.selectFlag,
      checkCodes: d.checkCodes,
      securityCode: d.securityCode,
      passCode: d.passCode,
      blockSize: d.blockSize,
      timing: { ackTimeout: d.ackTimeout },
      serial: device.settings.params.machineCode,
    },
    (list) => {
      if (list === LIST.audit) {
        const t = take(device, log);
        taken(t);
        return t?.bytes;
      }
      return list === LIST.securityRead ? device.audits.securityRead() : undefined;
    },
  );
}

async function ddcmpSession(
  device: Device,
  spec: LinkSpec,
  log: (line: string) => void,
): Promise<Taken | undefined> {
  const { stream, close } = await acceptLink({ ...spec, baudRate: START_BAUD });
  let taken: Taken | undefined;
  const ddcmp = ddcmpStation(device, log, (t) => {
    taken = t;
  });
  const events: AuditDeviceEvent[] = await runSession(ddcmp, stream, {
    onRate: (baud) => log(`audit port: ${baud} baud`),
    onEvent: (e) => {
      if (e.type === "refused") log(`audit port refused: ${e.detail}`);
    },
  });
  close();
  return events.some((e) => e.type === "collected") ? taken : undefined;
}
