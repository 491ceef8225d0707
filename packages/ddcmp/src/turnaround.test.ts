import { describe, expect, it } from "vitest";
import { Turnaround } from "./turnaround.js";

describe("the turnaround of a half-duplex line", () => {
  it("holds each piece until the delay since the last byte received has passed, releases in order, its events after it", () => {
    const line = new Turnaround<string>(40);
    line.hold(Uint8Array.of(1), 100);
    line.hold(Uint8Array.of(2), 130, ["rate changed"]);
    expect(line.due).toBe(140);
    const send: Uint8Array[] = [];
    const events: string[] = [];
    line.release(139, send, events);
    expect(send).toEqual([]);
    line.release(140, send, events);
    expect(send).toEqual([Uint8Array.of(1)]);
    expect(line.due).toBe(170);
    line.release(170, send, events);
    expect(send).toEqual([Uint8Array.of(1), Uint8Array.of(2)]);
    expect(events).toEqual(["rate changed"]);
    expect(line.due).toBeUndefined();
    line.hold(Uint8Array.of(3), 200);
    line.clear();
    expect(line.due).toBeUndefined();
  });
});
