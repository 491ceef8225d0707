import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STATISTICS_COUNTERS as S } from "@vendkit/mizip-core";
import { describe, expect, it } from "vitest";
import { DEMO_KEYS, type DeviceState } from "./device.js";
import { spawnDevice as run } from "./test-process.js";

/** Drives the device, and kills it with SIGKILL `afterMs` after its first completed operation. */
function driveAndKill(data: string, protocol: string, seed: number, afterMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = run(["--data", data, "--protocol", protocol, "--drive", String(seed)]);
    let lines = 0;
    let timer: NodeJS.Timeout | undefined;
    let err = "";
    child.stderr?.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.stdout?.on("data", (d: Buffer) => {
      lines += d.toString().split("\n").length - 1;
      timer ??= setTimeout(() => child.kill("SIGKILL"), afterMs);
    });
    child.on("exit", (_code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal === "SIGKILL") resolve(lines);
      else reject(new Error(`the drive ended by itself (${signal ?? _code}): ${err}`));
    });
  });
}

function check(data: string, protocol: string): Promise<DeviceState> {
  return new Promise((resolve, reject) => {
    const child = run(["--data", data, "--protocol", protocol, "--check"]);
    let out = "";
    let err = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr?.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("exit", (code) =>
      code === 0 ? resolve(JSON.parse(out) as DeviceState) : reject(new Error(err)),
    );
  });
}

describe("durability: the device killed (SIGKILL) at random points and restarted", () => {
  it.each([
    ["mdb", 6],
    ["executive-master", 3],
  ])(
    "never loses or double-counts money over %s: keys, cash, statistics, Maxi Box agree after every restart",
    async (protocol, rounds) => {
      const data = mkdtempSync(join(tmpdir(), "vendkit-kill-"));
      const start = DEMO_KEYS.reduce((a, k) => a + k.credit, 0);
      let operations = 0;
      let maxiBoxChecked = 0;
      for (let round = 1; round <= rounds; round++) {
        operations += await driveAndKill(data, protocol, round * 7919, 150 + ((round * 337) % 900));
        const s = await check(data, protocol);
        const n = (name: string) => s.statistics[name] ?? 0;
        expect(s.pendingKeyWrites).toBe(0);
        for (const k of s.keys) expect(k.credit).toBeDefined();
        const keyMoney = s.keys.reduce((a, k) => a + (k.credit ?? 0), 0) - start;
        expect(keyMoney).toBe(
          n(S.cashRecharges) + n(S.programmedCredit) - n(S.keySales) - n(S.failedKeyVends),
        );
        expect(n(S.coinsIn) + n(S.billsIn)).toBe(
          n(S.cashSales) + n(S.failedCashVends) + n(S.overprice) + n(S.cashRecharges) + s.machineCredit,
        );
        expect(s.parameterErrors).toEqual([]);
        if (s.maxiBoxEntries < 4000) {
          // the Maxi Box holds every sale and recharge once, as the counters do
          expect(s.maxiBoxTotals.keySales).toBe(n(S.keySales));
          expect(s.maxiBoxTotals.recharges).toBe(n(S.cashRecharges) + n(S.programmedCredit));
          maxiBoxChecked++;
        }
      }
      expect(operations).toBeGreaterThan(20); // the kills landed in a real stream of sales
      expect(maxiBoxChecked).toBeGreaterThan(0);
    },
    120_000,
  );
});
