import type { Duplex } from "node:stream";
import { openLink } from "@vendkit/machine/node";
import { EXECUTIVE, type ExecutiveConstants } from "./wire.js";

export { acceptLink, closeLink, Driver, type LinkSpec, openLink, type Progress } from "@vendkit/machine/node";

/**
 * Opens an Executive line: a 20 mA current-loop interface or a USB adapter at the protocol's
 * rate and parity (a pty in tests), or `tcp://host:port`. Run a master, a slave or a simulator on
 * it with `Driver`; a vend request is answered with `driver.act((m) => m.approve())`.
 */
export function openExecutiveLink(port: string, c: ExecutiveConstants = EXECUTIVE): Promise<Duplex> {
  return openLink({ port, baudRate: c.baudRate, dataBits: 8, stopBits: 1, parity: c.parity });
}
