/** A master's bytes into the Executive slave (a VMC's end, price display or price holding). */
import { ExecutiveSlave } from "@vendkit/executive";
import { creditFrom, EXECUTIVE_ERRORS } from "../executive-support.js";
import { driveMachine } from "../harness.js";

export function fuzz(data: Uint8Array): void {
  const vmc = { status: 0, request: undefined as number | undefined };
  const slave = new ExecutiveSlave({
    status: () => vmc.status,
    display: () => {},
    vendRequest: () => vmc.request,
    vend: () => {},
  });
  driveMachine(
    slave,
    {
      bits: 8,
      commands: [
        (_m, i) => {
          vmc.status = i.u8();
        },
        (_m, i) => {
          const r = i.u8();
          vmc.request = r === 0 ? undefined : r;
        },
        (m, i) => m.vendDone((i.u8() & 1) === 1),
        (m, i) => m.queueAudit({ address: i.u8(), value: i.u8() }),
        (m, i) => {
          m.silent = (i.u8() & 1) === 1;
        },
        (_m, i) => creditFrom(i),
      ],
      commandErrors: EXECUTIVE_ERRORS,
    },
    data,
  );
}
