import { Duplex } from "node:stream";
import { describe, expect, it } from "vitest";
import { BillValidatorMaster } from "../master/bill-validator.js";
import { type BlockPeripheral, PeripheralBus } from "../master/bus.js";
import { type ChangerEvent, CoinChangerMaster } from "../master/coin-changer.js";
import { BillValidatorSimulator, CoinChangerSimulator } from "../master/simulators.js";
import { QibixxMasterLink } from "../node.js";
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

describe("a Qibixx adapter in master mode (the reader's own bus)", () => {
  it("drives a coin changer and a bill validator through the adapter's request lines", async () => {
    const [host, adapter] = line();
    const changer = new CoinChangerSimulator();
    const validator = new BillValidatorSimulator();
    new QibixxMasterEmulator(
      adapter,
      new PeripheralBus(
        new Map<number, BlockPeripheral>([
          [0x08, changer],
          [0x30, validator],
        ]),
      ),
    );
    const link = new QibixxMasterLink(host, 500);
    expect(await link.start()).toBe("v,EMULATED-1.0");
    const coins = new CoinChangerMaster();
    const bills = new BillValidatorMaster();
    const events: { type: string }[] = [];
    let now = 0;
    const run = async (ms: number) => {
      for (const end = now + ms; now < end; now += 5)
        for (const master of [coins, bills]) {
          const block = master.next(now);
          if (block !== undefined) events.push(...master.reply(await link.request(block), now));
        }
    };
    await run(1000);
    expect(coins.setup?.credits.slice(0, 6)).toEqual([5, 10, 20, 50, 100, 200]);
    expect(bills.setup).toBeDefined();
    changer.insertCoin(2);
    validator.insertBill(1);
    await run(600);
    expect(events.filter((e): e is ChangerEvent => e.type === "deposited")).toMatchObject([
      { type: "deposited", coinType: 2, value: 20 },
    ]);
    expect(events.some((e) => e.type === "bill")).toBe(true);
    // nobody at an address: the adapter says NACK, a TIMEOUT for the driver
    expect(await link.request(Uint8Array.of(0x60))).toMatchObject({ kind: "error", code: "TIMEOUT" });
    // R,RESET: every peripheral on the bus resets (the changer says so at its next POLL)
    expect(await link.busReset()).toEqual({ kind: "ack" });
    expect(await link.request(Uint8Array.of(0x0b))).toEqual({ kind: "data", bytes: Uint8Array.of(0x0b) });
  });

  it("refuses an adapter that does not enter master mode", async () => {
    const [host] = line();
    await expect(new QibixxMasterLink(host, 20).start()).rejects.toThrow(/master mode/);
  });
});
