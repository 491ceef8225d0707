/** Slave mode: bytes from the VMC and from the card reader into the changer's two lines. */
import { SlaveModeChanger } from "@vendkit/executive";
import { EXECUTIVE_ERRORS } from "../executive-support.js";
import { driveMachine } from "../harness.js";
import { twoPorts } from "../two-ports.js";

export function fuzz(data: Uint8Array): void {
  const changer = new SlaveModeChanger({ baseCoin: 5, decimals: 2 });
  driveMachine(
    twoPorts(changer.vmcPort, changer.cardPort),
    {
      bits: 8,
      commands: [(_m, i) => changer.insert(i.u8() * 5)],
      commandErrors: EXECUTIVE_ERRORS,
    },
    data,
  );
}
