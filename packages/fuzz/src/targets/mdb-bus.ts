/**
 * Reply words into one bus master driving a coin changer and a bill validator on one line
 * (`MdbBus`, as the reader's own cash devices run), the VMC's commands for both between: the
 * drivers take turns, and whatever the line answers, the bus keeps the machine rules.
 */
import {
  BillValidatorMaster,
  type ChangerEvent,
  CoinChangerMaster,
  MdbBus,
  type ValidatorEvent,
} from "@vendkit/mdb";
import { driveMachine, type Input } from "../harness.js";
import { CHANGER_DRIVER_COMMANDS, peripheralReply } from "../mdb-frames.js";

export function fuzz(data: Uint8Array): void {
  const changer = new CoinChangerMaster({ pollInterval: 25 });
  const validator = new BillValidatorMaster({ pollInterval: 25, onEscrow: (type) => type % 2 === 0 });
  driveMachine(
    new MdbBus<ChangerEvent | ValidatorEvent>([changer, validator]),
    {
      bits: 9,
      frame: (payload) => peripheralReply(payload),
      commands: [
        ...CHANGER_DRIVER_COMMANDS.map((command) => (_m: unknown, input: Input) => command(changer, input)),
        (_m: unknown, input: Input) => validator.enableBills(input.u16()),
      ],
    },
    data,
  );
}
