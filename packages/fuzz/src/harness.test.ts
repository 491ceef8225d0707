import { type Machine, NO_BYTES, type Step } from "@vendkit/machine";
import { describe, expect, it } from "vitest";
import { driveMachine, endsAlone, FuzzFinding, typedOnly } from "./harness.js";

class Coded extends Error {
  readonly code = "BAD";
}

/** A machine with a timer every 10 ms; `flaw` breaks one rule. */
function timer(flaw?: "repeat" | "stale" | "throw" | "nan" | "wide"): Machine<never> {
  let due = 10;
  const step = (deadline: number): Step<never> => ({ send: NO_BYTES, events: [], deadline });
  return {
    receive(bytes) {
      if (flaw === "throw" && bytes[0] === 7) throw new Error("boom");
      if (flaw === "wide")
        return { send: Uint16Array.of(0x1ff) as unknown as Uint8Array, events: [], deadline: due };
      return step(due);
    },
    tick(now) {
      if (flaw === "nan") return step(Number.NaN);
      if (flaw === "stale" && now >= due) {
        due -= 0.5;
        return step(due);
      }
      if (now >= due && flaw !== "repeat") due = now + 10;
      return step(due);
    },
  };
}

describe("the fuzz harness", () => {
  it("passes a machine that keeps the rules", () => {
    expect(() => driveMachine(timer(), { bits: 8 }, Uint8Array.of(0x01, 7, 7, 0xa0, 0xc5))).not.toThrow();
  });

  it.each([
    ["repeat", "ticked at 10, at or after its deadline 10, it asked for 10 again"],
    ["stale", "it still asks for a tick at or before then"],
    ["throw", "receive threw Error: boom"],
    ["nan", "deadline NaN is neither"],
    ["wide", "not 8-bit units"],
  ] as const)("finds a machine whose rule breaks: %s", (flaw, message) => {
    expect(() => driveMachine(timer(flaw), { bits: 8 }, Uint8Array.of(0x01, 7, 7, 0xa0))).toThrow(message);
  });

  it("lets a command's typed error pass and reports an untyped one", () => {
    const typed = () => {
      throw new Coded("refused");
    };
    expect(typedOnly("x", [Coded], typed)).toBeUndefined();
    expect(() => typedOnly("x", [Coded], () => JSON.parse("{"))).toThrow(FuzzFinding);
    expect(() =>
      driveMachine(
        timer(),
        { bits: 8, commands: [() => JSON.parse("{")], commandErrors: [Coded] },
        Uint8Array.of(0xe0),
      ),
    ).toThrow("a command threw SyntaxError");
  });

  it("shows a target the units a machine receives, and when, before the machine sees them", () => {
    const log: string[] = [];
    const m = timer();
    const inner = m.receive.bind(m);
    m.receive = (units, now) => {
      log.push(`machine ${Array.from(units).join(" ")} at ${now}`);
      return inner(units, now);
    };
    // 0x21: two units 1 ms on; 0x01: two more, back to back
    driveMachine(
      m,
      { bits: 8, received: (units, now) => log.push(`target ${Array.from(units).join(" ")} at ${now}`) },
      Uint8Array.of(0x21, 5, 6, 0x01, 7, 8),
    );
    expect(log).toHaveLength(4);
    expect(log[0]?.replace("target", "machine")).toBe(log[1]);
    expect(log[2]?.replace("target", "machine")).toBe(log[3]);
    expect(log[0]).toMatch(/^target 5 6 at 1$/);
    expect(log[2]).toMatch(/^target 7 8 at 1$/);
  });

  it("reports a session that does not end by itself", () => {
    expect(() => endsAlone({ finished: false })).toThrow(FuzzFinding);
    expect(() => endsAlone({ finished: true })).not.toThrow();
  });
});
