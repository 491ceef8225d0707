/**
 * A changer's bytes into the Executive card reader (address 011), with a key that comes and goes.
 * Beyond the machine rules: what the reader asks its payment logic to charge is a whole,
 * non-negative amount (the logic decides whether the key can pay it).
 */
import { CardReaderPeripheral, type CreditBlock } from "@vendkit/executive";
import { EXECUTIVE_ERRORS, validCreditFrom } from "../executive-support.js";
import { driveMachine, finding } from "../harness.js";

export function fuzz(data: Uint8Array): void {
  const key = { present: false, credit: undefined as CreditBlock | undefined, charge: true };
  const reader = new CardReaderPeripheral({
    cardPresent: () => key.present,
    readCard: () => key.credit,
    decrement: (amount) => {
      if (!Number.isSafeInteger(amount) || amount < 0) finding(`asked to charge ${amount}`);
      return key.charge;
    },
    reinstate: () => {},
    returnCard: () => {},
  });
  driveMachine(
    reader,
    {
      bits: 8,
      commands: [
        (_m, i) => {
          key.present = (i.u8() & 1) === 1;
        },
        (_m, i) => {
          key.credit = validCreditFrom(i);
        },
        (_m, i) => {
          key.charge = (i.u8() & 1) === 1;
        },
        (m, i) => m.queueAudit({ address: i.u8(), value: i.u8() }),
      ],
      commandErrors: EXECUTIVE_ERRORS,
    },
    data,
  );
}
