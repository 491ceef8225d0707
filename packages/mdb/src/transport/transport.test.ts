import { INSTALL_TIMEOUT, ptyPair, socatFor } from "@vendkit/test-support";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { encodeCommand } from "../cashless/commands.js";
import { CashlessPeripheral } from "../cashless/peripheral.js";
import { decodeResponses } from "../cashless/responses.js";
import { testReader } from "../cashless/test-support.js";
import { encodeMasterBlock, ReplyDecoder } from "../link.js";
import { type ChangerEvent, CoinChangerMaster } from "../master/coin-changer.js";
import { CoinChangerSimulator } from "../master/simulators.js";
import {
  closeLink,
  Driver,
  mdb9Codec,
  openLink,
  QIBIXX_TIMING,
  qibixxMasterCodec,
  resetQibixxBus,
  startQibixxMaster,
} from "../node.js";
import { encodeWords, WordDeframer } from "./mdb9-framing.js";
import { parseReplyLine, parseRequestLine, QIBIXX, replyLine, requestLine } from "./qibixx.js";
import { QibixxMasterEmulator } from "./qibixx-master.js";
import { FramedWordLink } from "./word-line.js";

describe("two-byte MDB word framing", () => {
  it("round-trips any word stream and resynchronises after garbage", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 0x1ff })),
        fc.uint8Array({ maxLength: 8 }),
        (words, junk) => {
          const d = new WordDeframer();
          expect(d.push(encodeWords(words))).toEqual(words);
          const after = new WordDeframer();
          const out = after.push(Uint8Array.from([...junk, ...encodeWords([0x112, 0x012])]));
          expect(out.filter((x) => typeof x === "number").slice(-2)).toEqual([0x112, 0x012]);
        },
      ),
    );
    expect(Array.from(encodeWords([0x112, 0x0aa]))).toEqual([0x82, 0x12, 0x81, 0x2a]);
  });
});

describe("Qibixx master-mode lines", () => {
  it("writes and reads raw requests and answers", () => {
    expect(requestLine([0x0b])).toBe("R,0B\n");
    expect(requestLine([0x0c, 0xff, 0xff, 0x00, 0x00])).toBe("R,0C,FFFF0000\n");
    expect(parseRequestLine("R,0C,FFFF0000")).toEqual(Uint8Array.of(0x0c, 0xff, 0xff, 0x00, 0x00));
    expect(parseRequestLine("X,1")).toBeUndefined();
    expect(parseReplyLine("p,ACK")).toEqual({ kind: "ack" });
    expect(parseReplyLine("p,NACK")).toMatchObject({ kind: "error", code: "TIMEOUT" });
    expect(parseReplyLine("p,0B")).toEqual({ kind: "data", bytes: Uint8Array.of(0x0b) });
    expect(parseReplyLine("p,zz")).toMatchObject({ kind: "error" });
    expect(replyLine(Uint8Array.of(1, 2))).toBe("p,0102\r\n");
    // the adapter ends its lines with CR LF; both endings read the same
    expect(parseReplyLine("p,0B\r\n")).toEqual({ kind: "data", bytes: Uint8Array.of(0x0b) });
    expect(parseRequestLine("R,RESET")).toBe("bus-reset");
    expect(parseRequestLine("R,RESET\r\n")).toBe("bus-reset");
    expect(parseRequestLine("R,RESETX")).toBeUndefined();
  });
});

/** Waits (real time) until `done` holds, at most `ms`. */
async function until(done: () => boolean, ms = 5000): Promise<void> {
  for (const end = Date.now() + ms; !done() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 5));
}

describe("over a real pty pair (socat)", () => {
  let available = false;
  beforeAll(() => {
    available = socatFor("the pty transport tests");
  }, INSTALL_TIMEOUT);

  it("drives a coin changer through an emulated Qibixx adapter in master mode", async (ctx) => {
    if (!available) return ctx.skip();
    const pair = await ptyPair();
    const vmcSide = await openLink({ port: pair.a, baudRate: QIBIXX.baudRate });
    const adapterSide = await openLink({ port: pair.b, baudRate: QIBIXX.baudRate });
    try {
      // the emulated adapter: Qibixx lines in, MDB blocks to a simulated changer, lines out
      const changer = new CoinChangerSimulator(undefined, 0b1111, [3, 3, 3, 3]);
      new QibixxMasterEmulator(adapterSide, new Map([[0x08, changer]]));
      expect(await startQibixxMaster(vmcSide, QIBIXX, 500)).toBe("v,EMULATED-1.0");
      const master = new CoinChangerMaster({ pollInterval: 5, timing: QIBIXX_TIMING });
      const events: ChangerEvent[] = [];
      const driver = new Driver(master, vmcSide, { codec: qibixxMasterCodec() });
      driver.on("event", (e) => events.push(e));
      await until(() => events.some((e) => e.type === "tubes"));
      expect(events.map((e) => e.type)).toEqual(["status", "setup", "identification", "tubes"]);
      expect(master.changeAvailable()).toBe(3 * (5 + 10 + 20 + 50));
      // a bus reset through the adapter, between the master's exchanges (the line is held, no
      // request may cross it): the changer reports "changer was reset" again
      driver.stop();
      await new Promise((r) => setTimeout(r, 250));
      const after = events.length;
      resetQibixxBus(vmcSide);
      await new Promise((r) => setTimeout(r, 50));
      const again = new Driver(master, vmcSide, { codec: qibixxMasterCodec() });
      again.on("event", (e) => events.push(e));
      await until(() => events.slice(after).some((e) => e.type === "setup"));
      again.stop();
      expect(
        events
          .slice(after)
          .slice(0, 2)
          .map((e) => e.type),
      ).toEqual(["status", "setup"]);
    } finally {
      closeLink(vmcSide);
      closeLink(adapterSide);
      pair.close();
    }
  });

  it("runs a cashless reader behind an MCU adapter with the two-byte word framing", async (ctx) => {
    if (!available) return ctx.skip();
    const pair = await ptyPair();
    const vmcSide = await openLink({ port: pair.a, baudRate: 115200 });
    const readerSide = await openLink({ port: pair.b, baudRate: 115200 });
    try {
      const reader = new CashlessPeripheral({
        address: 0x10,
        identity: testReader({ model: "PTY", level: 2 }),
      });
      const codec = mdb9Codec();
      const driver = new Driver(reader, readerSide, { codec });
      const vmc = new FramedWordLink(vmcSide);
      const ctxL1 = { level: 1, expanded: false } as const;
      const ask = async (bytes: Uint8Array) => {
        const words = await vmc.exchange(encodeMasterBlock(bytes), 500);
        const d = new ReplyDecoder({
          interByte: 1e9,
          response: 5,
          nonResponse: 5000,
          reset: 100,
          setup: 200,
        });
        const last = words.flatMap((w, i) => d.feed(w, i)).at(-1);
        if (last?.kind === "data") vmc.send([0x000]);
        return last;
      };
      const justReset = await ask(encodeCommand({ type: "poll" }, 0x10, ctxL1));
      expect(justReset?.kind === "data" && decodeResponses(justReset.bytes, ctxL1)).toEqual({
        ok: true,
        responses: [{ type: "just-reset" }],
      });
      const config = await ask(
        encodeCommand(
          { type: "setup-config", vmcLevel: 2, columns: 0, rows: 0, displayInfo: 0 },
          0x10,
          ctxL1,
        ),
      );
      expect(config?.kind === "data" && config.bytes[0]).toBe(0x01);
      expect(reader.state).toBe("disabled");
      expect(codec.errors).toBe(0);
      driver.stop();
    } finally {
      closeLink(vmcSide);
      closeLink(readerSide);
      pair.close();
    }
  });
});
