/**
 * MDB words into the cashless device (levels 1-3, 16- and 32-bit money), with the payment core's
 * commands in between. Beyond the machine rules: a VEND APPROVED on the wire is always one the
 * core approved, and the device approves nothing above the session's funds.
 */
import { decodeResponses } from "@vendkit/mdb";
import { driveMachine, finding, Input } from "../harness.js";
import { cashlessReader, masterBlock } from "../mdb-frames.js";

export function fuzz(data: Uint8Array): void {
  const setup = new Input(data.subarray(0, 2));
  const level = (1 + (setup.u8() % 3)) as 1 | 2 | 3;
  const options = setup.u8();
  const { reader, address } = cashlessReader(level, options);
  let funds: number | undefined;
  const approved = new Set<number>();
  driveMachine(
    reader,
    {
      bits: 9,
      frame: (payload) => masterBlock(address, payload),
      commands: [
        (m, i) => {
          const f = i.u16();
          if (m.beginSession(f === 0xffff ? "unknown" : f)) funds = f === 0xffff ? undefined : f;
        },
        (m, i) => {
          const amount = i.u16();
          const state = m.state;
          if (m.approveVend(amount)) {
            if (state === "vend" && funds !== undefined && amount > funds)
              finding(`approveVend(${amount}) accepted with ${funds} of funds`);
            approved.add(amount);
          }
        },
        (m) => m.denyVend(),
        (m, i) => {
          const f = i.u16();
          if (m.approveRevalue(f)) funds = f;
        },
        (m) => m.denyRevalue(),
        (m, i) => m.setRevalueLimit(i.u16()),
        (m) => m.cancelSession(),
        (m, i) => m.updateCredit(i.u16()),
        (m, i) => m.requestDataEntry(i.u8()),
        (m) => m.cancelDataEntry(),
        (m, i) => m.malfunction(i.u8()),
      ],
      check: (m, step) => {
        const words = step.send;
        if (words.length < 2) return;
        const decoded = decodeResponses(
          Array.from(words.subarray(0, -1), (w) => w & 0xff),
          m.ctx,
        );
        if (!decoded.ok) return;
        for (const r of decoded.responses)
          if (r.type === "vend-approved" && !approved.has(r.amount))
            finding(
              `VEND APPROVED for ${r.amount} went out, the core approved ${[...approved].join(", ") || "nothing"}`,
            );
      },
    },
    data.subarray(2),
  );
}
