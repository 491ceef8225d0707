import { describe, expect, it } from "vitest";
import { converse } from "./converse.js";
import { MachineError } from "./errors.js";
import { IDLE, type Machine } from "./machine.js";
import { Pinger, Ponger } from "./test-machines.js";

describe("converse: two machines back to back on a virtual clock", () => {
  it("delivers what one sends to the other, with the latency asked for", () => {
    const ping = new Pinger(3);
    const c = converse(ping, new Ponger(), { latency: 5, until: () => ping.finished });
    expect(c.a).toEqual([
      { type: "pong", at: 10 },
      { type: "pong", at: 20 },
      { type: "pong", at: 30 },
    ]);
    expect(c.b).toHaveLength(3);
    expect(c.end).toBe("until");
    expect(c.now).toBe(30);
  });

  it("jumps the clock to the next deadline: a lost answer is retried after the wait", () => {
    let lost = 0;
    const ping = new Pinger(1, 200, 3);
    const c = converse(ping, new Ponger(), {
      until: () => ping.finished,
      wire: (units, from) => (from === "b" && lost++ < 2 ? [] : units),
    });
    expect(c.a).toEqual([{ type: "pong", at: 400 }]);
  });

  it("reports a machine that gives up, and a silent pair as quiet", () => {
    const ping = new Pinger(1, 100, 2);
    const c = converse(ping, new Ponger(), { wire: () => [] });
    expect(c.a).toEqual([{ type: "gave-up" }]);
    expect(c.end).toBe("quiet");
    expect(c.now).toBe(200);
  });

  it("stops at the limit", () => {
    const c = converse(new Pinger(1, 1000, 100), new Ponger(), { wire: () => [], limit: 2500 });
    expect(c.end).toBe("limit");
    expect(c.now).toBe(2500);
  });

  it("refuses a machine whose deadline does not move on when ticked", () => {
    const stuck: Machine<never> = { receive: () => IDLE, tick: (now) => ({ ...IDLE, deadline: now }) };
    const run = () => converse(stuck, new Ponger());
    expect(run).toThrowError(MachineError);
    expect(run).toThrowError(/ticked 1000 times/);
  });
});
