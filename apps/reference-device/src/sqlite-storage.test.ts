import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SqliteStorage } from "./sqlite-storage.js";

const file = () => join(mkdtempSync(join(tmpdir(), "vendkit-device-")), "device.sqlite");

describe("SqliteStorage", () => {
  it("commits several records at once, deletes with undefined, and keeps them across a reopen", () => {
    const path = file();
    const s = new SqliteStorage(path);
    s.commit(
      new Map<string, Uint8Array | undefined>([
        ["a/1", Uint8Array.of(1)],
        ["a/2", Uint8Array.of(2, 2)],
        ["b/1", Uint8Array.of(3)],
      ]),
    );
    s.commit(new Map([["a/1", undefined]]));
    expect(s.keys("a/")).toEqual(["a/2"]);
    expect(s.get("b/1")).toEqual(Uint8Array.of(3));
    s.close();
    const again = new SqliteStorage(path);
    expect(again.keys()).toEqual(["a/2", "b/1"]);
    expect(again.get("a/2")).toEqual(Uint8Array.of(2, 2));
    expect(again.get("missing")).toBeUndefined();
    again.close();
  });

  it("keeps nothing of a commit that fails part way", () => {
    const s = new SqliteStorage(file());
    s.commit(new Map([["k", Uint8Array.of(1)]]));
    const bad = new Map<string, Uint8Array | undefined>([
      ["k", Uint8Array.of(9)],
      ["x", 5 as unknown as Uint8Array],
    ]);
    expect(() => s.commit(bad)).toThrow();
    expect(s.get("k")).toEqual(Uint8Array.of(1));
    expect(s.get("x")).toBeUndefined();
    s.close();
  });
});
