import { describe, expect, it } from "vitest";
import { IDLE, type Machine } from "./machine.js";
import { type PingEvent, Pinger, Ponger } from "./test-machines.js";
import { Wiring } from "./wiring.js";

describe("Wiring: machines in pairs on a fixed-step clock", () => {
  it("hands a later machine what an earlier one sent on the same step, and the answer on the next", () => {
    const ping = new Pinger(3, 200);
    const pongs: number[] = [];
    const wiring = new Wiring([[ping, new Ponger()]]).on<PingEvent>(ping, (events, now) => {
      for (const e of events) if (e.type === "pong") pongs.push(now);
    });
    wiring.run(0, 10, { until: () => ping.finished });
    // P at 0 reaches the ponger at 0; its Q reaches the pinger at 1; the next P at 1 ...
    expect(pongs).toEqual([1, 2, 3]);
  });

  it("keeps bytes in flight between runs, and runs pairs side by side", () => {
    const [a, b] = [new Pinger(2), new Pinger(2)];
    const wiring = new Wiring([
      [a, new Ponger()],
      [b, new Ponger()],
    ]);
    expect(wiring.run(0, 0)).toBe(1);
    expect([a.finished, b.finished]).toEqual([false, false]);
    wiring.run(1, 5);
    expect([a.finished, b.finished]).toEqual([true, true]);
  });

  it("sends what a hook's command causes on the step of the event", () => {
    let asked = false;
    const heard: number[] = [];
    // asks for a decision from its tick at 0; sends A once it has one
    const commander: Machine<string> = {
      receive: () => IDLE,
      tick: (now) => {
        if (asked) {
          asked = false;
          return { ...IDLE, send: Uint8Array.of(0x41) };
        }
        return now === 0 ? { ...IDLE, events: ["decide"] } : IDLE;
      },
    };
    const recorder: Machine<never> = {
      receive: (_bytes, now) => {
        heard.push(now);
        return IDLE;
      },
      tick: () => IDLE,
    };
    new Wiring([[recorder, commander]])
      .on(commander, () => {
        asked = true;
      })
      .run(0, 3);
    // decided and sent on step 0, so the recorder (earlier in turn) hears it on step 1
    expect(heard).toEqual([1]);
    expect(() => new Wiring([[recorder, recorder]])).toThrowError(RangeError);
  });
});
