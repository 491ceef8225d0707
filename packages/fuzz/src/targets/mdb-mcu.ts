/**
 * An MCU adapter's two-byte framing of MDB words (`mdb9Codec`, as the `Driver` runs it) into the
 * cashless device: lost, extra and malformed bytes must leave only framing errors behind.
 */
import { encodeWords } from "@vendkit/mdb";
import { mdb9Codec } from "@vendkit/mdb/node";
import { driveMachine } from "../harness.js";
import { cashlessReader, masterBlock } from "../mdb-frames.js";
import { overCodec } from "../over-codec.js";

export function fuzz(data: Uint8Array): void {
  const { reader } = cashlessReader(3, 0);
  driveMachine(
    overCodec(mdb9Codec(), reader),
    { bits: 8, frame: (payload) => encodeWords(masterBlock(0x10, payload)) },
    data,
  );
}
