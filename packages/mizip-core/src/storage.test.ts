import { describe, expect, it } from "vitest";
import { MemoryStorage, PowerCut } from "./storage.js";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("MemoryStorage", () => {
  it("commits several records at once and deletes with undefined", () => {
    const s = new MemoryStorage();
    s.commit(
      new Map([
        ["stats/S1", bytes("10")],
        ["key/4711", bytes("500")],
      ]),
    );
    expect(s.keys()).toEqual(["key/4711", "stats/S1"]);
    s.commit(new Map([["key/4711", undefined]]));
    expect(s.keys("key/")).toEqual([]);
    expect(new TextDecoder().decode(s.get("stats/S1"))).toBe("10");
  });

  it("keeps all or nothing of a commit the power cut", () => {
    const s = new MemoryStorage();
    s.commit(new Map([["a", bytes("1")]]));
    s.cutPowerOnNextCommit();
    expect(() =>
      s.commit(
        new Map([
          ["a", bytes("2")],
          ["b", bytes("2")],
        ]),
      ),
    ).toThrow(PowerCut);
    expect(new TextDecoder().decode(s.get("a"))).toBe("1");
    expect(s.get("b")).toBeUndefined();
    expect(s.commits).toBe(1);
  });

  it("hands out copies, so a caller cannot change what is stored", () => {
    const s = new MemoryStorage();
    const v = bytes("x");
    s.commit(new Map([["k", v]]));
    v[0] = 0;
    const got = s.get("k") as Uint8Array;
    got[0] = 0;
    expect(new TextDecoder().decode(s.get("k"))).toBe("x");
  });
});
