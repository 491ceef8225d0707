import { describe, expect, it } from "vitest";
import { aesCmac } from "./cmac.js";
import { diversify } from "./diversify.js";

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s/g, ""), "hex"));
const KEY = hex("2b7e1516 28aed2a6 abf71588 09cf4f3c");
const MSG = hex(
  "6bc1bee2 2e409f96 e93d7e11 7393172a ae2d8a57 1e03ac9c 9eb76fac 45af8e51 30c81c46 a35ce411 e5fbc119 1a0a52ef f69f2445 df4f9b17 ad2b417b e66c3710",
);

describe("AES-CMAC (RFC 4493 test vectors)", () => {
  it.each([
    [0, "bb1d6929 e9593728 7fa37d12 9b756746"],
    [16, "070a16b4 6b4d4144 f79bdd9d d04a287c"],
    [40, "dfa66747 de9ae630 30ca3261 1497c827"],
    [64, "51f0bebf 7e3b9d92 fc497417 79363cfe"],
  ])("over %i bytes", (length, mac) => {
    expect(Buffer.from(aesCmac(KEY, MSG.subarray(0, length))).toString("hex")).toBe(mac.replace(/\s/g, ""));
  });

  it("needs a 16-byte key", () => {
    expect(() => aesCmac(new Uint8Array(8), MSG)).toThrow(RangeError);
  });
});

describe("key diversification", () => {
  const master = hex("00112233445566778899aabbccddeeff");
  it("gives each card, sector and key type its own 6-byte key", () => {
    const a = diversify(master, hex("01020304"));
    const b = diversify(master, hex("01020305"));
    const keys = new Set<string>();
    for (const set of [a, b]) {
      for (let s = 0; s < 16; s++) {
        for (const t of ["A", "B"] as const) keys.add(Buffer.from(set.sectorKey(s, t)).toString("hex"));
      }
    }
    expect(keys.size).toBe(64);
    expect(a.sectorKey(3, "A")).toHaveLength(6);
    expect(a.macKey).toHaveLength(16);
    expect(Buffer.from(diversify(master, hex("01020304")).sectorKey(3, "A"))).toEqual(
      Buffer.from(a.sectorKey(3, "A")),
    );
  });

  it("refuses malformed inputs", () => {
    expect(() => diversify(new Uint8Array(6), hex("01020304"))).toThrow(RangeError);
    expect(() => diversify(master, hex("0102"))).toThrow(RangeError);
  });
});
