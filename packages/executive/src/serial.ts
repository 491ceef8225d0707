import { SerialPort } from "serialport";
import type { Answerer } from "./bus.js";
import type { ExecutiveMaster, MasterEvent } from "./master.js";
import { EXECUTIVE, type ExecutiveConstants } from "./wire.js";

/**
 * Executive over a serial device: a 20 mA current-loop interface, a USB adapter, or a pty in
 * tests. The state machines stay sans-I/O; these links feed them the bytes that arrive and the
 * clock, and write what they answer.
 */
export function openExecutivePort(path: string, c: ExecutiveConstants = EXECUTIVE): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({
      path,
      baudRate: c.baudRate,
      dataBits: 8,
      stopBits: 1,
      parity: c.parity,
      autoOpen: false,
    });
    port.open((err) => (err ? reject(err) : resolve(port)));
  });
}

interface Writable {
  write(data: Buffer): unknown;
  on(event: "data", listener: (chunk: Buffer) => void): unknown;
  off(event: "data", listener: (chunk: Buffer) => void): unknown;
}

/** Runs a master on a port: bytes in, a clock tick every `tickMs`, bytes out, events to `onEvents`. */
export class SerialMaster {
  private readonly timer: NodeJS.Timeout;
  private readonly listener = (chunk: Buffer) => {
    for (const byte of chunk) this.feed({ kind: "byte", byte });
  };

  constructor(
    private readonly port: Writable,
    readonly master: ExecutiveMaster,
    private readonly onEvents: (events: readonly MasterEvent[]) => void,
    tickMs = 5,
  ) {
    port.on("data", this.listener);
    this.timer = setInterval(() => this.feed({ kind: "tick" }), tickMs);
  }

  private feed(input: { kind: "byte"; byte: number } | { kind: "tick" }): void {
    const out = this.master.step(input, Date.now());
    if (out.events.length > 0) this.onEvents(out.events);
    // decisions the events led to go out at once
    const after = this.master.step({ kind: "tick" }, Date.now());
    if (after.events.length > 0) this.onEvents(after.events);
    const send = [...out.send, ...after.send];
    if (send.length > 0) this.port.write(Buffer.from(send));
  }

  close(): void {
    clearInterval(this.timer);
    this.port.off("data", this.listener);
  }
}

/** Runs a slave (a VMC simulator, a reader's changer side) on a port. */
export class SerialSlave {
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly listener = (chunk: Buffer) => {
    const send: number[] = [];
    for (const byte of chunk) send.push(...this.slave.step(byte, Date.now()).send);
    if (send.length > 0) this.port.write(Buffer.from(send));
  };

  constructor(
    private readonly port: Writable,
    readonly slave: Answerer,
    tickMs = 5,
  ) {
    port.on("data", this.listener);
    const tick = slave.tick?.bind(slave);
    if (tick)
      this.timer = setInterval(() => {
        const send = tick(Date.now()).send;
        if (send.length > 0) this.port.write(Buffer.from(send));
      }, tickMs);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.port.off("data", this.listener);
  }
}
