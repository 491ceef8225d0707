import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeLatin1, encodeLatin1, writeLatin1 } from "./latin1.js";
import { parse } from "./parse.js";
import { scanFile } from "./scan-kernel.js";

/** What latin1 means: one character per byte, its code the byte. */
const reference = (bytes: Uint8Array) => Array.from(bytes, (b) => String.fromCharCode(b)).join("");

describe("latin1 without Buffer (the main entry runs in a browser)", () => {
  it("decodes every byte to its own code point, 0x80-0x9F too (where windows-1252 would not)", () => {
    const all = Uint8Array.from({ length: 256 }, (_, b) => b);
    expect(decodeLatin1(all)).toBe(reference(all));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const text = decodeLatin1(bytes);
        expect(text).toBe(reference(bytes));
        expect(encodeLatin1(text)).toEqual(bytes);
      }),
    );
  });

  it("takes the ASCII way only when the scan says no byte is 0x80 or more", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const scanned = scanFile(bytes);
        expect(scanned.ascii).toBe(bytes.every((b) => b < 0x80));
        expect(decodeLatin1(bytes, scanned.ascii)).toBe(reference(bytes));
      }),
    );
  });

  it("writes ASCII and non-ASCII text alike, byte for byte", () => {
    const into = new Uint8Array(8).fill(0xee);
    writeLatin1("A\u0080\u00e9\u00ff", into);
    expect(Array.from(into.subarray(0, 5))).toEqual([0x41, 0x80, 0xe9, 0xff, 0xee]);
    writeLatin1("PA1*1", into);
    expect(Array.from(into.subarray(0, 5))).toEqual([0x50, 0x41, 0x31, 0x2a, 0x31]);
  });

  it("keeps a vendor's 0x80-0x9F bytes in a parsed file's text", () => {
    const file = parse(
      Uint8Array.from([...Array.from("PA1*1*50*", (c) => c.charCodeAt(0)), 0x80, 0x9f, 0x0d, 0x0a]),
    );
    expect(file.text.slice(9, 11)).toBe("\u0080\u009f");
  });
});
