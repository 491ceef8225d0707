import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listFiles, progressLine, runBatch } from "./batch.js";
import { goldenFile } from "./test-support.js";

/** A route's day: two machines' audits in a folder (one in a sub-folder), and a broken file. */
function day(): string {
  const root = mkdtempSync(join(tmpdir(), "evadts-batch-"));
  const text = goldenFile("mizip-dex60.eva_dts").toString("latin1");
  mkdirSync(join(root, "east"));
  writeFileSync(join(root, "a.eva"), text, "latin1");
  writeFileSync(join(root, "east", "b.eva"), text.replace(/NIS0012345/g, "NIS0099999"), "latin1");
  writeFileSync(join(root, "c-broken.eva"), "this is no audit\r\n", "latin1");
  return root;
}

const run = (paths: string[], command: "summary" | "json" | "validate", format: "text" | "jsonl" | "csv") => {
  const lines: string[] = [];
  const progress: number[] = [];
  const code = runBatch(
    listFiles(paths),
    { command, format },
    (t) => lines.push(t),
    (p) => progress.push(p.files),
  );
  return { code, text: lines.join(""), progress };
};

describe("many audits at once (a route's day)", () => {
  it("walks folders in order, one JSON line per audit, reports the broken file and goes on", () => {
    const root = day();
    expect(listFiles([root]).map((f) => f.slice(root.length + 1))).toEqual([
      "a.eva",
      "c-broken.eva",
      "east/b.eva",
    ]);
    const r = run([root], "summary", "jsonl");
    const records = r.text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(records.map((x) => x.machine ?? x.error)).toEqual([
      "NIS0012345",
      expect.stringMatching(/^MISSING_ST/),
      "NIS0099999",
    ]);
    expect(records[0]).toMatchObject({ audit: 1, file: join(root, "a.eva") });
    expect(records[0].products.length).toBeGreaterThan(0);
    expect(r.code).toBe(1); // one file could not be read as an audit
    expect(r.progress).toEqual([1, 2, 3]);
  });

  it("writes the products and cash of each machine as CSV", () => {
    const root = day();
    const r = run([join(root, "a.eva"), join(root, "east")], "summary", "csv");
    const rows = r.text.trim().split("\n");
    expect(rows[0]).toBe(
      "file,audit,machine,model,date,kind,product,price,count_init,value_init,count_reset,value_reset",
    );
    expect(rows.filter((l) => l.includes(",cash,"))).toHaveLength(2);
    expect(rows.some((l) => l.includes("NIS0099999") && l.includes(",product,"))).toBe(true);
    expect(r.code).toBe(0);
  });

  it("validates every file, and says which ones fail", () => {
    const root = day();
    const r = run([root], "validate", "text");
    expect(r.text).toContain(`${join(root, "a.eva")}: valid`);
    expect(r.text).toMatch(/c-broken\.eva: invalid/);
    expect(r.code).toBe(1);
  });

  it("a status line with files, MB, rate and time left", () => {
    expect(
      progressLine({ files: 5, totalFiles: 10, bytes: 1_048_576, totalBytes: 2_097_152, elapsedMs: 500 }),
    ).toBe("5/10 files, 1.0 of 2.0 MB, 2.0 MB/s, 1 s left");
  });
});
