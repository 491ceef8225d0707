import { earliest, joinBytes, type Machine, type Step } from "@vendkit/machine";
import { parse } from "../parse.js";
import { type DexFrame, DexFrameParser, encodeBlock } from "./frames.js";
import {
  DEFAULT_DEX_TIMING,
  type DexEvent,
  type DexOut,
  type DexTiming,
  Receiver,
  Sender,
} from "./session.js";

/** "R01L01"-style revision and level of the DEX/UCS implementation, 6 characters. */
export const DEFAULT_REVISION = "R01L01";
/** Data bytes per block; the EVA-DTS / DEX-UCS texts use 245 (configurable). */
export const DEFAULT_BLOCK_SIZE = 245;

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
const text = (b: Uint8Array) => String.fromCharCode(...b);
const pad = (s: string, n: number) => s.padEnd(n, " ").slice(0, n);

/** Revision and level values a first handshake may carry (4.5.6, p. 115): pre-6.0 and 6.0+. */
export const KNOWN_REVISIONS: readonly string[] = ["R01L01", "R00L06"];

/**
 * The second handshake's response codes (4.5.7, p. 115): 00 OK, 01 communication ID not
 * recognised, 02 revision/level not supported, 03 operation conflict (retry), 04 no data,
 * 05 undefined error, 90 manufacturer-specific state.
 */
export type DexResponseCode = "00" | "01" | "02" | "03" | "04" | "05" | "90";

/**
 * Judges a first-handshake block: communication ID (10 characters: capital letters, digits and
 * spaces, as the UCC and EVA manufacturer codes plus digits are written; real Crane IDs pad with
 * spaces), operation request (one of `operations`), revision and level. Answers the response code
 * for the second handshake and, when not 00, why.
 */
export function checkFirstHandshake(
  data: Uint8Array,
  operations: string,
): {
  readonly code: DexResponseCode;
  readonly reason: string;
  readonly id: string;
  readonly operation: string;
  readonly revision: string;
} {
  const h = text(data);
  const id = h.slice(0, Math.max(0, h.length - 7));
  const operation = h.charAt(h.length - 7);
  const revision = h.slice(-6);
  const read = { id: id.trim(), operation, revision };
  if (h.length < 7) return { code: "05", reason: `a header of ${h.length} characters`, ...read };
  if (id.length !== 10)
    return { code: "01", reason: `a communication ID of ${id.length} characters, not 10`, ...read };
  if (!/^[A-Z0-9 ]{10}$/.test(id))
    return {
      code: "01",
      reason: `the communication ID ${JSON.stringify(id)} has characters outside A-Z, 0-9 and space`,
      ...read,
    };
  if (!KNOWN_REVISIONS.includes(revision))
    return { code: "02", reason: `revision/level ${JSON.stringify(revision)} is not supported`, ...read };
  if (!operations.includes(operation))
    return {
      code: "05",
      reason: `operation request ${JSON.stringify(operation)} is not one of ${operations}`,
      ...read,
    };
  return { code: "00", reason: "", ...read };
}

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
  if (file.transmissions.length > 1)
    return `${file.transmissions.length} transmissions (DXS..DXE) in one audit`;
  const repeated = file.findings.find((f) => f.code === "OUTSIDE_ENVELOPE");
  if (repeated) return `${repeated.code} at line ${repeated.line}`;
  return undefined;
}

/**
 * What the DEX device and the DEX collector share: the session, its retries and its end. Not
 * exported: its protected members are the two ends' machinery, not an extension point.
 */
abstract class DexEnd implements Machine<DexEvent> {
  protected readonly parser = new DexFrameParser();
  protected readonly timing: DexTiming;
  protected phase: Sender | Receiver | undefined;
  private lastByte = 0;
  private startAsked = false;
  finished = false;

  constructor(protected readonly options: DexOptions) {
    this.timing = { ...DEFAULT_DEX_TIMING, ...options.timing };
  }

  /** Begins the session: what it sends goes out at the next `tick` (or `receive`). */
  start(): void {
    this.startAsked = true;
  }

  /** Feeds received bytes; returns what to send, what happened and the next deadline. */
  receive(bytes: ArrayLike<number>, now: number): Step<DexEvent> {
    const out = this.begun(now);
    const frames = [...this.cut(now), ...this.parser.push(bytes)];
    this.lastByte = now;
    for (const f of frames) {
      if (this.finished || !this.phase) break;
      this.phase.receive(f, now, out);
      this.advance(now, out);
    }
    return this.result(out);
  }

  /** Timeouts and retries happen here. */
  tick(now: number): Step<DexEvent> {
    const out = this.begun(now);
    for (const f of this.cut(now)) if (!this.finished && this.phase) this.phase.receive(f, now, out);
    if (!this.finished && this.phase) {
      this.phase.tick(now, out);
      this.advance(now, out);
    }
    return this.result(out);
  }

  private begun(now: number): DexOut {
    const out: DexOut = { send: [], events: [] };
    if (this.startAsked) {
      this.startAsked = false;
      this.begin(now, out);
    }
    return out;
  }

  private result(out: DexOut): Step<DexEvent> {
    const cut = this.parser.inBlock ? this.lastByte + this.timing.interCharTimeout + 1 : undefined;
    return {
      send: joinBytes(out.send),
      events: out.events,
      deadline: this.finished ? undefined : earliest(this.phase?.due, cut),
    };
  }

  /** What `start` does once it has a time. */
  protected abstract begin(now: number, out: DexOut): void;

  /** Timer B: a block whose bytes stopped for longer than `interCharTimeout` is a bad block. */
  private cut(now: number): DexFrame[] {
    return now - this.lastByte > this.timing.interCharTimeout
      ? this.parser.abandon(`block cut: no byte for ${now - this.lastByte} ms`)
      : [];
  }

  protected fail(out: DexOut): boolean {
    if (out.events.some((e) => e.type === "failed")) {
      this.finished = true;
      return true;
    }
    return false;
  }

  protected refuse(out: DexOut, reason: "REFUSED" | "PROTOCOL", detail: string): void {
    this.finished = true;
    out.events.push({ type: "failed", reason, detail });
  }

  protected header(operation: string): Uint8Array {
    return encodeBlock(
      ascii(
        `${pad(this.options.communicationId, 10)}${operation}${this.options.revision ?? DEFAULT_REVISION}`,
      ),
      true,
      true,
    );
  }

  protected response(code: DexResponseCode): Uint8Array {
    return encodeBlock(
      ascii(`${code}${pad(this.options.communicationId, 10)}${this.options.revision ?? DEFAULT_REVISION}`),
      true,
      true,
    );
  }

  /** Reads the other end's second-handshake block: response code, ID and revision. */
  protected readResponse(out: DexOut): boolean {
    const block = (this.phase as Receiver).blocks[0];
    const h = block ? text(block) : "";
    out.events.push({
      type: "handshake",
      communicationId: h.slice(2, 12).trim(),
      revision: h.slice(12, 18),
      detail: `response ${h.slice(0, 2)}`,
    });
    if (h.startsWith("00")) return true;
    this.refuse(out, "REFUSED", `the other end answered ${h.slice(0, 2) || "nothing"}`);
    return false;
  }

  /** Reads a first-handshake block received as slave; undefined when there was none. */
  protected readHeader(out: DexOut, operations: string): ReturnType<typeof checkFirstHandshake> | undefined {
    const block = (this.phase as Receiver).blocks[0];
    if (block === undefined) {
      this.refuse(out, "PROTOCOL", "the other end ended the first handshake without a header");
      return undefined;
    }
    const judged = checkFirstHandshake(block, operations);
    out.events.push({
      type: "handshake",
      communicationId: judged.id,
      revision: judged.revision,
      detail: `request ${judged.operation}`,
    });
    return judged;
  }

  protected send(
    blocks: Uint8Array[],
    now: number,
    out: DexOut,
    progress?: (done: number) => DexEvent,
  ): void {
    const sender = new Sender(blocks, this.timing, progress);
    this.phase = sender;
    sender.start(now, out);
  }

  protected listen(now: number, onBlock?: (count: number, bytes: number) => DexEvent): Receiver {
    const r = new Receiver(this.timing, onBlock);
    r.begin(now);
    this.phase = r;
    return r;
  }

  protected abstract advance(now: number, out: DexOut): void;
}

/**
 * The device (DTE) end: a vending machine or payment system answering a collector.
 *
 * As slave of the first handshake (the default, and what EVA recommends since 2002) it receives
 * the collector's ID and request and judges them (`checkFirstHandshake`: only `R`, read, is
 * served); second handshake: it sends the response code + its ID + revision, and ends there when
 * the code is not 00. As master of the first handshake (`firstHandshake: "master"`, as coin
 * mechanisms and older controllers do) it opens with ENQ and its own header with `S` (send data),
 * then receives the collector's response. Either way it then sends the audit in blocks and reports
 * `collected` once the collector has acknowledged the last block and EOT has gone out.
 */
export class DexDevice extends DexEnd {
  private step: "first" | "second" | "data" | "done" = "first";
  private refusal: string | undefined;
  private readonly master: boolean;

  constructor(
    options: DexOptions & { readonly blockSize?: number; readonly firstHandshake?: "slave" | "master" },
    private readonly audit: () => Uint8Array,
  ) {
    super(options);
    this.master = options.firstHandshake === "master";
  }

  /** The session begins: it listens (slave), or sends the first ENQ (master). */
  protected begin(now: number, out: DexOut): void {
    if (this.master) this.send([this.header("S")], now, out);
    else this.listen(now);
  }

  protected advance(now: number, out: DexOut): void {
    if (this.fail(out) || !this.phase?.done) return;
    if (this.step === "first") {
      this.step = "second";
      if (this.master) {
        this.listen(now);
        return;
      }
      const judged = this.readHeader(out, "R");
      if (judged === undefined) return;
      if (judged.code !== "00") this.refusal = `answered ${judged.code}: ${judged.reason}`;
      this.send([this.response(judged.code)], now, out);
    } else if (this.step === "second") {
      if (this.refusal !== undefined) {
        this.refuse(out, "REFUSED", this.refusal);
        return;
      }
      if (this.master && !this.readResponse(out)) return;
      this.step = "data";
      const data = this.audit();
      const size = (this.options as { blockSize?: number }).blockSize ?? DEFAULT_BLOCK_SIZE;
      const blocks: Uint8Array[] = [];
      for (let at = 0; at < data.length || blocks.length === 0; at += size) {
        const chunk = data.subarray(at, at + size);
        blocks.push(encodeBlock(chunk, false, at + size >= data.length));
      }
      this.send(blocks, now, out, (done) => ({
        type: "progress",
        done: Math.min(done * size, data.length),
        total: data.length,
      }));
    } else if (this.step === "data") {
      this.step = "done";
      this.finished = true;
      out.events.push({ type: "collected" });
    }
  }
}

/**
 * The collector (DC) end: a handheld or route tool reading a machine. It opens the first
 * handshake with its ID, `R` (read) and revision, then receives the device's answer, then the
 * audit, reported with `received` after the device's EOT (or, when the EOT never comes, once the
 * last block was acknowledged and the line fell silent: `eot: false`).
 *
 * A machine that is master of the first handshake is let through (4.5.1, p. 109): when the
 * machine's ENQ crosses ours, the collector backs off and at the machine's second ENQ answers as
 * slave, judges the machine's header (`S` expected), sends the response code as master of the
 * second handshake, and receives the audit.
 */
export class DexCollector extends DexEnd {
  private step: "first" | "first-slave" | "second" | "data" | "done" = "first";
  private refusal: string | undefined;

  constructor(options: DexOptions) {
    super(options);
  }

  /** The session opens: the first ENQ goes out. */
  protected begin(now: number, out: DexOut): void {
    const sender = new Sender([this.header("R")], this.timing, undefined, true);
    this.phase = sender;
    sender.start(now, out);
  }

  protected advance(now: number, out: DexOut): void {
    if (this.fail(out) || !this.phase?.done) return;
    if (this.step === "first" && (this.phase as Sender).yielded) {
      this.step = "first-slave";
      this.listen(now).receive({ kind: "enq" }, now, out);
    } else if (this.step === "first") {
      this.step = "second";
      this.listen(now);
    } else if (this.step === "first-slave") {
      const judged = this.readHeader(out, "S");
      if (judged === undefined) return;
      if (judged.code !== "00") this.refusal = `answered ${judged.code}: ${judged.reason}`;
      this.step = "second";
      this.send([this.response(judged.code)], now, out);
    } else if (this.step === "second") {
      if (this.refusal !== undefined) {
        this.refuse(out, "REFUSED", this.refusal);
        return;
      }
      if (this.phase instanceof Receiver && !this.readResponse(out)) return;
      this.step = "data";
      this.listen(now, (_count, bytes) => ({ type: "progress", done: bytes, total: undefined }));
    } else if (this.step === "data") {
      this.step = "done";
      this.finished = true;
      const receiver = this.phase as Receiver;
      const data = receiver.data();
      const problem = (this.options.verify ?? verifyAudit)(data);
      out.events.push(
        problem === undefined
          ? { type: "received", data, eot: !receiver.eotMissing }
          : { type: "failed", reason: "CORRUPT_AUDIT", detail: problem, received: data },
      );
    }
  }
}
