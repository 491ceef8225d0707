/**
 * What one end of a half-duplex link sends, held until the turnaround since the last byte it
 * received has passed (Table 2, p. 65), then released in order. A piece may carry events that are
 * reported once its bytes have gone (the rate change after a STACK).
 */
export class Turnaround<E> {
  private held: { readonly bytes: Uint8Array; readonly notBefore: number; readonly after: readonly E[] }[] =
    [];

  constructor(private readonly delay: number) {}

  /** When the first held piece may go; undefined when nothing waits. */
  get due(): number | undefined {
    return this.held[0]?.notBefore;
  }

  hold(bytes: Uint8Array, lastReceived: number, after: readonly E[] = []): void {
    this.held.push({ bytes, notBefore: lastReceived + this.delay, after });
  }

  /** Moves what may go at `now` into `send`, in order, and the events it carries into `events`. */
  release(now: number, send: Uint8Array[], events: E[]): void {
    for (let h = this.held[0]; h !== undefined && now >= h.notBefore; h = this.held[0]) {
      this.held.shift();
      send.push(h.bytes);
      events.push(...h.after);
    }
  }

  clear(): void {
    this.held = [];
  }
}
