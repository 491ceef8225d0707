import { EventEmitter } from "node:events";
import type { Duplex } from "node:stream";
import { MachineError } from "./errors.js";
import type { Machine, Step, Units } from "./machine.js";

/**
 * How a stream's bytes become a machine's units and back, for links where they differ (MDB's
 * 9-bit words through an adapter's framing). `decode` keeps whatever a chunk leaves unfinished.
 */
export interface UnitCodec {
  decode(chunk: Uint8Array): ArrayLike<number>;
  encode(units: ArrayLike<number>): Uint8Array;
}

/** Bytes over the stream so far, both ways, and the machine's events. */
export interface Progress {
  readonly received: number;
  readonly sent: number;
  readonly events: number;
}

export interface DriveOptions {
  /** Milliseconds, monotonic. Default `performance.now`. */
  readonly clock?: () => number;
  readonly codec?: UnitCodec;
}

/** What a `Driver` emits: each event of its machine, and its progress after each step. */
export interface DriverEvents<E> {
  event: [E];
  progress: [Progress];
}

/** Ticks in a row at one instant that mean a machine does not move its deadline on. */
const STUCK = 100;

/**
 * The one Node driver: runs any machine over a Node duplex stream (a `serialport` port, a pty
 * opened through it, a TCP socket, a pipe). Bytes that arrive go in with the time, the machine is
 * ticked at each deadline it gives (one timer, never a polling interval), what it sends is
 * written, and its events come out as `event`s, with `progress` after each step that moved
 * something. `done` settles when a session machine finishes (after its last bytes have left). When
 * the stream ends first, the machine's timers still run out (nothing more is written): a device
 * lingering after FINISH ends as it would have, a session cut short fails by its own time-out;
 * a machine left with no deadline rejects `done` with STREAM_CLOSED.
 */
export class Driver<E, U extends Units = Uint8Array> extends EventEmitter<DriverEvents<E>> {
  readonly done: Promise<void>;
  private settle!: { resolve: () => void; reject: (e: Error) => void };
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** The stream has ended: timers still run (a device lingering after FINISH), nothing is written. */
  private hungUp = false;
  private received = 0;
  private sent = 0;
  private eventCount = 0;
  private stuck = 0;
  /** Steps applied so far: an event listener's `act` applies one inside another. */
  private applied = 0;
  private lastTickAt = Number.NaN;
  private readonly clock: () => number;
  private readonly onData = (chunk: Uint8Array) => {
    this.received += chunk.length;
    const units = this.options.codec ? this.options.codec.decode(chunk) : chunk;
    this.apply(() => this.machine.receive(units, this.clock()), false);
  };
  private readonly onEnd = () => this.hangUp();
  private readonly onError = (e: Error) =>
    this.fail(new MachineError("STREAM_CLOSED", `the stream failed: ${e.message}`));

  constructor(
    readonly machine: Machine<E, U>,
    private readonly stream: Duplex,
    private readonly options: DriveOptions = {},
  ) {
    super();
    this.clock = options.clock ?? (() => performance.now());
    this.done = new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // a bus machine never finishes: nobody need wait on `done` for its end to be handled
    this.done.catch(() => undefined);
    stream.on("data", this.onData);
    stream.on("close", this.onEnd);
    stream.on("error", this.onError);
    queueMicrotask(() => this.apply(() => machine.tick(this.clock()), true));
  }

  /** Runs a command on the machine (approve, display, start ...) and sends what it causes at once. */
  act<T>(command: (machine: Machine<E, U>) => T): T {
    const result = command(this.machine);
    this.apply(() => this.machine.tick(this.clock()), false);
    return result;
  }

  get progress(): Progress {
    return { received: this.received, sent: this.sent, events: this.eventCount };
  }

  /** Leaves the stream alone from now on (it is not closed). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.stream.off("data", this.onData);
    this.stream.off("close", this.onEnd);
    this.stream.off("error", this.onError);
  }

  private apply(run: () => Step<E, U>, tick: boolean): void {
    if (this.stopped) return;
    let step: Step<E, U>;
    try {
      const now = this.clock();
      if (tick) {
        this.stuck = now === this.lastTickAt ? this.stuck + 1 : 0;
        this.lastTickAt = now;
        if (this.stuck > STUCK)
          throw new MachineError("DEADLINE_STUCK", `the machine asked ${STUCK} times to be ticked at ${now}`);
      }
      step = run();
      this.applied++;
    } catch (e) {
      this.fail(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    if (step.send.length > 0 && !this.hungUp) {
      const bytes = this.options.codec ? this.options.codec.encode(step.send) : (step.send as Uint8Array);
      this.sent += bytes.length;
      this.stream.write(bytes);
    }
    const mine = this.applied;
    for (const e of step.events) {
      this.eventCount++;
      this.emit("event", e);
    }
    if (step.send.length > 0 || step.events.length > 0) this.emit("progress", this.progress);
    // a listener acted on an event: the step it applied holds the newer deadline
    if (this.applied !== mine || this.stopped) return;
    if (this.machine.finished) {
      this.finish();
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (step.deadline === undefined && this.hungUp) {
      this.fail(new MachineError("STREAM_CLOSED", "the stream ended before the session did"));
    } else if (step.deadline !== undefined) {
      const wait = Math.max(0, step.deadline - this.clock());
      this.timer = setTimeout(() => this.apply(() => this.machine.tick(this.clock()), true), wait);
    }
  }

  private hangUp(): void {
    if (this.stopped || this.hungUp) return;
    this.hungUp = true;
    this.stream.off("data", this.onData);
    if (this.timer === undefined)
      this.fail(new MachineError("STREAM_CLOSED", "the stream ended before the session did"));
  }

  private finish(): void {
    this.stop();
    if (this.hungUp) {
      this.settle.resolve();
      return;
    }
    // let the last bytes leave before the caller closes the stream: a serial port's drain waits
    // for the device to transmit them; a socket's empty write for its queue
    const serial = this.stream as Duplex & { drain?: (cb: (err?: Error | null) => void) => void };
    if (typeof serial.drain === "function") serial.drain(() => this.settle.resolve());
    else this.stream.write(new Uint8Array(0), () => this.settle.resolve());
  }

  private fail(e: Error): void {
    if (this.stopped) return;
    this.stop();
    this.settle.reject(e);
  }
}

/** Drives a session machine to its end over `stream` and returns every event it gave. */
export async function runToEnd<E, U extends Units = Uint8Array>(
  machine: Machine<E, U>,
  stream: Duplex,
  options: DriveOptions & { readonly onEvent?: (e: E) => void } = {},
): Promise<E[]> {
  const events: E[] = [];
  const driver = new Driver(machine, stream, options);
  driver.on("event", (e) => {
    events.push(e);
    options.onEvent?.(e);
  });
  await driver.done;
  return events;
}
