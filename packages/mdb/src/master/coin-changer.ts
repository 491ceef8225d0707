import { ADDRESSES, type PeripheralReply } from "../link.js";
import {
  CHANGER_COMMANDS,
  CHANGER_IDENTIFICATION,
  CHANGER_SETUP,
  CHANGER_TUBES,
  type ChangerPollItem,
  readChangerPoll,
} from "./changer-messages.js";
import { DeviceMaster, type LineOptions } from "./device-master.js";
import { type Pending, Poller } from "./poller.js";

const A = ADDRESSES.changer;
/** Coin changer commands (MDB/ICP 4.3 §5). */
export const CHANGER = {
  reset: A | 0,
  setup: A | 1,
  tubeStatus: A | 2,
  poll: A | 3,
  coinType: A | 4,
  dispense: A | 5,
  expansion: A | 7,
} as const;

/** A command's block, from its one declaration. */
const command = (m: Parameters<typeof CHANGER_COMMANDS.encode>[0]) =>
  Uint8Array.from(CHANGER_COMMANDS.encode(m, undefined));

export interface ChangerSetup {
  readonly level: number;
  readonly currency: number;
  readonly scale: number;
  readonly decimals: number;
  /** Bit n set: coin type n can go to a tube. */
  readonly routing: number;
  /** Credit of coin types 0..15 in scaled units (0xFF token, 0 unused). */
  readonly credits: readonly number[];
}

export interface TubeStatus {
  readonly full: number;
  readonly counts: readonly number[];
}

export const CHANGER_STATUS = {
  1: "escrow request",
  2: "changer payout busy",
  3: "no credit",
  4: "defective tube sensor",
  5: "double arrival",
  6: "acceptor unplugged",
  7: "tube jam",
  8: "ROM checksum error",
  9: "coin routing error",
  10: "changer busy",
  11: "changer was reset",
  12: "coin jam",
  13: "possible credited coin removal",
} as const;

export type ChangerEvent =
  | { readonly type: "setup"; readonly setup: ChangerSetup }
  | { readonly type: "tubes"; readonly tubes: TubeStatus }
  | {
      readonly type: "identification";
      readonly manufacturer: string;
      readonly serial: string;
      readonly model: string;
      /** Software version, BCD as sent (0x0100: 1.00). */
      readonly version: number;
      readonly features: number;
    }
  | {
      readonly type: "deposited";
      readonly coinType: number;
      /** Scaled value of the coin (from SETUP), 0 if unknown. */
      readonly value: number;
      readonly routing: "cashbox" | "tubes" | "reject";
      readonly inTube: number;
    }
  | {
      readonly type: "dispensed-manually";
      readonly coinType: number;
      readonly count: number;
      readonly inTube: number;
    }
  | { readonly type: "status"; readonly code: number; readonly text: string }
  | { readonly type: "slugs"; readonly count: number }
  | {
      readonly type: "payout";
      readonly value: number;
      readonly coins: readonly number[];
      readonly method: "alternative" | "dispense";
    }
  | { readonly type: "diagnostics"; readonly codes: readonly (readonly [number, number])[] }
  /**
   * SEND CONTROLLED MANUAL FILL / PAYOUT REPORT (0F 06 / 0F 07, L3 feature b2): coins added or
   * paid per type during the changer's controlled manual mode.
   */
  | { readonly type: "manual-report"; readonly kind: "fill" | "payout"; readonly coins: readonly number[] }
  | { readonly type: "lost" }
  | { readonly type: "bad-reply"; readonly detail: string };

/**
 * The 16 per-coin-type bytes of a reply that may stop early. MDB 4.3 lets changers leave out the
 * trailing coin types of SETUP (Z8-Z23), TUBE STATUS (Z3-Z18) and PAYOUT STATUS (Z1-Z16), and says
 * the unsent bytes are zero (pp. 5-4, 5-5, 5-13); real changers send 4- and 5-byte answers.
 */
export function coinTypeBytes(bytes: Uint8Array, from: number): number[] {
  return Array.from({ length: 16 }, (_, t) => bytes[from + t] ?? 0);
}

/** One POLL reply item as the driver reports it (a deposit's value from SETUP). */
function changerEvent(item: ChangerPollItem, setup: ChangerSetup | undefined): ChangerEvent {
  switch (item.kind) {
    case "dispensed":
      return { type: "dispensed-manually", coinType: item.coinType, count: item.count, inTube: item.inTube };
    case "deposited":
      return {
        type: "deposited",
        coinType: item.coinType,
        value: setup?.credits[item.coinType] ?? 0,
        routing: item.route === 0 ? "cashbox" : item.route === 1 ? "tubes" : "reject",
        inTube: item.inTube,
      };
    case "slugs":
      return { type: "slugs", count: item.count };
    case "status": {
      const text = CHANGER_STATUS[item.code as keyof typeof CHANGER_STATUS];
      return text
        ? { type: "status", code: item.code, text }
        : { type: "bad-reply", detail: `unknown status ${item.code}` };
    }
  }
}

/** Splits a changer POLL reply into events (§5.3 POLL), its items read from their one declaration. */
export function decodeChangerPoll(bytes: Uint8Array, setup: ChangerSetup | undefined): ChangerEvent[] {
  const { items, problem } = readChangerPoll(bytes);
  const out = items.map((item) => changerEvent(item, setup));
  return problem === undefined ? out : [...out, { type: "bad-reply", detail: problem.detail }];
}

/**
 * The VMC's driver for an MDB coin changer: initialises it after RESET (POLL until "changer was
 * reset", SETUP, TUBE STATUS, EXPANSION ID at level 3, COIN TYPE), then polls it, reads tubes
 * after each deposit or payout, and dispenses on request. A machine in 9-bit words (see
 * `DeviceMaster`): commands such as `dispense` queue a block that goes out at the next `tick`.
 */
export class CoinChangerMaster extends DeviceMaster<ChangerEvent> {
  setup: ChangerSetup | undefined;
  tubes: TubeStatus | undefined;
  protected readonly poller: Poller;
  protected readonly lostEvent: ChangerEvent = { type: "lost" };
  private enableMask = 0xffff;
  /**
   * L3 features the changer offers and we enabled (b0 alternative payout, b1 extended
   * diagnostics, b2 controlled manual fill and payout reports).
   */
  features = 0;
  /** The last controlled manual fill and payout reports, per coin type. */
  readonly manualCounts = { fill: Array<number>(16).fill(0), payout: Array<number>(16).fill(0) };

  constructor(options: { pollInterval?: number; nonResponse?: number } & LineOptions = {}) {
    super(options);
    this.poller = new Poller(
      () => ({ bytes: command({ type: "poll" }), onReply: (r) => this.onPoll(r) }),
      () => this.resetCommand(),
      { pollInterval: options.pollInterval ?? 100, nonResponse: options.nonResponse ?? 2000 },
    );
    this.poller.enqueue(this.resetCommand());
  }

  /** Which coin types to accept (bit n = type n). */
  enableCoins(mask: number): void {
    this.enableMask = mask;
    this.poller.enqueue(this.coinTypeCommand());
  }

  /** Pays out `count` (1..15) coins of `coinType` from the tubes. */
  dispense(coinType: number, count: number): void {
    this.poller.enqueue({
      bytes: command({ type: "dispense", coins: ((count & 0x0f) << 4) | (coinType & 0x0f) }),
      onReply: () => this.readTubes(),
    });
  }

  /**
   * Pays `value` (scaled units) in change: with EXPANSION ALTERNATIVE PAYOUT where the changer
   * offers it (then PAYOUT VALUE POLL until a bare ACK, then PAYOUT STATUS), otherwise with
   * DISPENSE commands, largest coins first, from what the tubes hold. Reports a `payout` event.
   */
  payout(value: number): void {
    if (this.features & 1) {
      this.poller.enqueue({
        bytes: command({ type: "alternative-payout", value: Math.min(255, value) }),
        onReply: () => this.pollPayout(),
      });
      return;
    }
    const plan = this.dispensePlan(value);
    plan.forEach((count, type) => {
      for (let left = count; left > 0; left -= 15) this.dispense(type, Math.min(15, left));
    });
    const paid = plan.reduce((sum, n, t) => sum + n * (this.setup?.credits[t] ?? 0), 0);
    this.events.push({ type: "payout", value: paid, coins: plan, method: "dispense" });
  }

  /** Asks for the changer's diagnostic status (EXPANSION 05, L3). */
  diagnose(): void {
    this.poller.enqueue({
      bytes: command({ type: "diagnostic-status" }),
      onReply: (r) => {
        if (r.kind !== "data" || r.bytes.length % 2 !== 0)
          return this.bad("DIAGNOSTIC STATUS comes in byte pairs");
        const codes: [number, number][] = [];
        for (let i = 0; i < r.bytes.length; i += 2)
          codes.push([r.bytes[i] as number, r.bytes[i + 1] as number]);
        this.events.push({ type: "diagnostics", codes });
      },
    });
  }

  /**
   * Asks for the controlled manual fill or payout report (0F 06 / 0F 07), as MDB 4.3 advises after
   * power on, a changer reset and the door closing. Unlike the other short replies, a coin type
   * the changer leaves out keeps its previous count (p. 5-17: "assumed to be unchanged").
   */
  manualReport(kind: "fill" | "payout"): void {
    this.poller.enqueue({
      bytes: command({ type: kind === "fill" ? "manual-fill-report" : "manual-payout-report" }),
      onReply: (r) => {
        if (r.kind !== "data") return this.bad(`MANUAL ${kind.toUpperCase()} REPORT carried no data`);
        const counts = this.manualCounts[kind];
        r.bytes.subarray(0, 16).forEach((n, t) => {
          counts[t] = n;
        });
        this.events.push({ type: "manual-report", kind, coins: [...counts] });
      },
    });
  }

  /** Coins per type to pay `value` from the tubes, largest first (what DISPENSE can do). */
  dispensePlan(value: number): number[] {
    const plan = Array<number>(16).fill(0);
    if (!this.setup || !this.tubes) return plan;
    const types = Array.from({ length: 16 }, (_, t) => t)
      .filter((t) => (this.setup?.routing ?? 0) & (1 << t) && (this.setup?.credits[t] ?? 0) > 0)
      .sort((a, b) => (this.setup?.credits[b] ?? 0) - (this.setup?.credits[a] ?? 0));
    let left = value;
    for (const t of types) {
      const credit = this.setup.credits[t] as number;
      const n = Math.min(Math.floor(left / credit), this.tubes.counts[t] ?? 0);
      plan[t] = n;
      left -= n * credit;
    }
    return plan;
  }

  private pollPayout(): void {
    this.poller.enqueue({
      bytes: command({ type: "payout-value-poll" }),
      onReply: (r) => {
        if (r.kind === "data") return this.pollPayout();
        this.payoutStatus();
      },
    });
  }

  private payoutStatus(): void {
    this.poller.enqueue({
      bytes: command({ type: "payout-status" }),
      onReply: (status) => {
        // a bare ACK: the payout is still busy (p. 5-13 note 1); ask again
        if (status.kind !== "data") return this.payoutStatus();
        const coins = coinTypeBytes(status.bytes, 0);
        const value = coins.reduce((sum, n, t) => sum + n * (this.setup?.credits[t] ?? 0), 0);
        this.events.push({ type: "payout", value, coins, method: "alternative" });
        this.readTubes();
      },
    });
  }

  /** The largest value the tubes can pay in change, in scaled units. */
  changeAvailable(): number {
    if (!this.setup || !this.tubes) return 0;
    let total = 0;
    for (let t = 0; t < 16; t++) {
      if ((this.setup.routing >> t) & 1) total += (this.setup.credits[t] ?? 0) * (this.tubes.counts[t] ?? 0);
    }
    return total;
  }

  private resetCommand(): Pending {
    return {
      bytes: command({ type: "reset" }),
      onReply: () => {
        this.setup = undefined;
        this.tubes = undefined;
      },
    };
  }

  private coinTypeCommand(): Pending {
    return {
      bytes: command({ type: "coin-type", enable: this.enableMask, manual: 0xffff }),
      onReply: () => {},
    };
  }

  private readTubes(): void {
    this.poller.enqueue({
      bytes: command({ type: "tube-status" }),
      onReply: (r) => {
        // Z1-Z2 (tube full) must come; unsent tube counts are zero
        const t = r.kind === "data" ? CHANGER_TUBES.decode(r.bytes, undefined) : undefined;
        if (t?.ok !== true) return this.bad("TUBE STATUS has no tube full status");
        this.tubes = { full: t.value.full, counts: coinTypeBytes(Uint8Array.from(t.value.counts), 0) };
        this.events.push({ type: "tubes", tubes: this.tubes });
      },
    });
  }

  private onPoll(r: PeripheralReply): void {
    if (r.kind !== "data") return;
    const events = decodeChangerPoll(r.bytes, this.setup);
    this.events.push(...events);
    if (events.some((e) => e.type === "status" && e.code === 11)) this.initialise();
    else if (events.some((e) => e.type === "deposited" || e.type === "dispensed-manually")) this.readTubes();
  }

  private initialise(): void {
    this.poller.clear();
    this.poller.enqueue({
      bytes: command({ type: "setup" }),
      onReply: (r) => {
        // Z1-Z7 must come; the coin type credits Z8-Z23 stop where the changer's types do
        const setup = r.kind === "data" ? CHANGER_SETUP.decode(r.bytes, undefined) : undefined;
        if (setup?.ok !== true) return this.bad("SETUP is shorter than its 7 fixed bytes");
        this.setup = { ...setup.value, credits: coinTypeBytes(Uint8Array.from(setup.value.credits), 0) };
        this.events.push({ type: "setup", setup: this.setup });
        if (this.setup.level >= 3) {
          this.poller.enqueue({
            bytes: command({ type: "identification" }),
            onReply: (r) => {
              // 33 fixed bytes (p. 5-12): unlike the coin type lists, MDB 4.3 gives no
              // "unsent bytes" rule for the identification, so a shorter answer is refused
              const id =
                r.kind === "data" ? CHANGER_IDENTIFICATION.decode(r.bytes, undefined, "ignore") : undefined;
              if (id?.ok !== true) return this.bad("EXPANSION ID is 33 bytes");
              const offered = id.value.features;
              this.events.push({ type: "identification", ...id.value });
              // enable alternative payout, extended diagnostics and the controlled manual
              // fill/payout reports where offered (§5, EXPANSION 01)
              this.features = offered & 0b111;
              if (this.features !== 0) {
                this.poller.enqueue({
                  bytes: command({ type: "feature-enable", features: this.features }),
                  onReply: () => {},
                });
              }
              if (this.features & 0b100) {
                this.manualReport("fill");
                this.manualReport("payout");
              }
            },
          });
        }
        this.readTubes();
        this.poller.enqueue(this.coinTypeCommand());
      },
    });
  }

  private bad(detail: string): void {
    this.events.push({ type: "bad-reply", detail });
  }
}
