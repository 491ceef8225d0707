/** A coin changer's reply words into the VMC's changer driver, with the VMC's commands between. */
import { CoinChangerMaster } from "@vendkit/mdb";
import { driveMachine } from "../harness.js";
import { CHANGER_DRIVER_COMMANDS, peripheralReply } from "../mdb-frames.js";

export function fuzz(data: Uint8Array): void {
  driveMachine(
    new CoinChangerMaster({ pollInterval: 25 }),
    {
      bits: 9,
      frame: (payload) => peripheralReply(payload),
      commands: CHANGER_DRIVER_COMMANDS,
    },
    data,
  );
}
