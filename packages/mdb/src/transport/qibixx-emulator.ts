import type { Duplex } from "node:stream";
import { OPTIONS } from "../cashless/context.js";
import { type CashlessEvent, CashlessPeripheral } from "../cashless/peripheral.js";
import type { CashlessResponse } from "../cashless/responses.js";
import { testReader } from "../cashless/test-support.js";
import { VmcSimulator } from "../cashless/vmc-simulator.js";
import { onLines } from "./lines.js";
import { formatAmount, parseAmount } from "./qibixx-cashless.js";

/**
 * A Qibixx MDB adapter in cashless-device mode, emulated: a VMC simulator (level 3, always
 * idle) on one side of a real MDB cashless reader, the adapter's documented lines on the other
 * (`stream`). Our stand-in for the hardware, built from docs.qibixx.com's lines and ending
 * them with CR LF as the adapter does; host code is tested against it over a pty. The emulated machine jams on product 13.
 */
export class QibixxAdapterEmulator {
  readonly reader = new CashlessPeripheral({
    address: 0x10,
    identity: testReader({ manufacturer: "QBX", model: "QBX-EMU", features: OPTIONS.alwaysIdle }),
  });
  /** What the reader reported to the emulated VMC. */
  readonly events: CashlessEvent[] = [];
  /** The VMC's view of the answers it got. */
  readonly vmcSaw: CashlessResponse[] = [];
  private readonly vmc: VmcSimulator<CashlessEvent>;
  private pending: { price: number; item: number } | undefined;

  constructor(private readonly stream: Duplex) {
    this.vmc = new VmcSimulator(this.reader, {
      vmcLevel: 3,
      features: OPTIONS.alwaysIdle,
      onEvent: (e) => this.events.push(e),
    });
    onLines(stream, (line) => this.line(line.trim()));
  }

  private line(line: string): void {
    const { reader, vmc, stream } = this;
    if (line === "C,1") {
      vmc.initialise();
      stream.write(`c,STATUS,${reader.state === "enabled" ? "ENABLED" : "DISABLED"}\r\n`);
    } else if (line.startsWith("C,VEND,") && this.pending) {
      const amount = parseAmount(line.slice("C,VEND,".length), 2);
      if (amount === undefined || !reader.approveVend(amount)) {
        stream.write("c,ERR,BAD AMOUNT\r\n");
        return;
      }
      const answer = vmc.pollFor(["vend-approved"]);
      if (answer) this.vmcSaw.push(answer);
      const failed = this.pending.item === 13;
      vmc.send(failed ? { type: "vend-failure" } : { type: "vend-success", item: this.pending.item });
      vmc.endSession();
      this.pending = undefined;
      stream.write(failed ? "c,ERR,VEND 3\r\n" : "c,VEND,SUCCESS\r\n");
    } else if (line === "C,STOP" && this.pending) {
      reader.denyVend();
      const answer = vmc.pollFor(["vend-denied"]);
      if (answer) this.vmcSaw.push(answer);
      vmc.endSession();
      this.pending = undefined;
      stream.write("c,STATUS,ENABLED\r\n");
    }
  }

  /** A customer presses a selection on the machine. */
  select(price: number, item: number): void {
    this.vmc.send({ type: "vend-request", price, item });
    const request = this.events.at(-1);
    if (request?.type !== "vend-request")
      throw new Error(`reader did not take the request: ${request?.type}`);
    this.pending = { price: request.price, item: request.item };
    this.stream.write("r,ACK\r\n");
    this.stream.write(`c,STATUS,VEND,${formatAmount(price, 2)},${item}\r\n`);
  }
}
