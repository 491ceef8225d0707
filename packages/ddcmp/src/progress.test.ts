import { describe, expect, it } from "vitest";
import { Progress, progressLine } from "./progress.js";

describe("progress lines", () => {
  it("say bytes, blocks, rate and the time left", () => {
    expect(progressLine(1200, 5000, 6, 500)).toBe("progress 1200/5000 bytes, 6 blocks, 2.4 kB/s, 2 s left");
    expect(progressLine(300, undefined, undefined, 1000)).toBe("progress 300 bytes, 300 B/s");
    expect(progressLine(0, 10, 0, 0)).toBe("progress 0/10 bytes, 0 blocks");
  });

  it("print at most one line every interval, and always the last", () => {
    let t = 0;
    const lines: string[] = [];
    const p = new Progress(
      (l) => lines.push(l),
      () => t,
      250,
    );
    for (let done = 0; done <= 1000; done += 100) {
      p.update(done, 1000, done / 100);
      t += 100;
    }
    expect(lines).toEqual([
      "progress 0/1000 bytes, 0 blocks",
      "progress 300/1000 bytes, 3 blocks, 1.0 kB/s, 1 s left",
      "progress 600/1000 bytes, 6 blocks, 1.0 kB/s, 1 s left",
      "progress 900/1000 bytes, 9 blocks, 1.0 kB/s, 1 s left",
      "progress 1000/1000 bytes, 10 blocks, 1.0 kB/s",
    ]);
  });
});
