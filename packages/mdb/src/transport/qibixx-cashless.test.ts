import { INSTALL_TIMEOUT, ptyPair, socatFor } from "@vendkit/test-support";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { closeLink, Driver, openLink } from "../node.js";
import {
  approveLine,
  denyLine,
  enableLine,
  formatAmount,
  parseAmount,
  parseCashlessLine,
  type QibixxCashlessEvent,
  QibixxCashlessHost,
} from "./qibixx-cashless.js";
import { QibixxAdapterEmulator } from "./qibixx-emulator.js";

describe("Qibixx cashless-device lines", () => {
  it("reads the adapter's reports", () => {
    expect(parseCashlessLine("c,STATUS,ENABLED")).toEqual({ type: "status", state: "ENABLED" });
    expect(parseCashlessLine("c,STATUS,VEND,1.20,9\r")).toEqual({
      type: "vend-request",
      amount: "1.20",
      product: 9,
    });
    expect(parseCashlessLine("c,VEND,SUCCESS")).toEqual({ type: "vend-success" });
    expect(parseCashlessLine("c,ERR,VEND 3")).toEqual({ type: "error", detail: "VEND 3" });
    expect(parseCashlessLine("r,ACK")).toEqual({ type: "vmc-query" });
  });

  it("keeps malformed reports as unknown instead of guessing", () => {
    // an item MDB cannot number (found by fuzzing, packages/fuzz mdb-qibixx-cashless: 7777777777)
    for (const line of [
      "c,STATUS,VEND,abc,9",
      "c,STATUS,VEND,1.00",
      "c,STATUS,",
      "x,1",
      "c,VEND,MAYBE",
      "c,STATUS,VEND,1.00,7777777777",
      "c,STATUS,VEND,1.00,65536",
    ]) {
      expect(parseCashlessLine(line)).toEqual({ type: "unknown", line });
    }
  });

  it("writes the host's commands", () => {
    expect(enableLine(true)).toBe("C,1\n");
    expect(enableLine(false)).toBe("C,0\n");
    expect(approveLine("1.20")).toBe("C,VEND,1.20\n");
    expect(denyLine()).toBe("C,STOP\n");
  });

  it("converts amounts exactly between units and decimal text", () => {
    expect(formatAmount(120, 2)).toBe("1.20");
    expect(formatAmount(5, 2)).toBe("0.05");
    expect(formatAmount(7, 0)).toBe("7");
    expect(parseAmount("1.2", 2)).toBe(120);
    expect(parseAmount("1.200", 2)).toBe(120);
    expect(parseAmount("1.205", 2)).toBeUndefined();
    expect(parseAmount("-1", 2)).toBeUndefined();
    expect(parseAmount("9".repeat(400), 2)).toBeUndefined(); // no number holds it exactly
    expect(parseAmount("90071992547409.91", 2)).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseAmount("90071992547409.92", 2)).toBeUndefined();
    expect(parseCashlessLine("c,STATUS,VEND,1.00,65535")).toMatchObject({
      type: "vend-request",
      product: 65535,
    });
    expect(() => formatAmount(-1, 2)).toThrow(RangeError);
    expect(() => formatAmount(1.5, 2)).toThrow(RangeError);
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 4 }), (units, decimals) => {
        expect(parseAmount(formatAmount(units, decimals), decimals)).toBe(units);
      }),
    );
  });
});

describe("a host driving an emulated Qibixx cashless adapter over a real pty pair (socat)", () => {
  let available = false;
  beforeAll(() => {
    available = socatFor("the Qibixx cashless pty test");
  }, INSTALL_TIMEOUT);

  it("enables the device, approves one vend, denies one, and hears a failed one", async (ctx) => {
    if (!available) return ctx.skip();
    const pair = await ptyPair();
    const hostSide = await openLink({ port: pair.a, baudRate: 115200 });
    const adapterSide = await openLink({ port: pair.b, baudRate: 115200 });
    try {
      const adapter = new QibixxAdapterEmulator(adapterSide);
      const host = new QibixxCashlessHost();
      const driver = new Driver(host, hostSide);
      const heard: QibixxCashlessEvent[] = [];
      driver.on("event", (e) => heard.push(e));
      let raw = "";
      hostSide.on("data", (chunk: Buffer) => {
        raw += chunk.toString("latin1");
      });
      /** The adapter's next report that is not a VMC query, waiting up to 2 s. */
      const nextReal = async () => {
        for (const end = Date.now() + 2000; Date.now() < end; ) {
          const e = heard.shift();
          if (e === undefined) await new Promise((r) => setTimeout(r, 5));
          else if (e.type !== "vmc-query") return e;
        }
        return undefined;
      };

      driver.act(() => host.enable());
      expect(await nextReal()).toEqual({ type: "status", state: "ENABLED" });
      expect(adapter.reader.state).toBe("enabled");

      // approved: the host reads the price, charges it, and approves exactly that amount
      adapter.select(120, 9);
      const request = await nextReal();
      expect(request).toEqual({ type: "vend-request", amount: "1.20", product: 9 });
      if (request?.type !== "vend-request") return;
      expect(parseAmount(request.amount, 2)).toBe(120);
      driver.act(() => host.approve(request.amount));
      expect(await nextReal()).toEqual({ type: "vend-success" });
      expect(adapter.vmcSaw.at(-1)).toEqual({ type: "vend-approved", amount: 120 });
      expect(adapter.events).toContainEqual({ type: "vend-success", item: 9, amount: 120 });

      // denied: the VMC hears VEND DENIED and the device stays enabled
      adapter.select(250, 4);
      expect(await nextReal()).toMatchObject({ type: "vend-request", amount: "2.50" });
      driver.act(() => host.deny());
      expect(await nextReal()).toEqual({ type: "status", state: "ENABLED" });
      expect(adapter.vmcSaw.at(-1)).toEqual({ type: "vend-denied" });

      // failed at the machine: the host hears the error so it can refund
      adapter.select(90, 13);
      expect(await nextReal()).toMatchObject({ type: "vend-request", product: 13 });
      driver.act(() => host.approve("0.90"));
      expect(await nextReal()).toEqual({ type: "error", detail: "VEND 3" });
      expect(adapter.events).toContainEqual({ type: "vend-failure", amount: 90 });
      expect(adapter.reader.state).toBe("enabled");
      // every line the emulated adapter sent ended with CR LF, as the real adapter's do
      expect(raw.endsWith("\r\n")).toBe(true);
      expect(
        raw
          .split("\r\n")
          .slice(0, -1)
          .filter((line) => line.includes("\n") || line.includes("\r")),
      ).toEqual([]);
      expect(raw.split("\r\n").length).toBeGreaterThan(6);
      driver.stop();
    } finally {
      closeLink(hostSide);
      closeLink(adapterSide);
      pair.close();
    }
  });
});
