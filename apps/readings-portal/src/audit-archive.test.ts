import { zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { type ArchiveEntry, eachArchiveEntry } from "./audit-archive.js";

const text = (s: string) => new TextEncoder().encode(s);
const collect = async (zip: Uint8Array, limits?: Parameters<typeof eachArchiveEntry>[2]) => {
  const got: ArchiveEntry[] = [];
  await eachArchiveEntry(
    zip,
    async (e) => {
      got.push(e);
    },
    limits,
  );
  return got;
};

describe("a zip of audits (a route's day)", () => {
  it("hands over each file in order, folders walked, with its bytes", async () => {
    const zip = zipSync({ "a.eva": text("DXS*1\r\n"), "east/": {}, "east/b.eva": text("DXS*2\r\n") });
    const got = await collect(zip);
    expect(got.map((e) => [e.name, "bytes" in e ? new TextDecoder().decode(e.bytes) : e.refused])).toEqual([
      ["a.eva", "DXS*1\r\n"],
      ["east/b.eva", "DXS*2\r\n"],
    ]);
  });

  it("refuses what a zip bomb needs: too many files, a file or the whole inflating too far", async () => {
    const limits = { maxEntries: 2, maxEntryBytes: 1000, maxTotalBytes: 5000 };
    const many = zipSync({ a: text("1"), b: text("2"), c: text("3") });
    await expect(collect(many, limits)).rejects.toThrow(/more than 2 files/);
    // 4 MB of zeros deflate to a few KB: refused on what really inflates
    const bomb = zipSync(
      { "ok.eva": text("fine"), "zeros.eva": new Uint8Array(4 * 1024 * 1024) },
      { level: 9 },
    );
    expect(bomb.length).toBeLessThan(20_000);
    const got = await collect(bomb, { maxEntries: 10, maxEntryBytes: 1000, maxTotalBytes: 10_000_000 });
    expect(got).toEqual([
      { name: "ok.eva", bytes: text("fine") },
      { name: "zeros.eva", refused: "inflates past 1000 bytes" },
    ]);
    await expect(
      collect(bomb, { maxEntries: 10, maxEntryBytes: 8_000_000, maxTotalBytes: 5000 }),
    ).rejects.toThrow(/inflates past 5000 bytes/);
  });

  it("refuses what is no zip", async () => {
    await expect(collect(text("DXS*not a zip"))).rejects.toMatchObject({ code: "BAD_INPUT" });
  });
});
