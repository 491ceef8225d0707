import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ACK,
  type CashlessCommand,
  type CashlessContext,
  type CashlessResponse,
  decodeResponses,
  encodeCommand,
  encodeMasterBlock,
  ReplyDecoder,
} from "@vendkit/mdb";
import { closeLink, openLink } from "@vendkit/mdb/node";
import { FramedWordLink } from "@vendkit/mdb/testing";
import { STATISTICS_COUNTERS as S } from "@vendkit/mizip-core";
import { INSTALL_TIMEOUT, ptyPair, socatFor } from "@vendkit/test-support";
import { beforeAll, describe, expect, it } from "vitest";
import { Device } from "./device.js";

/** A VMC on the far end of the serial line: MDB blocks as two-byte words, replies ACKed. */
class SerialVmc {
  ctx: CashlessContext = { level: 1, expanded: false };
  constructor(private readonly link: FramedWordLink) {}

  async send(command: CashlessCommand): Promise<CashlessResponse[]> {
    const words = await this.link.exchange(encodeMasterBlock(encodeCommand(command, 0x10, this.ctx)), 500);
    const decoder = new ReplyDecoder();
    const replies = words.flatMap((w) => decoder.feed(w, 0));
    const reply = replies.at(-1);
    if (reply?.kind !== "data") return [];
    this.link.send([ACK]);
    const decoded = decodeResponses(reply.bytes, this.ctx);
    if (!decoded.ok) throw new Error(`bad reply: ${decoded.code}`);
    if (command.type === "setup-config" && decoded.responses[0]?.type === "reader-config")
      this.ctx = { level: 3, expanded: false };
    return decoded.responses;
  }

  async pollFor(type: CashlessResponse["type"], tries = 50): Promise<CashlessResponse | undefined> {
    for (let i = 0; i < tries; i++) {
      const found = (await this.send({ type: "poll" })).find((r) => r.type === type);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 10));
    }
    return undefined;
  }

  async initialise(): Promise<void> {
    await this.send({ type: "reset" });
    await this.pollFor("just-reset");
    await this.send({ type: "setup-config", vmcLevel: 3, columns: 16, rows: 2, displayInfo: 0 });
    await this.send({ type: "setup-prices", max: 0xffff, min: 0 });
    await this.send({
      type: "request-id",
      manufacturer: "VKT",
      serial: "000000000002",
      model: "VMC-9BIT",
      version: 1,
    });
    await this.send({ type: "reader-enable" });
  }
}

describe("--serial-9bit: a VMC on a 9-bit MDB line over a pty (socat)", () => {
  let available = false;
  beforeAll(() => {
    available = socatFor("the 9-bit serial test");
  }, INSTALL_TIMEOUT);

  it("begins a session for the key, decides the vend asynchronously, and counts it", async (ctx) => {
    if (!available) return ctx.skip();
    const pair = await ptyPair();
    const deviceSide = await openLink({ port: pair.a, baudRate: 115200 });
    const vmcSide = await openLink({ port: pair.b, baudRate: 115200 });
    const log: string[] = [];
    const device = await Device.open(mkdtempSync(join(tmpdir(), "vendkit-9bit-")), {
      serialMdb: deviceSide,
      log: (l) => log.push(l),
    });
    try {
      const vmc = new SerialVmc(new FramedWordLink(vmcSide));
      await vmc.initialise();
      await device.insertKey(1);
      expect(await vmc.pollFor("begin-session")).toMatchObject({ type: "begin-session", funds: 1000 });
      await vmc.send({ type: "vend-request", price: 150, item: 5 });
      expect(await vmc.pollFor("vend-approved")).toEqual({ type: "vend-approved", amount: 150 });
      await vmc.send({ type: "vend-success", item: 5 });
      for (let i = 0; i < 100 && !log.includes("vend delivered"); i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(device.pay.statistics.get(S.keySales).period).toBe(150);
      await vmc.send({ type: "vend-request", price: 2000, item: 1 });
      expect(await vmc.pollFor("vend-denied")).toEqual({ type: "vend-denied" });
      await expect(device.select(1)).rejects.toMatchObject({ code: "DEVICE_SETUP" });
      // manual 10.2.1: the VMC's own coins go onto the key (REVALUE), its own cash sales are counted
      expect(await vmc.send({ type: "revalue-limit-request" })).toEqual([
        { type: "revalue-limit", amount: 1000 - 850 },
      ]);
      await vmc.send({ type: "revalue-request", amount: 100 });
      expect(await vmc.pollFor("revalue-approved")).toEqual({ type: "revalue-approved" });
      await vmc.send({ type: "revalue-request", amount: 100 }); // above 10.00 on the key
      expect(await vmc.pollFor("revalue-denied")).toEqual({ type: "revalue-denied" });
      await vmc.send({ type: "cash-sale", price: 60, item: 2 });
      for (let i = 0; i < 100 && !log.some((l) => l.startsWith("cash sale")); i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(device.pay.statistics.get(S.cashSales).period).toBe(60);
      expect((await device.state()).keys[1]?.credit).toBe(950);
    } finally {
      device.close();
      closeLink(deviceSide);
      closeLink(vmcSide);
      pair.close();
    }
  }, 30_000);
});
