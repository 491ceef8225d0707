/**
 * A Qibixx adapter's answer lines in master mode (`qibixxMasterCodec`) into the coin changer's
 * driver, with the VMC's commands between: any line, cut anywhere, becomes words or nothing, never
 * an exception.
 */
import { CoinChangerMaster, replyLine } from "@vendkit/mdb";
import { QIBIXX_TIMING, qibixxMasterCodec } from "@vendkit/mdb/node";
import { driveMachine, type Input } from "../harness.js";
import { CHANGER_DRIVER_COMMANDS } from "../mdb-frames.js";
import { overCodec } from "../over-codec.js";

const text = new TextEncoder();

export function fuzz(data: Uint8Array): void {
  const changer = new CoinChangerMaster({ timing: QIBIXX_TIMING, pollInterval: 25 });
  driveMachine(
    overCodec(qibixxMasterCodec(), changer),
    {
      commands: CHANGER_DRIVER_COMMANDS.map(
        (command) => (_m: unknown, input: Input) => command(changer, input),
      ),
      bits: 8,
      frame: (payload) =>
        text.encode(
          payload.length === 0
            ? replyLine("ack")
            : payload.length === 1
              ? replyLine("nack")
              : replyLine(payload),
        ),
    },
    data,
  );
}
