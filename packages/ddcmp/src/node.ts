import type { Duplex } from "node:stream";
import type { Machine } from "@vendkit/machine";
import { runToEnd, setLineRate } from "@vendkit/machine/node";

export {
  acceptLink,
  closeLink,
  Driver,
  type LinkSpec,
  openLink,
  runToEnd,
  setLineRate,
} from "@vendkit/machine/node";

/** The rate a DDCMP event asks the line to switch to (a link event, or one an audit end passes on). */
function rateChange(e: unknown): number | undefined {
  const x = e as { type?: string; baud?: number; event?: { type?: string; baud?: number } };
  if (x.type === "baud") return x.baud;
  if (x.type === "link" && x.event?.type === "baud") return x.event.baud;
  return undefined;
}

/**
 * Runs an audit session end (DDCMP or DEX, collector or device) over `stream` to its end and
 * returns its events; a serial port follows the rate the DDCMP link agrees. `onRate` hears each
 * change and whether the line could follow it (a socket cannot: the change is protocol-level).
 */
export function runSession<E>(
  machine: Machine<E>,
  stream: Duplex,
  options: { onEvent?: (e: E) => void; onRate?: (baud: number, followed: boolean) => void } = {},
): Promise<E[]> {
  return runToEnd(machine, stream, {
    onEvent: (e) => {
      const baud = rateChange(e);
      if (baud !== undefined) options.onRate?.(baud, setLineRate(stream, baud));
      options.onEvent?.(e);
    },
  });
}
