import type { Duplex } from "node:stream";

/** Anything sans-I/O that speaks bytes: a DEX end, and the EVA-DTS-over-DDCMP ends to come. */
export interface ByteEnd<E> {
  receive(bytes: Uint8Array, now: number): { send: Uint8Array[]; events: E[] };
  tick(now: number): { send: Uint8Array[]; events: E[] };
  readonly finished: boolean;
}

/**
 * Drives a sans-I/O end over a stream: received bytes go in, what it says to send goes out, and
 * `tick` runs every `tickMs`. Resolves with every event once the end has finished.
 */
export function runOverStream<E>(
  end: ByteEnd<E>,
  stream: Duplex,
  first: { send: Uint8Array[]; events: E[] } | undefined,
  options: { tickMs?: number; onEvent?: (e: E) => void; clock?: () => number } = {},
): Promise<E[]> {
  const clock = options.clock ?? (() => performance.now());
  const events: E[] = [];
  return new Promise((resolve) => {
    const apply = (step: { send: Uint8Array[]; events: E[] }) => {
      for (const bytes of step.send) stream.write(Buffer.from(bytes));
      for (const e of step.events) {
        events.push(e);
        options.onEvent?.(e);
      }
      if (end.finished) finish();
    };
    const onData = (chunk: Buffer) => apply(end.receive(chunk, clock()));
    const timer = setInterval(() => apply(end.tick(clock())), options.tickMs ?? 20);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearInterval(timer);
      stream.off("data", onData);
      // let the last bytes (EOT) leave before the caller closes the stream: a serial port's
      // drain waits for the device to transmit them; a socket's empty write for its queue
      const serial = stream as Duplex & { drain?: (cb: (err?: Error | null) => void) => void };
      if (typeof serial.drain === "function") serial.drain(() => resolve(events));
      else stream.write(Buffer.alloc(0), () => resolve(events));
    };
    stream.on("data", onData);
    if (first) apply(first);
  });
}
