import type { NumericName, Protocol } from "@vendkit/mizip-core";
import { DEMO_PRICES } from "./demo.js";
import type { Device, DeviceOptions } from "./device.js";
import { ExecutiveLink, masterOptions } from "./executive-link.js";
import { ExecutiveSlaveLink } from "./executive-slave-link.js";
import { MdbLink } from "./mdb-link.js";
import { RendirestoLink } from "./rendiresto-link.js";
import { SerialMdbLink } from "./serial-mdb-link.js";
import type { VmcLink } from "./vmc-link.js";

/**
 * The device's side of the VMC for `protocol` (30000, and 20001 for RENDIRESTO), with the
 * parameters `n` it starts with: a real MDB bus when `options.serialMdb` is given, otherwise the
 * simulated VMC over MDB, Executive master, Executive slave or RENDIRESTO. The link reaches the
 * payment system through `device`, which it belongs to.
 */
export function linkFor(
  device: Device,
  protocol: Protocol,
  n: Readonly<Record<NumericName, number>>,
  options: DeviceOptions,
  clock: () => number,
): VmcLink {
  const negativeCredit = () => device.settings.params.numeric.negativeCredit === 1;
  return options.serialMdb
    ? new SerialMdbLink(
        options.serialMdb,
        n,
        {
          requestVend: (item, price) => device.requestVend(item, price),
          endVend: (success) => device.endVend(success),
          withdrawVend: () => device.withdrawVend(),
          negativeCredit,
          revalue: (amount) => device.pay.revalue(amount, device.clock()),
          revalueLimit: () => device.pay.revalueLimit,
          countCashSale: async (item, price) => {
            await device.pay.countCashSale({ line: item, price }, device.clock());
          },
        },
        options.log,
      )
    : protocol === "mdb"
      ? new MdbLink(n, { negativeCredit, revalueLimit: () => device.pay.revalueLimit })
      : protocol === "executive-master"
        ? new ExecutiveLink({
            prices: DEMO_PRICES,
            baseCoin: n.baseCoin,
            decimals: n.decimalPoint,
            ...masterOptions(n),
            noChangeMessage: n.noChangeMessage === 1,
            onAuditPair: (pair) => device.audits.recordVmcAuditPair(pair),
          })
        : protocol === "executive-slave"
          ? new ExecutiveSlaveLink(
              { keyCredit: () => device.pay.keyFunds },
              DEMO_PRICES,
              n.baseCoin,
              n.decimalPoint,
            )
          : new RendirestoLink(
              {
                keyCredit: () => device.pay.keyFunds,
                recharged: async (amount) => {
                  await device.pay.coin(amount, clock());
                },
                cashSale: async (item, price) => {
                  await device.pay.countCashSale({ line: item, price }, clock());
                },
              },
              DEMO_PRICES,
              n.baseCoin,
            );
}
