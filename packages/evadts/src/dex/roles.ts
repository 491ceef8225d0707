import { parse } from "../parse.js";
import { DexFrameParser, encodeBlock } from "./frames.js";
import { DEFAULT_DEX_TIMING, type DexEvent, type DexTiming, Receiver, Sender, type Step } from "./session.js";

/** "R01L01"-style revision and level of the DEX/UCS implementation, 6 characters. */
export const DEFAULT_REVISION = "R01L01";
/** Data bytes per block; the EVA-DTS / DEX-UCS texts use 245 (configurable). */
export const DEFAULT_BLOCK_SIZE = 245;

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
const text = (b: Uint8Array) => String.fromCharCode(...b);
const pad = (s: string, n: number) => s.padEnd(n, " ").slice(0, n);

export interface DexOptions {
  /** This end's communication ID, 10 characters. */
  readonly communicationId: string;
  readonly revision?: string;
  readonly timing?: Partial<DexTiming>;
  /**
   * Collector side: a check of the received data, returning why it is not acceptable. DEX/UCS
   * blocks carry no sequence number, so a block a faulty line duplicated cannot be told from a new
   * one by the link; the default check, `verifyAudit`, catches it in the EVA-DTS content instead.
   */
  readonly verify?: (data: Uint8Array) => string | undefined;
}

/**
 * Whether received bytes are an intact EVA-DTS audit: no structural error, every G85 that is
 * present matches, and nothing repeats the envelope (a second DXS, anything after DXE).
 */
export function verifyAudit(data: Uint8Array): string | undefined {
  const file = parse(data);
  const error = file.findings.find((f) => f.severity === "error");
  if (error) return `${error.code} at line ${error.line}`;
  const crc = file.transactionSets.find((s) => s.stated !== undefined && !s.match);
  if (crc) return `G85 of the set at line ${crc.line} does not match`;
  const repeated = file.findings.find(
    (f) =>
      (f.code === "OUTSIDE_ENVELOPE" && f.message.includes("after DXE")) ||
      (f.code === "MISSING_DXE" && f.message.includes("new DXS")),
  );
  if (repeated) return `${repeated.code} at line ${repeated.line}`;
  return undefined;
}

abstract class DexEnd {
  protected readonly parser = new DexFrameParser();
  protected readonly timing: DexTiming;
  protected phase: Sender | Receiver | undefined;
  finished = false;

  constructor(protected readonly options: DexOptions) {
    this.timing = { ...DEFAULT_DEX_TIMING, ...options.timing };
  }

  /** Feeds received bytes; returns what to send and what happened. */
  receive(bytes: ArrayLike<number>, now: number): Step {
    const out: Step = { send: [], events: [] };
    for (const f of this.parser.push(bytes)) {
      if (this.finished || !this.phase) break;
      this.phase.receive(f, now, out);
      this.advance(now, out);
    }
    return out;
  }

  /** Call regularly: timeouts and retries happen here. */
  tick(now: number): Step {
    const out: Step = { send: [], events: [] };
    if (!this.finished && this.phase) {
      this.phase.tick(now, out);
      this.advance(now, out);
    }
    return out;
  }

  protected fail(out: Step): boolean {
    if (out.events.some((e) => e.type === "failed")) {
      this.finished = true;
      return true;
    }
    return false;
  }

  protected abstract advance(now: number, out: Step): void;
}

/**
 * The device (DTE) end: a vending machine or payment system answering a collector. First
 * handshake: receives the collector's ID and request; second: sends "00" + its ID + revision;
 * then sends the audit in blocks and reports `collected` once the collector has acknowledged the
 * last block and EOT has gone out.
 */
export class DexDevice extends DexEnd {
  private step: "first" | "second" | "data" | "done" = "first";

  constructor(
    options: DexOptions & { readonly blockSize?: number },
    private readonly audit: () => Uint8Array,
  ) {
    super(options);
    this.phase = new Receiver(this.timing);
  }

  /** Begin listening (starts the idle timer). */
  start(now: number): void {
    (this.phase as Receiver).begin(now);
  }

  protected advance(now: number, out: Step): void {
    if (this.fail(out) || !this.phase?.done) return;
    if (this.step === "first") {
      const header = (this.phase as Receiver).blocks[0];
      if (header === undefined) {
        this.finished = true;
        out.events.push({
          type: "failed",
          reason: "PROTOCOL",
          detail: "the collector ended the first handshake without a header",
        });
        return;
      }
      const h = text(header);
      out.events.push({
        type: "handshake",
        communicationId: h.slice(0, 10).trim(),
        revision: h.slice(11, 17),
        detail: `request ${h.slice(10, 11)}`,
      });
      this.step = "second";
      const reply = encodeBlock(
        ascii(`00${pad(this.options.communicationId, 10)}${this.options.revision ?? DEFAULT_REVISION}`),
        true,
        true,
      );
      this.phase = new Sender([reply], this.timing);
      (this.phase as Sender).start(now, out);
    } else if (this.step === "second") {
      this.step = "data";
      const data = this.audit();
      const size = (this.options as { blockSize?: number }).blockSize ?? DEFAULT_BLOCK_SIZE;
      const blocks: Uint8Array[] = [];
      for (let at = 0; at < data.length || blocks.length === 0; at += size) {
        const chunk = data.subarray(at, at + size);
        blocks.push(encodeBlock(chunk, false, at + size >= data.length));
      }
      this.phase = new Sender(blocks, this.timing, (done) => ({
        type: "progress",
        done: Math.min(done * size, data.length),
        total: data.length,
      }));
      (this.phase as Sender).start(now, out);
    } else if (this.step === "data") {
      this.step = "done";
      this.finished = true;
      out.events.push({ type: "collected" });
    }
  }
}

/**
 * The collector (DC) end: a handheld or route tool reading a machine. First handshake: sends its
 * ID, "R" (read) and revision; second: receives the device's answer; then receives the audit and
 * reports it with `received` after the device's EOT.
 */
export class DexCollector extends DexEnd {
  private step: "first" | "second" | "data" | "done" = "first";

  constructor(options: DexOptions) {
    super(options);
  }

  /** Opens the session: the first ENQ goes out. */
  start(now: number): Step {
    const out: Step = { send: [], events: [] };
    const header = encodeBlock(
      ascii(`${pad(this.options.communicationId, 10)}R${this.options.revision ?? DEFAULT_REVISION}`),
      true,
      true,
    );
    const sender = new Sender([header], this.timing);
    this.phase = sender;
    sender.start(now, out);
    return out;
  }

  protected advance(now: number, out: Step): void {
    if (this.fail(out) || !this.phase?.done) return;
    if (this.step === "first") {
      this.step = "second";
      const r = new Receiver(this.timing);
      r.begin(now);
      this.phase = r;
    } else if (this.step === "second") {
      const header = (this.phase as Receiver).blocks[0];
      const h = header ? text(header) : "";
      out.events.push({
        type: "handshake",
        communicationId: h.slice(2, 12).trim(),
        revision: h.slice(12, 18),
        detail: `response ${h.slice(0, 2)}`,
      });
      if (!h.startsWith("00")) {
        this.finished = true;
        out.events.push({
          type: "failed",
          reason: "REFUSED",
          detail: `device answered ${h.slice(0, 2) || "nothing"}`,
        });
        return;
      }
      this.step = "data";
      const r = new Receiver(this.timing, (_count, bytes) => ({
        type: "progress",
        done: bytes,
        total: undefined,
      }));
      r.begin(now);
      this.phase = r;
    } else if (this.step === "data") {
      this.step = "done";
      this.finished = true;
      const blocks = (this.phase as Receiver).blocks;
      const data = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
      let at = 0;
      for (const b of blocks) {
        data.set(b, at);
        at += b.length;
      }
      const problem = (this.options.verify ?? verifyAudit)(data);
      out.events.push(
        problem === undefined
          ? { type: "received", data }
          : { type: "failed", reason: "CORRUPT_AUDIT", detail: problem },
      );
    }
  }
}

export type { DexEvent };
