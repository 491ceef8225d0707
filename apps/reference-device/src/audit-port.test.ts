import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { AuditCollector, type AuditCollectorEvent, localDateTime } from "@vendkit/ddcmp";
import { closeLink, openLink, runSession } from "@vendkit/ddcmp/node";
import { cashlessSales, parse, validate } from "@vendkit/evadts";
import { DexCollector } from "@vendkit/evadts/dex";
import { STATISTICS_COUNTERS as S } from "@vendkit/mizip-core";
import { freePort, INSTALL_TIMEOUT, ptyPair, socatFor } from "@vendkit/test-support";
import { beforeAll, describe, expect, it } from "vitest";
import { serveAudits } from "./audit-port.js";
import { serveConsole } from "./console.js";
import { consoleClient } from "./console-client.js";
import { Device } from "./device.js";
import { spawnDevice, watchOutput } from "./test-process.js";

const ddcmpCli = join(dirname(fileURLToPath(import.meta.url)), "../../../packages/ddcmp/dist/cli.js");

describe("the audit port, collected by the ddcmp CLI over a pty (socat)", () => {
  let available = false;
  beforeAll(() => {
    available = socatFor("the audit-port test");
  }, INSTALL_TIMEOUT);

  it("hands a valid EVA-DTS audit to an external DDCMP collector (40007 = DDCMP 6.0 Plus) and clears the period only after it", async (ctx) => {
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
        [ddcmpCli, "collect", "--port", pair.b, "--link", "ddcmp", "--baud-max", "9600", "--out", out],
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

describe("the audit port in process, over TCP, following the console's settings", () => {
  async function collectOnce(
    device: Device,
    options: Omit<ConstructorParameters<typeof AuditCollector>[0], "clock">,
  ): Promise<{ events: AuditCollectorEvent[]; log: string[] }> {
    const port = await freePort();
    const log: string[] = [];
    const served = serveAudits(device, { port: `tcp://127.0.0.1:${port}` }, (l) => log.push(l), 1);
    await new Promise((r) => setTimeout(r, 100));
    const stream = await openLink({ port: `tcp://127.0.0.1:${port}` });
    const collector = new AuditCollector({ clock: () => localDateTime(new Date()), ...options });
    collector.start();
    const events = await runSession(collector, stream);
    closeLink(stream);
    await served;
    return { events, log };
  }

  it("changing a DDCMP setting in the console changes what the next collection does", async () => {
    const device = await Device.open(mkdtempSync(join(tmpdir(), "vendkit-audit-tcp-")));
    const server = await serveConsole(device, 0);
    const c = await consoleClient(server);
    const set = (number: number, value: number) => c.post("/api/parameters", { number, value });
    try {
      await device.insertKey(1);
      await device.select(2);
      await device.removeKey();
      // defaults: DDCMP 6.0 Plus, rate UNCHANGED, codes not checked
      const first = await collectOnce(device, { maxBaudCode: 8 });
      expect(first.events.find((e) => e.type === "received")).toMatchObject({ confirmed: true });
      expect(first.log.some((l) => /^audit collected: \d+ bytes, period data cleared$/.test(l))).toBe(true);
      expect(device.pay.statistics.get(S.keySales)).toMatchObject({ period: 0 });
      expect(first.events.some((e) => e.type === "link" && e.event.type === "baud")).toBe(false);
      // the programmer turns on the codes check (40010) with codes 006/007, and BAUD RATE MAX 38400
      for (const [number, value] of [
        [6, 0x1234],
        [7, 0x5678],
        [40010, 1],
        [40008, 5],
      ] as const)
        expect((await set(number, value)).status).toBe(200);
      const refused = await collectOnce(device, { maxBaudCode: 8 });
      expect(refused.events.at(-1)).toMatchObject({ type: "failed", reason: "REFUSED" });
      expect(refused.log).toContain("audit session ended without a collection");
      const secured = await collectOnce(device, {
        maxBaudCode: 8,
        lists: [2],
        securityCode: 0x1234,
        passCode: 0x5678,
      });
      expect(secured.events).toContainEqual({ type: "link", event: { type: "baud", baud: 38400 } });
      const received = secured.events.find((e) => e.type === "received");
      expect(received?.type === "received" && parse(received.lists[0]?.data ?? new Uint8Array()).valid).toBe(
        true,
      );
      // and DEX when the audit mode says so (within 2 minutes of the collection above: the device
      // answers with an empty audit and clears nothing)
      expect((await set(40007, 6)).status).toBe(200);
      const port = await freePort();
      const dexLog: string[] = [];
      const served = serveAudits(device, { port: `tcp://127.0.0.1:${port}` }, (l) => dexLog.push(l), 1);
      await new Promise((r) => setTimeout(r, 100));
      const stream = await openLink({ port: `tcp://127.0.0.1:${port}` });
      const dex = new DexCollector({ communicationId: "HHT0000042" });
      dex.start();
      const dexEvents = await runSession(dex, stream);
      closeLink(stream);
      await served;
      expect(dexEvents).toContainEqual(
        expect.objectContaining({ type: "handshake", communicationId: "VKT0000001" }),
      );
      expect(dexEvents.at(-1)).toMatchObject({ type: "failed", reason: "CORRUPT_AUDIT" });
      expect(dexLog[0]).toMatch(/^audit refused: .*wait 2 minutes/);
    } finally {
      server.close();
      device.close();
    }
  }, 60_000);
});
