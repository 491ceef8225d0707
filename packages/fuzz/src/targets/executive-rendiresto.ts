/**
 * RENDIRESTO (manual 4.3.2): bytes from the changer and from the VMC into the reader's two lines.
 * Beyond the machine rules: a key is charged only while one is in, and never beyond its credit.
 */
import { RendirestoBridge } from "@vendkit/executive";
import { EXECUTIVE_ERRORS } from "../executive-support.js";
import { driveMachine, finding } from "../harness.js";
import { twoPorts } from "../two-ports.js";

export function fuzz(data: Uint8Array): void {
  const key = { credit: undefined as number | undefined, charge: true };
  const bridge = new RendirestoBridge(
    {
      keyCredit: () => key.credit,
      keyVend: (price) => {
        if (key.credit === undefined) finding(`a key vend at ${price} with no key in`);
        return key.charge && price <= key.credit;
      },
      keyVendResult: () => {},
      recharged: (amount) => {
        if (key.credit === undefined) finding(`${amount} recharged with no key in`);
        if (!(amount > 0)) finding(`a recharge of ${amount}`);
      },
      cashSale: () => {},
    },
    { baseCoin: 5, decimals: 2 },
  );
  driveMachine(
    twoPorts(bridge.changerPort, bridge.vmcPort),
    {
      bits: 8,
      commands: [
        (_m, i) => {
          const c = i.u16();
          key.credit = c === 0xffff ? undefined : c;
        },
        (_m, i) => {
          key.charge = (i.u8() & 1) === 1;
        },
      ],
      commandErrors: EXECUTIVE_ERRORS,
    },
    data,
  );
}
