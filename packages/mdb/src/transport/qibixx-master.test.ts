import { Duplex } from "node:stream";
import { describe, expect, it } from "vitest";
import { BillValidatorMaster, type ValidatorEvent } from "../master/bill-validator.js";
import type { BlockPeripheral } from "../master/bus.js";
import { type ChangerEvent, CoinChangerMaster } from "../master/coin-changer.js";
import { MdbBus } from "../master/mdb-bus.js";
import { BillValidatorSimulator, CoinChangerSimulator } from "../master/simulators.js";
import { Driver, QIBIXX_TIMING, qibixxMasterCodec, startQibixxMaster } from "../node.js";
import { QIBIXX } from "./qibixx.js";
import { QibixxMasterEmulator } from "./qibixx-master.js";

/** Two ends of a byte line, in memory. */
function line(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  for (let i = 0; i < 2; i++)
    ends.push(
      new Duplex({
        read() {},
        write(chunk, _enc, done) {
          ends[1 - i]?.push(chunk);
          done();
        },
      }),
    );
  return ends as [Duplex, Duplex];
}

/** Waits (real time: the driver runs on timers) until `done` holds, at most `ms`. */
async function until(done: () => boolean, ms = 5000): Promise<void> {
  for (const end = Date.now() + ms; !done() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 5));
}

describe("a Qibixx adapter in master mode (the reader's own bus)", () => {
  it("drives a coin changer and a bill validator through the adapter's request lines", async () => {
    const [host, adapter] = line();
    const changer = new CoinChangerSimulator();
    const validator = new BillValidatorSimulator();
    new QibixxMasterEmulator(
      adapter,
      new Map<number, BlockPeripheral>([
        [0x08, changer],
        [0x30, validator],
      ]),
    );
    expect(await startQibixxMaster(host, QIBIXX, 500)).toBe("v,EMULATED-1.0");
    const coins = new CoinChangerMaster({ pollInterval: 10, timing: QIBIXX_TIMING });
    const bills = new BillValidatorMaster({ pollInterval: 10, timing: QIBIXX_TIMING });
    const events: { type: string }[] = [];
    const driver = new Driver(new MdbBus<ChangerEvent | ValidatorEvent>([coins, bills]), host, {
      codec: qibixxMasterCodec(),
    });
    driver.on("event", (e) => events.push(e.event));
    try {
      await until(() => coins.setup !== undefined && bills.setup !== undefined);
      expect(coins.setup?.credits.slice(0, 6)).toEqual([5, 10, 20, 50, 100, 200]);
      expect(bills.setup).toBeDefined();
      changer.insertCoin(2);
      validator.insertBill(1);
      await until(() => events.some((e) => e.type === "deposited") && events.some((e) => e.type === "bill"));
      expect(events.filter((e): e is ChangerEvent => e.type === "deposited")).toMatchObject([
        { type: "deposited", coinType: 2, value: 20 },
      ]);
      expect(events.some((e) => e.type === "bill")).toBe(true);
    } finally {
      driver.stop();
    }
  });

  it("turns the adapter's lines into words and back", () => {
    const codec = qibixxMasterCodec();
    // a block out: one request line, the CHK and mode bit left to the adapter; our ACK not sent
    expect(new TextDecoder().decode(codec.encode(Uint16Array.of(0x10b, 0x0b)))).toBe("R,0B\n");
    expect(codec.encode(Uint16Array.of(0x000))).toHaveLength(0);
    // answers in: ACK, data with its checksum and mode bit, NACK (nobody answered) as nothing
    const words = (line: string) => Array.from(codec.decode(new TextEncoder().encode(line)));
    expect(words("p,ACK\r\n")).toEqual([0x100]);
    expect(words("p,0B0C\r\n")).toEqual([0x0b, 0x0c, 0x100 | 0x17]);
    expect(words("p,NACK\r\n")).toEqual([]);
    // a line split across chunks is read whole
    expect(words("p,A")).toEqual([]);
    expect(words("CK\r\n")).toEqual([0x100]);
  });

  it("refuses an adapter that does not enter master mode", async () => {
    const [host] = line();
    await expect(startQibixxMaster(host, QIBIXX, 20)).rejects.toThrow(/master mode/);
  });
});
