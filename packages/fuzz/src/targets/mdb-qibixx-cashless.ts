/**
 * A Qibixx adapter's cashless-device lines into the host's machine (`QibixxCashlessHost`), with
 * the host's answers between; amounts read back with `parseAmount` as the host would.
 */
import { formatAmount, parseAmount, type QibixxCashlessEvent, QibixxCashlessHost } from "@vendkit/mdb";
import { driveMachine, finding } from "../harness.js";

const text = new TextEncoder();
const LINES = ["c,STATUS,VEND,", "c,STATUS,", "c,VEND,SUCCESS", "c,ERR,", "r,ACK", "c,"];

export function fuzz(data: Uint8Array): void {
  driveMachine(
    new QibixxCashlessHost(),
    {
      bits: 8,
      frame: (payload) => {
        const head = LINES[(payload[0] ?? 0) % LINES.length] as string;
        return text.encode(`${head}${String.fromCharCode(...payload.subarray(1))}\n`);
      },
      commands: [
        (m, i) => m.enable((i.u8() & 1) === 1),
        (m, i) => m.approve(formatAmount(i.u16(), i.u8() % 4)),
        (m) => m.deny(),
      ],
      check: (_m, step) => {
        for (const e of step.events as QibixxCashlessEvent[]) {
          if (e.type !== "vend-request") continue;
          if (!Number.isSafeInteger(e.product) || e.product < 0 || e.product > 0xffff)
            finding(`a vend request for product ${e.product}: MDB item numbers are 0-65535`);
          const units = parseAmount(e.amount, 2);
          if (units !== undefined && !Number.isSafeInteger(units))
            finding(`amount "${e.amount}" read as ${units}, not a whole number of cents`);
        }
      },
    },
    data,
  );
}
