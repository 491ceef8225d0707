import type { Machine } from "@vendkit/machine";
import type { MdbCapture } from "../capture.js";
import { ACK, DEFAULT_TIMING, encodeMasterBlock, type PeripheralReply, RET, ReplyDecoder } from "../link.js";
import { type CashlessCommand, encodeCommand } from "./commands.js";
import { type CashlessContext, OPTIONS } from "./context.js";
import { type CashlessResponse, decodeResponses } from "./responses.js";

export interface VmcOptions<E = unknown> {
  readonly address?: 0x10 | 0x60;
  readonly vmcLevel?: 1 | 2 | 3;
  /** L3 features to enable when the reader offers them. */
  readonly features?: number;
  /** Milliseconds between words on the simulated line (9600 baud: about 1.15). */
  readonly wordTime?: number;
  /** Where to record the session for Wireshark, if anywhere. */
  readonly capture?: MdbCapture;
  /** Hears the device's events as they happen. */
  readonly onEvent?: (event: E) => void;
}

export type Exchange =
  | { readonly kind: "ack" }
  | { readonly kind: "nak" }
  | { readonly kind: "silence" }
  | { readonly kind: "responses"; readonly responses: CashlessResponse[] }
  | { readonly kind: "error"; readonly detail: string };

/**
 * A VMC (bus master) for tests and for the reference device: it sends real 9-bit blocks to a
 * cashless device, decodes its replies with the negotiated level and currency mode, ACKs data,
 * and runs the initialisation, sale and revalue sequences of MDB/ICP 4.3 §7.4.
 */
export class VmcSimulator<E = unknown> {
  ctx: CashlessContext = { level: 1, expanded: false };
  now = 0;
  readonly log: { command: CashlessCommand; reply: Exchange }[] = [];
  private readonly address: 0x10 | 0x60;
  private readonly vmcLevel: 1 | 2 | 3;
  private readonly wordTime: number;

  constructor(
    private readonly device: Machine<E, Uint16Array>,
    private readonly options: VmcOptions<E> = {},
  ) {
    this.address = options.address ?? 0x10;
    this.vmcLevel = options.vmcLevel ?? 3;
    this.wordTime = options.wordTime ?? 1;
  }

  /** Sends one command and reads the reply, ACKing data (`ack: false` leaves it unacknowledged). */
  send(command: CashlessCommand, { ack = true }: { ack?: boolean } = {}): Exchange {
    // A RESET undoes the level and currency mode agreed at setup.
    if (command.type === "reset") this.ctx = { level: 1, expanded: false };
    const block = encodeMasterBlock(encodeCommand(command, this.address, this.ctx));
    this.options.capture?.masterToPeripheral(block, this.now);
    const exchange = this.readReply(this.exchange(block), ack);
    this.log.push({ command, reply: exchange });
    if (exchange.kind === "responses") this.learn(command, exchange.responses);
    return exchange;
  }

  /** Sends the VMC's RET: the device must repeat its last reply. */
  retransmit(): Exchange {
    this.options.capture?.masterToPeripheral([RET], this.now);
    return this.readReply(this.exchange(Uint16Array.of(RET)), true);
  }

  /**
   * Words to the device, sent one word time apart; its reply, waiting up to the response time
   * (a block whose length the device cannot tell ends at its deadline).
   */
  private exchange(words: Uint16Array): Uint16Array {
    const step = this.device.receive(words, this.tick(this.wordTime * words.length));
    this.heard(step.events);
    if (step.send.length > 0 || step.deadline === undefined) return step.send;
    const late = this.device.tick(this.tick(Math.max(0, step.deadline - this.now)));
    this.heard(late.events);
    return late.send;
  }

  private heard(events: readonly E[]): void {
    if (this.options.onEvent) for (const e of events) this.options.onEvent(e);
  }

  private tick(ms: number): number {
    this.now += ms;
    return this.now;
  }

  /** Decodes the words a device sent back and ACKs data when asked to. */
  private readReply(words: Uint16Array, ack: boolean): Exchange {
    if (words.length > 0) this.options.capture?.peripheralToMaster(this.address, words, this.now);
    const decoder = new ReplyDecoder({ ...DEFAULT_TIMING, interByte: this.wordTime });
    let reply: PeripheralReply | undefined;
    for (const w of words) for (const r of decoder.feed(w, this.tick(this.wordTime / 2))) reply = r;
    if (reply === undefined) return { kind: "silence" };
    if (reply.kind === "error") return { kind: "error", detail: `${reply.code}: ${reply.detail}` };
    if (reply.kind !== "data") return { kind: reply.kind };
    const decoded = decodeResponses(reply.bytes, this.ctx);
    if (ack) {
      this.options.capture?.masterToPeripheral([ACK], this.now);
      this.heard(this.device.receive([ACK], this.tick(this.wordTime)).events);
    }
    return decoded.ok
      ? { kind: "responses", responses: decoded.responses }
      : { kind: "error", detail: `${decoded.code} at ${decoded.at}` };
  }

  /** POLLs and returns what the device reported (nothing on a bare ACK). */
  poll(): CashlessResponse[] {
    const r = this.send({ type: "poll" });
    return r.kind === "responses" ? r.responses : [];
  }

  /** Polls until a response of one of `types` arrives (at most `tries` polls). */
  pollFor(types: readonly CashlessResponse["type"][], tries = 10): CashlessResponse | undefined {
    for (let i = 0; i < tries; i++) {
      const found = this.poll().find((r) => types.includes(r.type));
      if (found) return found;
    }
    return undefined;
  }

  /** The initialisation sequence after RESET (§7.4.1). Returns the reader's config and ID. */
  initialise(prices = { max: 0xffff, min: 0 }): { config?: CashlessResponse; id?: CashlessResponse } {
    this.ctx = { level: 1, expanded: false };
    this.send({ type: "reset" });
    this.pollFor(["just-reset"]);
    const setup = this.send({
      type: "setup-config",
      vmcLevel: this.vmcLevel,
      columns: 16,
      rows: 2,
      displayInfo: 0,
    });
    const config = setup.kind === "responses" ? setup.responses[0] : undefined;
    this.send({ type: "setup-prices", max: prices.max, min: prices.min });
    const idReply = this.send({
      type: "request-id",
      manufacturer: "VKT",
      serial: "000000000001",
      model: "VMC-SIM",
      version: 0x0100,
    });
    const id = idReply.kind === "responses" ? idReply.responses[0] : undefined;
    if (this.ctx.level >= 3 && id?.type === "peripheral-id") {
      const enable = (this.options.features ?? 0) & (id.options ?? 0);
      if (enable !== 0) {
        this.send({ type: "enable-options", options: enable });
        this.ctx = { ...this.ctx, expanded: (enable & (OPTIONS.money32 | OPTIONS.multiCurrency)) !== 0 };
      }
    }
    this.send({ type: "reader-enable" });
    return { config, id };
  }

  /**
   * One vend in an open session: VEND REQUEST, poll for the answer, then VEND SUCCESS or FAILURE.
   * Returns the approved amount, or undefined when denied or never answered.
   */
  vend(price: number, item: number, outcome: "success" | "failure" = "success"): number | undefined {
    this.send({ type: "vend-request", price, item });
    const answer = this.pollFor(["vend-approved", "vend-denied"]);
    if (answer?.type !== "vend-approved") return undefined;
    this.send(outcome === "success" ? { type: "vend-success", item } : { type: "vend-failure" });
    return answer.amount;
  }

  /** SESSION COMPLETE and poll for END SESSION. */
  endSession(): boolean {
    this.send({ type: "session-complete" });
    return this.pollFor(["end-session"]) !== undefined;
  }

  private learn(command: CashlessCommand, responses: CashlessResponse[]): void {
    const first = responses[0];
    if (command.type === "setup-config" && first?.type === "reader-config") {
      this.ctx = { level: Math.max(1, Math.min(this.vmcLevel, first.level)) as 1 | 2 | 3, expanded: false };
    }
  }
}
