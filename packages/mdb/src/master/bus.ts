import type { Machine, Step } from "@vendkit/machine";
import { addressOf, DEFAULT_TIMING, type MdbTiming } from "../link.js";
import { PeripheralPort } from "../peripheral-port.js";

/** A peripheral that answers a block (address first, CHK removed): data, empty for ACK, undefined for silence. */
export interface BlockPeripheral {
  handleBlock(block: Uint8Array): Uint8Array | undefined;
}

/**
 * Peripherals on a bus in memory, by address (0x08 coin changer, 0x30 bill validator...), as one
 * machine on the line (docs/machines.md): the master's words in, each addressed device's reply
 * out. A block ends after `interByte` of silence, the step's deadline.
 */
export class PeripheralBus implements Machine<never, Uint16Array> {
  private readonly port: PeripheralPort<never>;

  constructor(
    readonly peripherals: ReadonlyMap<number, BlockPeripheral>,
    timing: MdbTiming = DEFAULT_TIMING,
  ) {
    this.port = new PeripheralPort<never>(
      {
        accepts: (b) => peripherals.has(addressOf(b)),
        answer: (block) => ({
          reply: peripherals.get(addressOf(block[0] as number))?.handleBlock(block),
          events: [],
        }),
      },
      timing,
    );
  }

  receive(words: ArrayLike<number>, now: number): Step<never, Uint16Array> {
    return this.port.receive(words, now);
  }

  tick(now: number): Step<never, Uint16Array> {
    return this.port.tick(now);
  }

  /** An MDB bus reset: every peripheral resets (each takes its RESET command). */
  reset(): void {
    for (const [address, device] of this.peripherals) device.handleBlock(Uint8Array.of(address));
  }
}
