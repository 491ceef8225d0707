import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { serveStatus } from "./console.js";
import { Device, type DeviceState } from "./device.js";

describe("status page", () => {
  it("serves the device's state as JSON and as a page, read-only", async () => {
    const device = await Device.open(mkdtempSync(join(tmpdir(), "vendkit-console-")));
    await device.insertKey(1);
    await device.select(3);
    const server = await serveStatus(device, 0);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const state = (await (await fetch(`${base}/api/state`)).json()) as DeviceState;
      expect(state.keys[1]?.credit).toBe(920);
      expect(state.keyCredit).toBe(920);
      const page = await (await fetch(`${base}/`)).text();
      expect(page).toContain("<td>04d30002</td><td>9.20</td>");
      expect((await fetch(`${base}/api/state`, { method: "POST" })).status).toBe(405);
      expect((await fetch(`${base}/nothing`)).status).toBe(404);
    } finally {
      server.close();
      device.close();
    }
  });
});
