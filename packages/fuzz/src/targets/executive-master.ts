/** A slave's bytes into the Executive master (the changer or reader that polls a VMC). */
import { ExecutiveMaster } from "@vendkit/executive";
import { creditFrom, EXECUTIVE_ERRORS } from "../executive-support.js";
import { driveMachine } from "../harness.js";

export function fuzz(data: Uint8Array): void {
  const options = data[0] ?? 0;
  driveMachine(
    new ExecutiveMaster({
      vendDelay: (options & 1) === 1,
      displayDelayMs: options & 2 ? 7 : 0,
      communicationDelayMs: options & 4 ? 3 : 0,
    }),
    {
      bits: 8,
      commands: [(m, i) => m.display(creditFrom(i)), (m) => m.approve(), (m) => m.deny()],
      commandErrors: EXECUTIVE_ERRORS,
    },
    data.subarray(1),
  );
}
