import type { Duplex } from "node:stream";
import { formatAmount, parseAmount, type QibixxCashlessEvent, QibixxCashlessHost } from "@vendkit/mdb";
import { Driver } from "@vendkit/mdb/node";
import type { Device } from "./device.js";

/**
 * A real vending machine through a Qibixx MDB adapter in cashless-device mode (`--serial`):
 * the adapter reports the VMC's vend requests as lines, the device's payment system decides,
 * and the outcome comes back the same way (always-idle flow: the VMC asks without a session
 * and the reader checks the funds, the key's or the cash credit). The host's end of those lines
 * is a machine the one `Driver` runs on `stream`. Runs until `running.stop`.
 */
export async function runQibixxVmc(
  device: Device,
  stream: Duplex,
  log: (line: string) => void,
  running: { stop: boolean } = { stop: false },
): Promise<void> {
  const decimals = device.settings.params.numeric.decimalPoint;
  const host = new QibixxCashlessHost();
  const driver = new Driver(host, stream);
  const heard: QibixxCashlessEvent[] = [];
  driver.on("event", (e) => heard.push(e));
  let vending = false;
  driver.act(() => host.enable());
  try {
    while (!running.stop) {
      const e = heard.shift();
      if (e === undefined) {
        await new Promise((r) => setTimeout(r, 10));
        continue;
      }
      if (e.type === "vend-request") {
        const price = parseAmount(e.amount, decimals);
        const amount = price === undefined ? undefined : await device.requestVend(e.product, price);
        if (amount === undefined) {
          driver.act(() => host.deny());
          log(`vend ${e.product} at ${e.amount}: denied`);
        } else {
          driver.act(() => host.approve(formatAmount(amount, decimals)));
          vending = true;
          log(`vend ${e.product} at ${e.amount}: approved ${formatAmount(amount, decimals)}`);
        }
      } else if (vending && (e.type === "vend-success" || e.type === "error")) {
        vending = false;
        await device.endVend(e.type === "vend-success");
        log(e.type === "vend-success" ? "vend delivered" : `vend failed: ${e.detail}`);
      } else if (e.type === "error") log(`adapter: ${e.detail}`);
    }
  } finally {
    driver.stop();
  }
}
