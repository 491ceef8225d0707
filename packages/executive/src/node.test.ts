import { INSTALL_TIMEOUT, ptyPair, socatFor } from "@vendkit/test-support";
import { beforeAll, describe, expect, it } from "vitest";
import { ExecutiveMaster, type MasterEvent } from "./master.js";
import { closeLink, Driver, openExecutiveLink } from "./node.js";
import { VmcSimulator } from "./simulators.js";
import { creditBlock } from "./wire.js";

describe("over a real pty pair (socat)", () => {
  let available = false;
  beforeAll(() => {
    available = socatFor("the Executive pty test");
  }, INSTALL_TIMEOUT);

  it("a payment system master sells through a simulated VMC on the other end of a serial line", async (ctx) => {
    if (!available) return ctx.skip();
    const pair = await ptyPair();
    const readerPort = await openExecutiveLink(pair.a);
    const vmcPort = await openExecutiveLink(pair.b);
    const vmc = new VmcSimulator({ priceSystem: "prices-on-vmc", prices: [70], baseCoin: 10, vendMs: 300 });
    const master = new ExecutiveMaster();
    const events: MasterEvent[] = [];
    const link = new Driver(master, readerPort);
    link.on("event", (e) => {
      events.push(e);
      if (e.kind === "vend-request") link.act(() => master.approve());
    });
    const vmcLink = new Driver(vmc, vmcPort);
    try {
      link.act(() => master.display(creditBlock(250, 10, 2)));
      const until = async (f: () => boolean) => {
        for (let i = 0; i < 300 && !f(); i++) await new Promise((r) => setTimeout(r, 10));
      };
      await until(() => vmc.shown === 250);
      expect(vmc.shown).toBe(250);
      vmcLink.act(() => vmc.press(1));
      await until(() => events.some((e) => e.kind === "vend-result"));
      expect(events).toContainEqual({ kind: "vend-request", value: 7 });
      expect(events).toContainEqual({ kind: "vend-result", success: true, timedOut: false, auditPairs: 1 });
      await until(() => events.some((e) => e.kind === "audit-pair"));
      expect(events).toContainEqual({ kind: "audit-pair", address: 1, value: 1 });
      expect(vmc.delivered).toEqual([1]);
    } finally {
      link.stop();
      vmcLink.stop();
      closeLink(readerPort);
      closeLink(vmcPort);
      pair.close();
    }
  }, 20_000);
});
