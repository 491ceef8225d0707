import type { PeripheralReply } from "../link.js";

/**
 * A bus the master's drivers talk over: one block out, the peripheral's reply back.
 * `QibixxMasterLink` (`@vendkit/mdb/node`) is one; `PeripheralBus` of simulators is another.
 */
export interface MasterBus {
  request(block: ArrayLike<number>): Promise<PeripheralReply>;
}

/** A peripheral that answers a block (address first, CHK removed): data, empty for ACK, undefined for silence. */
export interface BlockPeripheral {
  handleBlock(block: Uint8Array): Uint8Array | undefined;
}

/** Peripherals on a bus in memory, by address (0x08 coin changer, 0x30 bill validator...). */
export class PeripheralBus implements MasterBus {
  constructor(readonly peripherals: ReadonlyMap<number, BlockPeripheral>) {}

  /** The reply to `block` from the peripheral at its address; silence (TIMEOUT) when none is there. */
  answer(block: ArrayLike<number>): PeripheralReply {
    const bytes = Uint8Array.from(block);
    const reply = this.peripherals.get((bytes[0] ?? 0) & 0xf8)?.handleBlock(bytes);
    if (reply === undefined) return { kind: "error", code: "TIMEOUT", at: 0, detail: "nobody answered" };
    return reply.length === 0 ? { kind: "ack" } : { kind: "data", bytes: reply };
  }

  async request(block: ArrayLike<number>): Promise<PeripheralReply> {
    return this.answer(block);
  }

  /** An MDB bus reset: every peripheral resets (each takes its RESET command). */
  reset(): void {
    for (const [address, device] of this.peripherals) device.handleBlock(Uint8Array.of(address));
  }
}
