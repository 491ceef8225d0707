import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeLink, openLink } from "@vendkit/mdb/node";
import { QibixxAdapterEmulator } from "@vendkit/mdb/testing";
import { STATISTICS_COUNTERS as S } from "@vendkit/mizip-core";
import { INSTALL_TIMEOUT, ptyPair, socatFor } from "@vendkit/test-support";
import { beforeAll, describe, expect, it } from "vitest";
import { Device } from "./device.js";
import { runQibixxVmc } from "./serial-vmc.js";

describe("--serial: a VMC through an (emulated) Qibixx MDB adapter over a pty (socat)", () => {
  let available = false;
  beforeAll(() => {
    available = socatFor("the --serial test");
  }, INSTALL_TIMEOUT);

  it("approves from the key in the reader, denies without funds, and counts a jam", async (ctx) => {
    if (!available) return ctx.skip();
    const device = await Device.open(mkdtempSync(join(tmpdir(), "vendkit-serial-")));
    const pair = await ptyPair();
    const deviceSide = await openLink({ port: pair.a, baudRate: 115200 });
    const adapterSide = await openLink({ port: pair.b, baudRate: 115200 });
    const adapter = new QibixxAdapterEmulator(adapterSide);
    const running = { stop: false };
    const log: string[] = [];
    const loop = runQibixxVmc(device, deviceSide, (l) => log.push(l), running);
    const until = async (f: () => boolean) => {
      for (let i = 0; i < 300 && !f(); i++) await new Promise((r) => setTimeout(r, 10));
    };
    try {
      await until(() => adapter.reader.state === "enabled");
      await device.insertKey(1);
      adapter.select(80, 3);
      await until(() => log.includes("vend delivered"));
      expect(adapter.vmcSaw.at(-1)).toEqual({ type: "vend-approved", amount: 80 });
      adapter.select(50, 13); // the emulated machine jams on 13
      await until(() => log.some((l) => l.startsWith("vend failed")));
      await device.insertKey(2); // the empty key
      adapter.select(60, 2);
      await until(() => log.some((l) => l.endsWith("denied")));
      // the log says the host decided; the VMC hears it once the line has crossed the pty
      await until(() => adapter.vmcSaw.at(-1)?.type === "vend-denied");
      expect(adapter.vmcSaw.at(-1)).toEqual({ type: "vend-denied" });
      const s = await device.state();
      expect(s.statistics[S.keySales]).toBe(80);
      expect(s.statistics[S.failedKeyVends]).toBe(50); // refund OFF: the jam is charged, counted
      expect(s.keys[1]?.credit).toBe(1000 - 80 - 50);
    } finally {
      running.stop = true;
      await loop;
      closeLink(deviceSide);
      closeLink(adapterSide);
      pair.close();
      device.close();
    }
  }, 20_000);
});
