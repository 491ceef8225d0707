/** A bill validator's reply words into the VMC's validator driver, with the VMC's commands between. */
import { BillValidatorMaster } from "@vendkit/mdb";
import { driveMachine } from "../harness.js";
import { peripheralReply } from "../mdb-frames.js";

export function fuzz(data: Uint8Array): void {
  const escrow = data[0] ?? 0;
  driveMachine(
    new BillValidatorMaster({
      pollInterval: 25,
      security: escrow,
      onEscrow: (type) => ((escrow >> (type & 7)) & 1) === 1,
    }),
    {
      bits: 9,
      frame: (payload) => peripheralReply(payload),
      commands: [(m, i) => m.enableBills(i.u16())],
    },
    data.subarray(1),
  );
}
