import { afterEach, describe, expect, it, vi } from "vitest";
import { toolMissing } from "./debian.js";

describe("a tool a test needs is missing", () => {
  const ci = process.env.CI;
  afterEach(() => {
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
    vi.restoreAllMocks();
  });

  it("fails the run on CI, where a skipped test would pass unseen", () => {
    process.env.CI = "true";
    expect(() => toolMissing("chromium", "the browser test")).toThrow(
      "chromium is missing and cannot be installed here: the browser test did NOT run (CI=true",
    );
  });

  it("elsewhere says plainly that the test did not run", () => {
    delete process.env.CI;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    toolMissing("socat", "the pty test");
    expect(warn).toHaveBeenCalledWith(
      "socat is missing and cannot be installed here: the pty test did NOT run",
    );
  });
});
