import type { PeripheralReply } from "../link.js";
import type { Poller } from "./poller.js";

/**
 * What the bus master's peripheral drivers (coin changer, bill validator) share: a `Poller` that
 * sends their commands, and the events their replies produce, handed out by `reply`. A device
 * that stops answering is reported once, as `lost`.
 */
export abstract class DeviceMaster<E extends { readonly type: string }> {
  protected events: E[] = [];
  protected abstract readonly poller: Poller;
  /** The event that says the device stopped answering. */
  protected abstract readonly lostEvent: E;

  /** The next block to send at `now`, if any. */
  next(now: number): Uint8Array | undefined {
    const wasLost = this.poller.lost;
    const bytes = this.poller.next(now);
    if (!wasLost && this.poller.lost) this.events.push(this.lostEvent);
    return bytes;
  }

  /** The device's reply to the last block; returns what happened. */
  reply(r: PeripheralReply, now: number): E[] {
    this.poller.reply(r, now);
    const out = this.events;
    this.events = [];
    return out;
  }
}
