import { earliest, joinBytes, type Machine, type Step } from "@vendkit/machine";
import {
  type AppError,
  type AppMessage,
  CODE,
  decodeApp,
  encodeApp,
  LIST,
  UNKNOWN_LENGTH,
} from "./application.js";
import { EvaLink, type EvaLinkEvent, type EvaLinkFailure } from "./eva-link.js";
import { DEFAULT_BUFFER, type EvaTiming, MESSAGE_OVERHEAD, STATION_ADDRESS } from "./eva-profile.js";

/**
 * The device (slave) end of an EVA-DTS audit collection over DDCMP (EVA DTS 6.1.2 6.2.1, p. 186):
 * it answers START, WHO ARE YOU (checking the collector's security and pass codes), READ DATA
 * for the lists it serves, DELETE DATA and FINISH, and sends the data in numbered blocks.
 * Sans-I/O like the link under it.
 *
 * What it guarantees the caller: `collected` (for list 1) is reported only when the collector has
 * acknowledged every block of a complete read and then sent FINISH; a session that breaks
 * anywhere before that reports no collection, so nothing is reset and the same data is read next
 * time. A FINISH after an incomplete read of list 1 gets no answer, as the standard's "operation
 * unsuccessful" (3.6.4.1.8 note 1, p. 95).
 */
export interface AuditDeviceOptions {
  /** Station address (Table 4); 0x01 answers every master. Default 0x01. */
  readonly address?: number;
  /** Highest baud-rate code offered (1-8; 0 = stay at 2400). Default 8. */
  readonly maxBaudCode?: number;
  /** Parameters 006 and 007: the EVA-DTS security and pass codes (0 and 0: none). */
  readonly securityCode?: number;
  readonly passCode?: number;
  /** Parameter 40010: check the codes. Off: every collector is accepted. */
  readonly checkCodes?: boolean;
  /**
   * Store a collector's codes when the device holds none (the "common scheme" of 6.1.6, p. 184),
   * reported with `codes-stored`. Off by default: the manual has the codes set by the programmer.
   */
  readonly storeCodesOnFirstUse?: boolean;
  /**
   * The machine serial number: 8 ASCII characters (shorter is padded with '0' on the left), or 8
   * bytes sent as they are (EVA's own trace sends zeros).
   */
  readonly serial?: string | Uint8Array;
  readonly version?: number;
  readonly manufacturer?: number;
  /** Parameter 40017: audit text bytes per block. Capped by the collector's buffer (see README). */
  readonly blockSize?: number;
  /** Parameter 40009: send the length as unknown (0xFFFF) and mark the last block with the select flag. */
  readonly selectFlag?: boolean;
  /** This device's receive buffer (announced in WHO ARE YOU when not the default 256). */
  readonly bufferSize?: number;
  readonly timing?: Partial<EvaTiming>;
  /** How long the device stays to re-acknowledge a repeated FINISH before it ends, ms. Default 2000. */
  readonly linger?: number;
}

/** What a list holds, asked when a READ DATA for it arrives; undefined: the list is not served. */
export type ListSource = (list: number) => Uint8Array | undefined;

export type AuditDeviceEvent =
  | { readonly type: "link"; readonly event: EvaLinkEvent }
  | {
      readonly type: "who-are-you";
      readonly accepted: boolean;
      readonly userId: number;
      readonly access: number;
    }
  | { readonly type: "codes-stored"; readonly securityCode: number; readonly passCode: number }
  | { readonly type: "read"; readonly list: number; readonly length: number }
  | {
      readonly type: "progress";
      readonly list: number;
      readonly done: number;
      readonly total: number;
      readonly blocks: number;
    }
  | { readonly type: "refused"; readonly command: number; readonly detail: string }
  /** List 1 went out whole and the collector ended with FINISH: period data may be reset now. */
  | { readonly type: "collected" }
  | { readonly type: "ended"; readonly collected: boolean }
  | {
      readonly type: "failed";
      readonly reason: EvaLinkFailure | "APPLICATION";
      readonly detail: string;
    };

/** What the device collects while it handles one input. */
interface AuditDeviceOutput {
  readonly send: Uint8Array[];
  readonly events: AuditDeviceEvent[];
}

interface Transfer {
  readonly list: number;
  readonly data: Uint8Array;
  readonly unknownLength: boolean;
  at: number;
  block: number;
  blocksAcked: number;
  complete: boolean;
}

export class AuditDevice implements Machine<AuditDeviceEvent> {
  private link: EvaLink;
  private identified = false;
  private transfer: Transfer | undefined;
  private auditComplete = false;
  private auditBroken = false;
  private securityCode: number;
  private passCode: number;
  private collectorBuffer = DEFAULT_BUFFER;
  private endsAt: number | undefined;
  private pendingFinish = false;
  private collectedOnce = false;
  finished = false;

  constructor(
    private readonly o: AuditDeviceOptions,
    private readonly lists: ListSource,
  ) {
    this.securityCode = o.securityCode ?? 0;
    this.passCode = o.passCode ?? 0;
    this.link = this.newLink();
  }

  private newLink(): EvaLink {
    return new EvaLink({
      role: "slave",
      address: this.o.address ?? STATION_ADDRESS.any,
      maxBaudCode: this.o.maxBaudCode ?? 8,
      ...(this.o.timing ? { timing: this.o.timing } : {}),
      ...(this.o.bufferSize ? { bufferSize: this.o.bufferSize } : {}),
      judge: (data) => this.judge(data),
    });
  }

  /** No session has begun: no START has arrived (a device waits for collectors indefinitely). */
  get waiting(): boolean {
    return this.link.state === "idle";
  }

  /** The line rate in use (the edge follows `baud` events). */
  get baud(): number {
    return this.link.baud;
  }

  /** Bytes received from the collector. */
  receive(bytes: ArrayLike<number>, now: number): Step<AuditDeviceEvent> {
    return this.result(this.wrap(this.link.receive(bytes, now), now));
  }

  tick(now: number): Step<AuditDeviceEvent> {
    const out = this.wrap(this.link.tick(now), now);
    if (!this.finished && this.endsAt !== undefined && now >= this.endsAt) this.end(out);
    return this.result(out);
  }

  private result(out: AuditDeviceOutput & { linkDeadline: number | undefined }): Step<AuditDeviceEvent> {
    return {
      send: joinBytes(out.send),
      events: out.events,
      deadline: this.finished ? undefined : earliest(out.linkDeadline, this.endsAt),
    };
  }

  /** A FINISH is acknowledged only when the operation succeeded: no list 1 read left half done. */
  private judge(data: Uint8Array): boolean {
    if (data[0] !== 0x77 || data[1] !== CODE.finish) return true;
    const ok = !this.auditBroken && (this.transfer === undefined || this.transfer.complete);
    if (ok) this.pendingFinish = true;
    return ok;
  }

  /** The link's step, what its events lead to, and the link's answer to that, until it is quiet. */
  private wrap(
    first: Step<EvaLinkEvent>,
    now: number,
  ): AuditDeviceOutput & { linkDeadline: number | undefined } {
    const out: AuditDeviceOutput & { linkDeadline: number | undefined } = {
      send: [],
      events: [],
      linkDeadline: undefined,
    };
    for (let o = first; ; o = this.link.tick(now)) {
      if (o.send.length > 0) out.send.push(o.send);
      for (const e of o.events) {
        out.events.push({ type: "link", event: e });
        if (e.type === "data") this.onMessage(e.data, now, out);
        else if (e.type === "sent") this.onSent(out);
        else if (e.type === "restarted") this.restart();
        else if (e.type === "failed") {
          this.finished = true;
          out.events.push({ type: "failed", reason: e.reason, detail: e.detail });
          out.events.push({ type: "ended", collected: false });
        }
      }
      // what the events queued goes out in this step too
      if (!this.link.ready) {
        out.linkDeadline = o.deadline;
        return out;
      }
    }
  }

  /** A START mid-session: what was read is not a collection; the session begins again. */
  private restart(): void {
    this.identified = false;
    this.transfer = undefined;
    this.auditComplete = false;
    this.auditBroken = false;
    this.pendingFinish = false;
  }

  private reply(m: AppMessage): void {
    this.link.send(encodeApp(m));
  }

  private refuse(code: number, detail: string, out: AuditDeviceOutput): void {
    out.events.push({ type: "refused", command: code, detail });
    // PROGRAM MODULE's refusal carries an error code (values not defined: 0)
    this.reply({
      kind: "response",
      code,
      accepted: false,
      body: code === CODE.programModule ? Uint8Array.of(0) : new Uint8Array(0),
    });
  }

  private onMessage(data: Uint8Array, now: number, out: AuditDeviceOutput): void {
    let m: AppMessage;
    try {
      m = decodeApp(data);
    } catch (e) {
      const err = e as AppError;
      out.events.push({ type: "refused", command: data[1] ?? 0, detail: `${err.code}: ${err.message}` });
      if (data[0] === 0x77 && data.length >= 2) this.refuse(data[1] as number, err.message, out);
      return;
    }
    switch (m.kind) {
      case "who-are-you":
        this.whoAreYou(m, out);
        return;
      case "read-data":
        this.readData(m, out);
        return;
      case "delete-data":
        // meant for a PC and a handheld (3.6.4.1.5); EVA's own trace shows a machine accepting
        // it: accepted, nothing is deleted
        if (!this.identified) {
          this.refuse(CODE.deleteData, "DELETE DATA before WHO ARE YOU", out);
          return;
        }
        this.reply({ kind: "response", code: CODE.deleteData, accepted: true, body: new Uint8Array(0) });
        return;
      case "finish":
        // judged and acknowledged by the link already; stay a moment for a repeated FINISH
        if (this.pendingFinish && this.auditComplete) {
          this.auditComplete = false;
          out.events.push({ type: "collected" });
          this.collectedOnce = true;
        }
        this.pendingFinish = false;
        this.endsAt = now + (this.o.linger ?? 2000);
        return;
      case "command":
        this.refuse(m.code, `command ${m.code.toString(16)} is not served`, out);
        return;
      default:
        out.events.push({
          type: "refused",
          command: data[1] ?? 0,
          detail: `unexpected ${m.kind} from the collector`,
        });
        return;
    }
  }

  private end(out: AuditDeviceOutput): void {
    this.finished = true;
    out.events.push({ type: "ended", collected: this.collectedOnce });
  }

  private whoAreYou(m: Extract<AppMessage, { kind: "who-are-you" }>, out: AuditDeviceOutput): void {
    const stored = this.securityCode !== 0 || this.passCode !== 0;
    const sent = m.securityCode !== 0 || m.passCode !== 0;
    let accepted = true;
    if (this.o.checkCodes) {
      if (stored) accepted = m.securityCode === this.securityCode && m.passCode === this.passCode;
      else if (sent && this.o.storeCodesOnFirstUse) {
        this.securityCode = m.securityCode;
        this.passCode = m.passCode;
        out.events.push({ type: "codes-stored", securityCode: m.securityCode, passCode: m.passCode });
      }
    }
    this.identified = accepted;
    out.events.push({ type: "who-are-you", accepted, userId: m.userId, access: m.access });
    if (!accepted) {
      this.reply({ kind: "who-are-you-rejected", denial: 1 });
      return;
    }
    const given = this.o.serial ?? "";
    const serial =
      typeof given === "string"
        ? Uint8Array.from(given.padStart(8, "0").slice(-8), (c) => c.charCodeAt(0) & 0x7f)
        : given.slice(0, 8);
    const buffer = this.o.bufferSize ?? DEFAULT_BUFFER;
    this.reply({
      kind: "who-are-you-accepted",
      securityCode: this.securityCode,
      passCode: this.passCode,
      serial,
      version: this.o.version ?? 0,
      manufacturer: this.o.manufacturer ?? 0,
      extraReads: 0,
      bufferSize: buffer === DEFAULT_BUFFER ? 0 : buffer,
    });
  }

  private readData(m: Extract<AppMessage, { kind: "read-data" }>, out: AuditDeviceOutput): void {
    if (!this.identified) {
      this.refuse(CODE.readData, "READ DATA before an accepted WHO ARE YOU", out);
      return;
    }
    if (this.transfer !== undefined && !this.transfer.complete) {
      // a new READ while blocks are still going: the earlier read is broken
      if (this.transfer.list === LIST.audit) this.auditBroken = true;
    }
    const whole = this.lists(m.list);
    if (whole === undefined || m.record !== 1) {
      this.refuse(CODE.readData, `list ${m.list} record ${m.record} is not served`, out);
      return;
    }
    const end = m.length === 0 ? whole.length : m.offset + m.length;
    if (m.offset > whole.length || end > whole.length) {
      this.refuse(
        CODE.readData,
        `offset ${m.offset} length ${m.length} past the record's ${whole.length} bytes`,
        out,
      );
      return;
    }
    const data = whole.subarray(m.offset, end);
    const unknownLength = this.o.selectFlag === true;
    if (unknownLength === false && data.length > 0xfffe) {
      this.refuse(CODE.readData, `${data.length} bytes do not fit a known length: set the select flag`, out);
      return;
    }
    this.transfer = { list: m.list, data, unknownLength, at: 0, block: 0, blocksAcked: 0, complete: false };
    if (m.list === LIST.audit) {
      this.auditComplete = false;
      this.auditBroken = false;
    }
    out.events.push({ type: "read", list: m.list, length: data.length });
    this.reply({
      kind: "read-data-accepted",
      list: m.list,
      record: 1,
      offset: m.offset,
      length: unknownLength ? UNKNOWN_LENGTH : data.length,
    });
  }

  /** Text bytes per block: DATA BLOCK SIZE, but a message never exceeds the collector's buffer. */
  private blockSize(): number {
    const room = this.collectorBuffer - MESSAGE_OVERHEAD - 2;
    return Math.max(1, Math.min(this.o.blockSize ?? room, room));
  }

  /** Our last message was acknowledged: the next block, if a transfer is under way. */
  private onSent(out: AuditDeviceOutput): void {
    const t = this.transfer;
    if (t === undefined || t.complete) return;
    if (t.block > 0) {
      t.blocksAcked++;
      out.events.push({
        type: "progress",
        list: t.list,
        done: t.at,
        total: t.data.length,
        blocks: t.blocksAcked,
      });
    }
    if (t.block > 0 && t.at >= t.data.length) {
      t.complete = true;
      if (t.list === LIST.audit) this.auditComplete = true;
      return;
    }
    const size = this.blockSize();
    const chunk = t.data.subarray(t.at, t.at + size);
    t.at += chunk.length;
    const last = t.at >= t.data.length;
    // block numbers count from 0 and wrap after 0xFF (one byte; our stated rule, the standard is silent)
    const number = t.block & 0xff;
    t.block++;
    this.link.send(encodeApp({ kind: "block", number, data: chunk }), last && t.unknownLength);
  }
}
