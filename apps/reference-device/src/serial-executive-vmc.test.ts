import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VmcSimulator } from "@vendkit/executive";
import { closeLink, Driver, openExecutiveLink } from "@vendkit/executive/node";
import { STATISTICS_COUNTERS as S } from "@vendkit/mizip-core";
import { INSTALL_TIMEOUT, ptyPair, socatFor } from "@vendkit/test-support";
import { beforeAll, describe, expect, it } from "vitest";
import { Device } from "./device.js";
import { runExecutiveVmc } from "./serial-executive-vmc.js";

describe("--protocol executive-master --serial: an Executive VMC on a serial line (pty, socat)", () => {
  let available = false;
  beforeAll(() => {
    available = socatFor("the Executive --serial test");
  }, INSTALL_TIMEOUT);

  it("shows the key's credit, sells from it, and denies what the key cannot pay", async (ctx) => {
    if (!available) return ctx.skip();
    const device = await Device.open(mkdtempSync(join(tmpdir(), "vendkit-exe-serial-")), {
      protocol: "executive-master",
      parameters: { baseCoin: 10 },
    });
    const pair = await ptyPair();
    const devicePort = await openExecutiveLink(pair.a);
    const vmcPort = await openExecutiveLink(pair.b);
    // prices on the VMC, sent in base coins of 10 cents (one byte on the wire): 0.80 and 15.00
    const vmc = new VmcSimulator({
      priceSystem: "prices-on-vmc",
      prices: [80, 1500],
      baseCoin: 10,
      vendMs: 200,
    });
    const vmcLink = new Driver(vmc, vmcPort);
    const running = { stop: false };
    const log: string[] = [];
    const loop = runExecutiveVmc(device, devicePort, (l) => log.push(l), running);
    const until = async (f: () => boolean) => {
      for (let i = 0; i < 500 && !f(); i++) await new Promise((r) => setTimeout(r, 10));
    };
    try {
      await device.insertKey(1);
      await until(() => vmc.shown === 1000);
      expect(vmc.shown).toBe(1000);
      vmc.press(1);
      await until(() => log.includes("vend delivered"));
      expect(vmc.delivered).toEqual([1]);
      await until(() => vmc.shown === 920);
      expect(vmc.shown).toBe(920);
      vmc.press(2);
      await until(() => log.some((l) => l.endsWith("denied")));
      expect(log).toEqual(["vend at 80: approved", "vend delivered", "vend at 1500: denied"]);
      expect(vmc.delivered).toEqual([1]);
      const s = await device.state();
      expect(s.statistics[S.keySales]).toBe(80);
      expect(s.keys[1]?.credit).toBe(920);
    } finally {
      running.stop = true;
      await loop;
      vmcLink.stop();
      closeLink(devicePort);
      closeLink(vmcPort);
      pair.close();
      device.close();
    }
  }, 30_000);
});
