import { joinBytes, type Machine, type Step } from "@vendkit/machine";
import {
  ACCESS,
  type AppError,
  type AppMessage,
  CODE,
  type DateTime,
  decodeApp,
  encodeApp,
  LIST,
  UNKNOWN_LENGTH,
} from "./application.js";
import { EvaLink, type EvaLinkEvent, type EvaLinkFailure } from "./eva-link.js";
import { type EvaTiming, STATION_ADDRESS } from "./eva-profile.js";

/**
 * The collector (master) end of an EVA-DTS audit collection over DDCMP: what a handheld or a
 * route tool runs (EVA DTS 6.1.2 6.2.1.1, p. 187). START at 2400 (and again at the agreed rate),
 * WHO ARE YOU, READ DATA for each list asked (and the extra reads the device announces), the
 * blocks in order until the announced length or the select flag, optionally DELETE DATA, then
 * FINISH. What it read is handed over with `received`; `confirmed` says whether the device
 * acknowledged FINISH (the standard keeps the read "pending" until then, 6.1.5, p. 183).
 */
export interface AuditCollectorOptions {
  /** Station address to call (Table 4); 0x01: whichever device answers. */
  readonly address?: number;
  /** Highest baud-rate code to ask for (1-8; 0 = stay at 2400). Default 8. */
  readonly maxBaudCode?: number;
  readonly securityCode?: number;
  readonly passCode?: number;
  readonly userId?: number;
  /** 0x0B maintenance, 0x0C route person (default). */
  readonly access?: number;
  /** The lists to read, in order. Default [1] (audit collection). */
  readonly lists?: readonly number[];
  /** Send DELETE DATA for each list read before FINISH (EVA's trace does; the standard advises against it on machines). */
  readonly deleteAfterRead?: boolean;
  /** The date and time WHO ARE YOU carries (the edge's wall clock: `localDateTime(new Date())`). */
  readonly clock: () => DateTime;
  readonly timing?: Partial<EvaTiming>;
  /** Checks what was read; a reason makes the collection CORRUPT_AUDIT (data still handed over). */
  readonly verify?: (list: number, data: Uint8Array) => string | undefined;
}

export type CollectorFailure =
  | EvaLinkFailure
  | "REFUSED"
  | "NOT_SERVED"
  | "BLOCK_ORDER"
  | "PROTOCOL"
  | "CORRUPT_AUDIT";

export interface Identification {
  readonly serial: string;
  readonly version: number;
  readonly manufacturer: number;
  readonly extraReads: number;
  readonly bufferSize: number;
}

export type AuditCollectorEvent =
  | { readonly type: "link"; readonly event: EvaLinkEvent }
  | { readonly type: "identified"; readonly device: Identification }
  | {
      readonly type: "progress";
      readonly list: number;
      readonly done: number;
      /** Undefined while the length is unknown. */
      readonly total: number | undefined;
      readonly blocks: number;
    }
  | {
      readonly type: "received";
      /** What each list read held, in the order read. */
      readonly lists: readonly { readonly list: number; readonly data: Uint8Array }[];
      /** The device acknowledged FINISH: it may now reset its interim data. */
      readonly confirmed: boolean;
    }
  | {
      readonly type: "failed";
      readonly reason: CollectorFailure;
      readonly detail: string;
      /** What had arrived of the list being read, for a caller that keeps a damaged read. */
      readonly received?: Uint8Array;
    };

/** What the collector gathers while it handles one input. */
interface AuditCollectorOutput {
  readonly send: Uint8Array[];
  readonly events: AuditCollectorEvent[];
}

/** Where the collection has got to. */
type Stage =
  | { readonly name: "who" }
  | { readonly name: "read"; readonly list: number }
  | {
      readonly name: "blocks";
      readonly list: number;
      readonly length: number | undefined;
      readonly block: number;
    }
  | { readonly name: "delete"; readonly list: number }
  | { readonly name: "finish" }
  | { readonly name: "done" };

export class AuditCollector implements Machine<AuditCollectorEvent> {
  private readonly link: EvaLink;
  private step: Stage = { name: "who" };
  private readonly wanted: number[];
  private readonly read: { list: number; data: Uint8Array }[] = [];
  private chunks: Uint8Array[] = [];
  private got = 0;
  private deletes: number[] = [];
  finished = false;

  constructor(private readonly o: AuditCollectorOptions) {
    this.wanted = [...(o.lists ?? [LIST.audit])];
    this.link = new EvaLink({
      role: "master",
      address: o.address ?? STATION_ADDRESS.any,
      maxBaudCode: o.maxBaudCode ?? 8,
      ...(o.timing ? { timing: o.timing } : {}),
    });
  }

  get baud(): number {
    return this.link.baud;
  }

  /** Opens the session: START goes out at the next `tick`. */
  start(): void {
    this.link.start();
  }

  receive(bytes: ArrayLike<number>, now: number): Step<AuditCollectorEvent> {
    return this.wrap(this.link.receive(bytes, now), now);
  }

  tick(now: number): Step<AuditCollectorEvent> {
    return this.wrap(this.link.tick(now), now);
  }

  /** The link's step, what its events lead to, and the link's answer to that, until it is quiet. */
  private wrap(first: Step<EvaLinkEvent>, now: number): Step<AuditCollectorEvent> {
    const out: AuditCollectorOutput = { send: [], events: [] };
    for (let o = first; ; o = this.link.tick(now)) {
      if (o.send.length > 0) out.send.push(o.send);
      for (const e of o.events) {
        if (this.finished) break;
        out.events.push({ type: "link", event: e });
        if (e.type === "running") this.whoAreYou();
        else if (e.type === "data") this.onMessage(e.data, e.select, out);
        else if (e.type === "sent") this.onSent(out);
        else if (e.type === "failed") {
          if (this.step.name === "finish")
            this.done(out, false); // the read stands, unconfirmed
          else this.fail(out, e.reason, e.detail, this.partial());
        }
      }
      // what the events queued goes out in this step too
      if (!this.link.ready)
        return {
          send: joinBytes(out.send),
          events: out.events,
          deadline: this.finished ? undefined : o.deadline,
        };
    }
  }

  private send(m: AppMessage): void {
    this.link.send(encodeApp(m));
  }

  private whoAreYou(): void {
    if (this.step.name !== "who") return;
    this.send({
      kind: "who-are-you",
      securityCode: this.o.securityCode ?? 0,
      passCode: this.o.passCode ?? 0,
      at: this.o.clock(),
      userId: this.o.userId ?? 0,
      access: this.o.access ?? ACCESS.route,
    });
  }

  private fail(
    out: AuditCollectorOutput,
    reason: CollectorFailure,
    detail: string,
    received?: Uint8Array,
  ): void {
    this.finished = true;
    this.step = { name: "done" };
    out.events.push({ type: "failed", reason, detail, ...(received ? { received } : {}) });
  }

  private done(out: AuditCollectorOutput, confirmed: boolean): void {
    this.finished = true;
    this.step = { name: "done" };
    out.events.push({ type: "received", lists: this.read, confirmed });
  }

  private nextRead(): void {
    const list = this.wanted.shift();
    if (list !== undefined) {
      this.step = { name: "read", list };
      this.link.expectSlow(true);
      this.send({ kind: "read-data", list, record: 1, offset: 0, length: 0 });
      return;
    }
    const del = this.deletes.shift();
    if (del !== undefined) {
      this.step = { name: "delete", list: del };
      this.send({ kind: "delete-data", list: del, record: 1 });
      return;
    }
    this.step = { name: "finish" };
    this.send({ kind: "finish" });
  }

  /** Our FINISH was acknowledged: the collection is confirmed. */
  private onSent(out: AuditCollectorOutput): void {
    if (this.step.name === "finish") this.done(out, true);
  }

  private onMessage(data: Uint8Array, select: boolean, out: AuditCollectorOutput): void {
    let m: AppMessage;
    try {
      m = decodeApp(data);
    } catch (e) {
      const err = e as AppError;
      this.fail(out, "PROTOCOL", `${err.code}: ${err.message}`, this.partial());
      return;
    }
    const s = this.step;
    if (s.name === "who") {
      if (m.kind === "who-are-you-rejected") {
        this.fail(
          out,
          "REFUSED",
          `the device refused WHO ARE YOU (denial ${m.denial}: security or pass code)`,
        );
        return;
      }
      if (m.kind !== "who-are-you-accepted") {
        this.fail(out, "PROTOCOL", `${m.kind} in answer to WHO ARE YOU`);
        return;
      }
      const device: Identification = {
        serial: String.fromCharCode(...m.serial),
        version: m.version,
        manufacturer: m.manufacturer,
        extraReads: m.extraReads,
        bufferSize: m.bufferSize === 0 ? 256 : m.bufferSize,
      };
      out.events.push({ type: "identified", device });
      // extra reads the device asks for: the same list again, once each (6.2.1.8, p. 193)
      const first = this.wanted[0];
      if (first !== undefined) for (let k = 0; k < m.extraReads; k++) this.wanted.push(first);
      if (this.o.deleteAfterRead) this.deletes = [...new Set(this.wanted)];
      this.nextRead();
      return;
    }
    if (s.name === "read") {
      this.link.expectSlow(false);
      if (m.kind === "response" && m.code === CODE.readData && !m.accepted) {
        this.fail(out, "NOT_SERVED", `the device does not serve list ${s.list}`);
        return;
      }
      if (m.kind !== "read-data-accepted" || m.list !== s.list) {
        this.fail(out, "PROTOCOL", `${m.kind} in answer to READ DATA list ${s.list}`);
        return;
      }
      const length = m.length === UNKNOWN_LENGTH ? undefined : m.length;
      this.chunks = [];
      this.got = 0;
      this.step = { name: "blocks", list: s.list, length, block: 0 };
      if (length === 0) this.listDone(s.list, out);
      return;
    }
    if (s.name === "blocks") {
      if (m.kind !== "block") {
        this.fail(out, "PROTOCOL", `${m.kind} where a data block was due`, this.partial());
        return;
      }
      if (m.number !== (s.block & 0xff)) {
        this.fail(
          out,
          "BLOCK_ORDER",
          `block ${m.number} where block ${s.block & 0xff} was due`,
          this.partial(),
        );
        return;
      }
      this.chunks.push(m.data);
      this.got += m.data.length;
      const blocks = s.block + 1;
      out.events.push({ type: "progress", list: s.list, done: this.got, total: s.length, blocks });
      this.step = { ...s, block: blocks };
      if (s.length !== undefined && this.got > s.length) {
        this.fail(out, "PROTOCOL", `${this.got} bytes where ${s.length} were announced`, this.partial());
        return;
      }
      if ((s.length !== undefined && this.got === s.length) || (s.length === undefined && select))
        this.listDone(s.list, out);
      return;
    }
    if (s.name === "delete") {
      // accepted or not, the read stands; go on to FINISH
      this.nextRead();
      return;
    }
    this.fail(out, "PROTOCOL", `${m.kind} after the transfer`);
  }

  private partial(): Uint8Array | undefined {
    return this.chunks.length > 0 ? joinBytes(this.chunks) : undefined;
  }

  private listDone(list: number, out: AuditCollectorOutput): void {
    const data = joinBytes(this.chunks);
    this.chunks = [];
    const problem = this.o.verify?.(list, data);
    if (problem !== undefined) {
      this.fail(out, "CORRUPT_AUDIT", problem, data);
      return;
    }
    this.read.push({ list, data });
    this.nextRead();
  }
}
