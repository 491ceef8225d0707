import { spawnSync } from "node:child_process";
import { mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { goldenFile } from "./test-support.js";
import { buildAudit, write } from "./write.js";

const here = dirname(fileURLToPath(import.meta.url));
const golden = join(here, "..", "test-vectors", "mizip-ddcmp60-plus.eva_dts");

function evadts(args: string[], input?: Buffer | string) {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(here, "cli.ts"), ...args], {
    input,
    encoding: "utf8",
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("evadts CLI", () => {
  it("validate: exit 0 and 'valid' for a clean file", () => {
    const r = evadts(["validate", golden]);
    expect(r.out).toBe("valid\n");
    expect(r.code).toBe(0);
  });

  it("validate: lists findings with line:column and exits 1 on an error", () => {
    const broken = goldenFile("mizip-dex60.eva_dts").toString("latin1").replace("VA1*18560", "VA1*18x60");
    const r = evadts(["validate", "-"], broken);
    expect(r.out).toMatch(/^6:5 error NOT_NUMERIC VA101: /m);
    expect(r.out).toMatch(/^\d+:\d+ warning G85_MISMATCH G8501: /m);
    expect(r.out).toContain("invalid: 1 failing findings");
    expect(r.code).toBe(1);
  });

  it("validate --strict: warnings fail too", () => {
    const lf = goldenFile("mizip-dex60.eva_dts").toString("latin1").replaceAll("\r\n", "\n");
    expect(evadts(["validate", "-"], lf).code).toBe(0);
    expect(evadts(["validate", "--strict", "-"], lf).code).toBe(1);
  });

  it("validate: a sound audit with the placeholders real machines send exits 0; --strict makes them errors", () => {
    const model = buildAudit(
      [
        { tag: "PA1", elements: ["1", "50"] },
        { tag: "PA5", elements: ["0", "0", "2"] },
      ],
      {
        communicationId: "NWK0000001",
      },
    );
    const text = Buffer.from(write(model));
    const r = evadts(["validate", "-"], text);
    expect(r.out).toMatch(/^4:5 warning PLACEHOLDER_DATE PA501: /m);
    expect(r.out).toMatch(/^4:7 warning PLACEHOLDER_TIME PA502: /m);
    expect(r.code).toBe(0);
    const strict = evadts(["validate", "--strict", "-"], text);
    expect(strict.out).toMatch(/^4:5 error PLACEHOLDER_DATE PA501: /m);
    expect(strict.code).toBe(1);
  });

  it("summary: one report per audit when a file holds several, with transport framing around them", () => {
    const one = goldenFile("mizip-dex60.eva_dts").toString("latin1");
    const r = evadts(["summary", "-"], `TELEMETRY HEADER 42\r\n${one}${one}TRAILER\r\n`);
    expect(r.code).toBe(0);
    expect(r.out.match(/^Audit \d of 2 \(from line \d+\)$/gm)).toEqual([
      "Audit 1 of 2 (from line 2)",
      `Audit 2 of 2 (from line ${2 + one.split("\r\n").length - 1})`,
    ]);
    expect(r.out.match(/^Machine /gm)).toHaveLength(2);
  });

  it("many files and folders: one JSON line per audit, a broken file reported, exit 1 at the end", () => {
    const root = mkdtempSync(join(tmpdir(), "evadts-cli-batch-"));
    writeFileSync(join(root, "a.eva"), goldenFile("mizip-dex60.eva_dts"));
    writeFileSync(join(root, "b.eva"), "no audit\r\n");
    const r = evadts(["summary", root, golden, "--jsonl"]);
    const lines = r.out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { file: string; error?: string });
    expect(lines.map((l) => [l.file.split("/").at(-1), l.error === undefined])).toEqual([
      ["a.eva", true],
      ["b.eva", false],
      ["mizip-ddcmp60-plus.eva_dts", true],
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(""); // no status line when stderr is no terminal
    expect(evadts(["crc", root, golden]).code).toBe(2); // crc takes one file
  });

  it("json: the parsed segments and findings", () => {
    const r = evadts(["json", golden]);
    const json = JSON.parse(r.out) as {
      segments: { tag: string; elements: string[] }[];
      findings: unknown[];
      transmissions: unknown[];
    };
    expect(json.segments).toHaveLength(91);
    expect(json.transmissions).toEqual([{ line: 1, firstSegment: 0, lastSegment: 90, closed: true }]);
    expect(json.segments[2]).toMatchObject({
      tag: "ID1",
      elements: ["NIS0012345", "MIZIP PLUS", "", "00000042", "", "000123004567"],
    });
    expect(json.findings).toEqual([]);
  });

  it("crc: stated and computed G85, exit 1 on a mismatch", () => {
    expect(evadts(["crc", golden])).toMatchObject({
      code: 0,
      out: "line 2: stated 5F88, computed 5F88 (match)\n",
    });
    const tampered = goldenFile("mizip-ddcmp60-plus.eva_dts")
      .toString("latin1")
      .replace("G85*5F88", "G85*0000");
    expect(evadts(["crc", "-"], tampered)).toMatchObject({
      code: 1,
      out: expect.stringMatching(
        /^line 2: stated 0000, computed 5F88 \(MISMATCH; [0-9A-F]{4} without the last CR LF\)\n$/,
      ),
    });
  });

  it("summary: a readable report", () => {
    const r = evadts(["summary", golden]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Cashless sales (DA2)");
  });

  it("prints its usage for --help and exits 0", () => {
    const r = evadts(["--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^usage: evadts <command>/);
  });

  it("usage errors and unreadable files exit 2 with one line, not a stack", () => {
    for (const [args, said] of [
      [[], "a command is needed"],
      [["frobnicate", golden], 'unknown command "frobnicate"'],
      [["validate", golden, "--strcit"], "Unknown option '--strcit'"],
      [["summary"], "summary needs a file"],
      [["summary", golden, "--jsonl", "--csv"], "--jsonl or --csv, not both"],
    ] as const) {
      const r = evadts([...args]);
      expect([r.code, r.err.trim().split("\n").length]).toEqual([2, 1]);
      expect(r.err).toContain(said);
    }
    const missing = evadts(["validate", "/nonexistent/audit.eva_dts"]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^evadts: ENOENT/);
  });
});

describe("the evadts command in the workspace", () => {
  it("is linked by npm from a committed file (so a fresh clone has it after npm ci) and runs the built CLI", () => {
    const link = join(here, "..", "..", "..", "node_modules", ".bin", "evadts");
    expect(realpathSync(link)).toBe(realpathSync(join(here, "..", "bin", "evadts.js")));
    const r = spawnSync(link, ["--help"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage:/);
  });
});
