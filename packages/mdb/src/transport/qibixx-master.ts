import type { Duplex } from "node:stream";
import { addressOf } from "../link.js";
import type { BlockPeripheral } from "../master/bus.js";
import { onLines } from "./lines.js";
import { parseRequestLine, QIBIXX, type QibixxConstants, replyLine } from "./qibixx.js";

/**
 * A Qibixx adapter in master mode, emulated, with `peripherals` (by address) behind it: our
 * stand-in for the hardware when a master is tested over a serial line. It answers `V`, `M,1`,
 * each `R,...` request (NACK when nobody is at the address) and `R,RESET`, which resets every
 * peripheral.
 */
export class QibixxMasterEmulator {
  constructor(
    private readonly stream: Duplex,
    private readonly peripherals: ReadonlyMap<number, BlockPeripheral>,
    private readonly c: QibixxConstants = QIBIXX,
  ) {
    onLines(stream, (line) => this.answer(line.trim()));
  }

  private answer(line: string): void {
    const { stream, c } = this;
    if (line === c.version) {
      stream.write(`v,EMULATED-1.0${c.lineEnd}`);
      return;
    }
    if (line === c.masterMode) {
      stream.write(`${c.masterModeOk}${c.lineEnd}`);
      return;
    }
    const block = parseRequestLine(line, c);
    if (block === undefined) return;
    if (block === "bus-reset") {
      // the line held active resets every peripheral on the bus
      for (const [address, device] of this.peripherals) device.handleBlock(Uint8Array.of(address));
      stream.write(replyLine("ack", "p,", c));
      return;
    }
    const reply = this.peripherals.get(addressOf(block[0] as number))?.handleBlock(block);
    stream.write(replyLine(reply === undefined ? "nack" : reply.length === 0 ? "ack" : reply, "p,", c));
  }
}
