import { PassThrough } from "node:stream";
import { INSTALL_TIMEOUT, ptyPair, socatFor } from "@vendkit/test-support";
import { afterEach, describe, expect, it } from "vitest";
import { Driver, type Progress, runToEnd } from "./driver.js";
import { MachineError } from "./errors.js";
import { acceptLink, closeLink, openLink } from "./link.js";
import { IDLE, type Machine } from "./machine.js";
import { Pinger, Ponger } from "./test-machines.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe("the Node driver over TCP", () => {
  it("runs a session to its end, with events and progress, and a bus machine alongside", async () => {
    const server = acceptLink({ port: "tcp://127.0.0.1:47311" });
    const client = await openLink({ port: "tcp://127.0.0.1:47311" });
    const { stream, close } = await server;
    cleanups.push(
      close,
      () => closeLink(client),
      () => closeLink(stream),
    );
    const ponger = new Driver(new Ponger(), stream);
    const progress: Progress[] = [];
    const pinger = new Driver(new Pinger(4), client);
    pinger.on("progress", (p) => progress.push(p));
    const events: unknown[] = [];
    pinger.on("event", (e) => events.push(e));
    await pinger.done;
    ponger.stop();
    expect(events).toHaveLength(4);
    expect(pinger.progress).toEqual({ received: 4, sent: 4, events: 4 });
    expect(progress.at(-1)).toEqual({ received: 4, sent: 4, events: 4 });
  });

  it("when the other end goes away first, runs the machine's timers out, or ends with STREAM_CLOSED", async () => {
    const server = acceptLink({ port: "tcp://127.0.0.1:47312" });
    const client = await openLink({ port: "tcp://127.0.0.1:47312" });
    const { stream, close } = await server;
    cleanups.push(close);
    stream.destroy();
    // the pinger's retries still time out, unwritten: it gives up and ends as it would have
    const events = await runToEnd(new Pinger(1, 20, 2), client);
    expect(events).toEqual([{ type: "gave-up" }]);
    // a machine with no timer left cannot end by itself
    const server2 = acceptLink({ port: "tcp://127.0.0.1:47313" });
    const client2 = await openLink({ port: "tcp://127.0.0.1:47313" });
    const other = await server2;
    cleanups.push(other.close);
    const waiting = new Driver(new Ponger(), client2);
    other.stream.destroy();
    await expect(waiting.done).rejects.toMatchObject({ code: "STREAM_CLOSED" });
  });

  it("refuses a link address it does not know", async () => {
    await expect(openLink({ port: "udp://127.0.0.1:1" })).rejects.toMatchObject({ code: "BAD_LINK" });
  });
});

describe("the Node driver over a stream", () => {
  it("sends what a command causes at once (act)", async () => {
    let armed = false;
    const machine: Machine<never> = {
      receive: () => IDLE,
      tick: () => (armed ? { ...IDLE, send: Uint8Array.of(0x41) } : IDLE),
    };
    const line = new PassThrough();
    const written: number[] = [];
    line.on("data", (chunk: Buffer) => written.push(...chunk));
    const driver = new Driver(machine, line);
    await new Promise((r) => setImmediate(r));
    expect(written).toEqual([]);
    driver.act(() => {
      armed = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(written).toEqual([0x41]);
    driver.stop();
  });

  it("keeps the deadline of a command a listener runs while the driver hands out events", async () => {
    // asked by an event, the command arms a timer; the step that carried the event has none
    let armedAt: number | undefined;
    let fired = false;
    const machine: Machine<string> = {
      receive: () => ({ ...IDLE, events: ["asked"] }),
      tick: (now) => {
        if (armedAt !== undefined && now >= armedAt + 20) {
          fired = true;
          armedAt = undefined;
        }
        return { ...IDLE, deadline: armedAt === undefined ? undefined : armedAt + 20 };
      },
    };
    const line = new PassThrough();
    const driver = new Driver(machine, line);
    driver.on("event", () =>
      driver.act(() => {
        armedAt = performance.now();
      }),
    );
    await new Promise((r) => setImmediate(r)); // past the driver's first tick
    line.emit("data", Buffer.of(1));
    await new Promise((r) => setTimeout(r, 80));
    expect(fired).toBe(true);
    driver.stop();
  });

  it("fails a machine that keeps asking for a tick at the same instant", async () => {
    const stuck: Machine<never> = { receive: () => IDLE, tick: (now) => ({ ...IDLE, deadline: now }) };
    const driver = new Driver(stuck, new PassThrough(), { clock: () => 7 });
    await expect(driver.done).rejects.toBeInstanceOf(MachineError);
    await expect(driver.done).rejects.toMatchObject({ code: "DEADLINE_STUCK" });
  });
});

describe("the Node driver over a real pty pair (socat)", () => {
  it(
    "runs the same session over serial ports",
    async () => {
      if (!socatFor("the machine driver's pty test")) return;
      const pair = await ptyPair();
      cleanups.push(pair.close);
      const a = await openLink({ port: pair.a, baudRate: 9600 });
      const b = await openLink({ port: pair.b, baudRate: 9600 });
      cleanups.push(
        () => closeLink(a),
        () => closeLink(b),
      );
      const ponger = new Driver(new Ponger(), b);
      const events = await runToEnd(new Pinger(3), a);
      ponger.stop();
      expect(events.map((e) => e.type)).toEqual(["pong", "pong", "pong"]);
    },
    INSTALL_TIMEOUT,
  );
});
