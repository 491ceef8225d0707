/**
 * A VMC's words into the simulated coin changer and bill validator on one bus (`PeripheralBus`,
 * the reference device's simulated cash devices), coins and bills going in between: any block,
 * to either address or none, is answered, refused or ignored, never an exception.
 */
import {
  BillValidatorSimulator,
  type BlockPeripheral,
  CoinChangerSimulator,
  PeripheralBus,
} from "@vendkit/mdb";
import { driveMachine, type Input } from "../harness.js";
import { masterBlock } from "../mdb-frames.js";

/** The addresses the fuzzer's frames go to: changer, validator, and one nobody answers. */
const ADDRESSES = [0x08, 0x30, 0x10] as const;

export function fuzz(data: Uint8Array): void {
  const changer = new CoinChangerSimulator(undefined, 0b1111, [20, 20, 20, 20], data[0] ?? 0);
  const validator = new BillValidatorSimulator();
  const bus = new PeripheralBus(
    new Map<number, BlockPeripheral>([
      [0x08, changer],
      [0x30, validator],
    ]),
  );
  driveMachine(
    bus,
    {
      bits: 9,
      frame: (payload, input) => masterBlock(ADDRESSES[input.u8() % ADDRESSES.length] as number, payload),
      commands: [
        (_m: unknown, i: Input) => changer.insertCoin(i.u8() & 0x0f),
        (_m: unknown, i: Input) => changer.manualDispense(i.u8() & 0x0f, i.u8()),
        (_m: unknown, i: Input) => changer.controlledFill(i.u8() & 0x0f, i.u8()),
        (_m: unknown, i: Input) => changer.controlledPayout(i.u8() & 0x0f, i.u8()),
        () => changer.pressEscrowLever(),
        () => changer.jam(),
        (_m: unknown, i: Input) => validator.insertBill(i.u8() & 0x0f),
        () => validator.jam(),
      ],
    },
    data.subarray(1),
  );
}
