/** DDCMP messages (and bytes between them) into a link station, with data queued to send. */
import { Station } from "@vendkit/ddcmp";
import { ddcmpFrame } from "../ddcmp-frames.js";
import { driveMachine } from "../harness.js";

export function fuzz(data: Uint8Array): void {
  driveMachine(
    new Station({ replyTimeout: 50, retries: 3, window: 1 + ((data[0] ?? 0) % 4) }),
    {
      bits: 8,
      frame: ddcmpFrame,
      commands: [(m) => m.start(), (m, i) => m.send(i.bytes(i.u8() % 64))],
    },
    data.subarray(1),
  );
}
