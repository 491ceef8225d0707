import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cashlessSales, parse, validate } from "@vendkit/evadts";
import { S } from "@vendkit/mizip-core";
import { INSTALL_TIMEOUT, ptyPair, socatFor } from "@vendkit/test-support";
import { beforeAll, describe, expect, it } from "vitest";
import { Device } from "./device.js";
import { spawnDevice, watchOutput } from "./test-process.js";

const ddcmpCli = join(dirname(fileURLToPath(import.meta.url)), "../../../packages/ddcmp/dist/cli.js");

describe("the audit port, collected by the ddcmp CLI over a pty (socat)", () => {
  let available = false;
  beforeAll(() => {
    available = socatFor("the audit-port test");
  }, INSTALL_TIMEOUT);

  it("hands a valid EVA-DTS audit to an external collector and clears the period only after it", async (ctx) => {
    if (!available) return ctx.skip();
    const data = mkdtempSync(join(tmpdir(), "vendkit-audit-"));
    const before = await Device.open(data);
    await before.insertKey(1);
    await before.select(2);
    await before.select(5);
    before.close();

    const pair = await ptyPair();
    const device = spawnDevice(["--data", data, "--audit-port", pair.a]);
    const output = watchOutput(device);
    const out = join(data, "collected.eva");
    try {
      await output.waitFor("audit port");
      const collector = spawn(
        process.execPath,
        [ddcmpCli, "collect", "--port", pair.b, "--link", "dex", "--out", out],
        {
          stdio: ["ignore", "ignore", "pipe"],
        },
      );
      const code = await new Promise<number | null>((resolve) => collector.on("exit", resolve));
      expect(code).toBe(0);
      await output.waitFor("audit collected");
    } finally {
      device.kill("SIGKILL");
      pair.close();
    }
    const file = parse(readFileSync(out));
    expect(validate(file).filter((f) => f.severity === "error")).toEqual([]);
    expect(cashlessSales(file)).toMatchObject({
      valueInit: 210,
      countInit: 2,
      valueReset: 210,
      countReset: 2,
    });

    const after = await Device.open(data);
    expect(after.pay.statistics.get(S.keySales)).toEqual({ period: 0, historic: 210 });
    after.close();
  }, 60_000);
});
