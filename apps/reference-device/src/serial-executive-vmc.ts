import type { Duplex } from "node:stream";
import { ExecutiveMaster, type MasterEvent } from "@vendkit/executive";
import { Driver } from "@vendkit/executive/node";
import type { Device } from "./device.js";
import { displayBlock, masterOptions } from "./executive-link.js";

/**
 * A real Executive vending machine on a serial port (`--protocol executive-master --serial`): the
 * device is the master (manual 4.3.1), polls the VMC, shows it the credit (the key's, else the
 * cash credit) and answers its vend requests — prices on the VMC, so a request carries the price
 * in base coins. Runs until `running.stop`.
 */
export async function runExecutiveVmc(
  device: Device,
  port: Duplex,
  log: (line: string) => void,
  running: { stop: boolean } = { stop: false },
): Promise<void> {
  const { baseCoin, decimalPoint, noChangeMessage } = device.settings.params.numeric;
  // manual 4.3.8-4.3.10: VEND DELAY, RITARDO DISPLAY, RITARDO COMUNICAZIONE
  const master = new ExecutiveMaster(masterOptions(device.settings.params.numeric));
  const pending: MasterEvent[] = [];
  const link = new Driver(master, port);
  link.on("event", (e) => pending.push(e));
  let shown: number | undefined;
  let vending = false;
  try {
    while (!running.stop) {
      const credit =
        device.pay.keyFunds ?? (device.pay.machineCredit > 0 ? device.pay.machineCredit : undefined);
      if (credit !== shown) {
        shown = credit;
        link.act(() => master.display(displayBlock(credit, baseCoin, decimalPoint, noChangeMessage === 1)));
      }
      const e = pending.shift();
      if (e === undefined) {
        await new Promise((r) => setTimeout(r, 10));
        continue;
      }
      if (e.kind === "vend-request") {
        const price = e.value * baseCoin;
        const amount = await device.requestVend(undefined, price);
        if (amount === undefined) {
          link.act(() => master.deny());
          log(`vend at ${price}: denied`);
        } else {
          link.act(() => master.approve());
          vending = true;
          log(`vend at ${price}: approved`);
        }
      } else if (e.kind === "vend-result" && vending) {
        vending = false;
        await device.endVend(e.success);
        log(e.success ? "vend delivered" : `vend failed${e.timedOut ? " (no answer in time)" : ""}`);
      } else if (e.kind === "audit-pair") device.audits.recordVmcAuditPair(e);
      else if (e.kind === "offline" || e.kind === "online") log(`VMC ${e.kind}`);
      else if (e.kind === "error") log(`Executive: ${e.error.message}`);
    }
  } finally {
    link.stop();
  }
}
