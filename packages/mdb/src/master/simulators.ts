import { writeUint } from "../cashless/context.js";
import { VALIDATOR } from "./bill-validator.js";
import { CHANGER } from "./coin-changer.js";

const TUBE_CAPACITY = 50;

/**
 * An MDB coin changer (level 3) for tests and the reference device: coin types with credits and
 * routing, tubes that fill up to 50 coins, deposits, payouts and manual dispensing, jams.
 * `handleBlock` answers a command block (address first, CHK removed) with the response data
 * (empty = ACK), or undefined for silence.
 */
export class CoinChangerSimulator {
  readonly tubes: number[];
  cashbox = 0;
  private events: number[] = [11];
  private enabled = 0;
  private payoutCoins: number[] | undefined;
  private payoutPolls = 0;
  private readonly manual = { fill: Array<number>(16).fill(0), payout: Array<number>(16).fill(0) };
  silent = false;
  /**
   * Answer as real changers do: the per-coin-type lists (SETUP credits, tube counts, payout
   * status, manual reports) stop after the last coin type in use (MDB 4.3: unsent bytes are zero).
   */
  shortReplies = false;

  constructor(
    readonly credits: readonly number[] = [5, 10, 20, 50, 100, 200, ...Array(10).fill(0)],
    readonly routing = 0b1111,
    tubes: readonly number[] = Array(16).fill(0),
    /** L3 features offered: b0 alternative payout, b1 extended diagnostics, b2 manual fill/payout reports. */
    readonly features = 0,
  ) {
    this.tubes = Array.from({ length: 16 }, (_, i) => tubes[i] ?? 0);
  }

  /** The per-coin-type list as sent: whole, or cut after the last coin type in use. */
  private perType(list: readonly number[]): number[] {
    if (!this.shortReplies) return list.slice(0, 16);
    let used = 16;
    while (used > 1 && !this.credits[used - 1]) used--;
    return list.slice(0, used);
  }

  /** Coins put into the tubes in the changer's controlled manual fill mode (not reported by POLL). */
  controlledFill(type: number, count: number): void {
    this.tubes[type] = (this.tubes[type] ?? 0) + count;
    this.manual.fill[type] = Math.min(255, (this.manual.fill[type] ?? 0) + count);
  }

  /** Coins paid from the tubes in the changer's controlled manual payout mode. */
  controlledPayout(type: number, count: number): void {
    const n = Math.min(count, this.tubes[type] ?? 0);
    this.tubes[type] = (this.tubes[type] ?? 0) - n;
    this.manual.payout[type] = Math.min(255, (this.manual.payout[type] ?? 0) + n);
  }

  /** A coin of `type` goes in; refused (to reject) when its type is not enabled. */
  insertCoin(type: number): void {
    if (!((this.enabled >> type) & 1)) {
      this.events.push(0x40 | (3 << 4) | type, this.tubes[type] ?? 0);
      return;
    }
    const toTube = ((this.routing >> type) & 1) === 1 && (this.tubes[type] ?? 0) < TUBE_CAPACITY;
    if (toTube) this.tubes[type] = (this.tubes[type] ?? 0) + 1;
    else this.cashbox += this.credits[type] ?? 0;
    this.events.push(0x40 | ((toTube ? 1 : 0) << 4) | type, this.tubes[type] ?? 0);
  }

  /** The service engineer pays out coins with the changer's buttons. */
  manualDispense(type: number, count: number): void {
    const n = Math.min(count, this.tubes[type] ?? 0, 7);
    this.tubes[type] = (this.tubes[type] ?? 0) - n;
    this.events.push(0x80 | (n << 4) | type, this.tubes[type] ?? 0);
  }

  /** The customer presses the escrow (coin return) lever: the changer reports status 01. */
  pressEscrowLever(): void {
    this.events.push(1);
  }

  jam(): void {
    this.events.push(12);
  }

  private expansion(bytes: Uint8Array): Uint8Array {
    switch (bytes[1]) {
      case 0x00:
        return Uint8Array.from(
          [..."VKT000000000042CHANGER-SIM "]
            .map((c) => c.charCodeAt(0))
            .concat([0x01, 0x00, 0, 0, 0, this.features]),
        );
      case 0x02: {
        // alternative payout: largest coins first from the tubes
        let left = bytes[2] ?? 0;
        const coins = Array<number>(16).fill(0);
        const order = this.credits
          .map((credit, type) => ({ credit, type }))
          .filter(({ credit, type }) => credit > 0 && (this.routing >> type) & 1)
          .sort((a, b) => b.credit - a.credit);
        for (const { credit, type } of order) {
          const n = Math.min(Math.floor(left / credit), this.tubes[type] ?? 0);
          coins[type] = n;
          this.tubes[type] = (this.tubes[type] ?? 0) - n;
          left -= n * credit;
        }
        this.payoutCoins = coins;
        this.payoutPolls = 2;
        return new Uint8Array(0);
      }
      case 0x04: {
        // payout value poll: the value so far while busy, then a bare ACK
        const coins = this.payoutCoins;
        if (this.payoutPolls-- > 0 && coins) {
          return Uint8Array.of(coins.reduce((sum, n, t) => sum + n * (this.credits[t] ?? 0), 0) & 0xff);
        }
        return new Uint8Array(0);
      }
      case 0x03:
        return Uint8Array.from(this.perType(this.payoutCoins ?? Array(16).fill(0)));
      case 0x05:
        return Uint8Array.of(0x03, 0x00);
      case 0x06:
      case 0x07:
        if (!(this.features & 0b100)) return new Uint8Array(0);
        return Uint8Array.from(this.perType(bytes[1] === 0x06 ? this.manual.fill : this.manual.payout));
      default:
        return new Uint8Array(0);
    }
  }

  handleBlock(bytes: Uint8Array): Uint8Array | undefined {
    if (this.silent) return undefined;
    const none = new Uint8Array(0);
    switch (bytes[0]) {
      case CHANGER.reset:
        this.events = [11];
        this.enabled = 0;
        return none;
      case CHANGER.setup: {
        const out = [3];
        writeUint(out, 0x1978, 2);
        out.push(1, 2);
        writeUint(out, this.routing, 2);
        out.push(...this.perType(this.credits));
        return Uint8Array.from(out);
      }
      case CHANGER.tubeStatus: {
        const out: number[] = [];
        const full = this.tubes.reduce((m, n, i) => (n >= TUBE_CAPACITY ? m | (1 << i) : m), 0);
        writeUint(out, full, 2);
        out.push(...this.perType(this.tubes.map((n) => Math.min(255, n))));
        return Uint8Array.from(out);
      }
      case CHANGER.poll: {
        const out = Uint8Array.from(this.events.slice(0, 16));
        this.events = this.events.slice(16);
        return out;
      }
      case CHANGER.coinType:
        this.enabled = ((bytes[1] ?? 0) << 8) | (bytes[2] ?? 0);
        return none;
      case CHANGER.dispense: {
        const type = (bytes[1] ?? 0) & 0x0f;
        const count = (bytes[1] ?? 0) >> 4;
        this.tubes[type] = Math.max(0, (this.tubes[type] ?? 0) - count);
        return none;
      }
      case CHANGER.expansion:
        return this.expansion(bytes);
      default:
        return undefined;
    }
  }
}

/** An MDB bill validator (level 1) with escrow, a stacker and jams, like `CoinChangerSimulator`. */
export class BillValidatorSimulator {
  stacked = 0;
  private events: number[] = [6];
  private enabled = 0;
  private inEscrow: number | undefined;

  constructor(readonly credits: readonly number[] = [5, 10, 20, 50, ...Array(12).fill(0)]) {}

  /** A bill of `type` goes in and waits in escrow; refused when its type is not enabled. */
  insertBill(type: number): void {
    if (!((this.enabled >> type) & 1) || this.inEscrow !== undefined) {
      this.events.push(0x80 | (4 << 4) | type);
      return;
    }
    this.inEscrow = type;
    this.events.push(0x80 | (1 << 4) | type);
  }

  jam(): void {
    this.events.push(5);
  }

  handleBlock(bytes: Uint8Array): Uint8Array | undefined {
    const none = new Uint8Array(0);
    switch (bytes[0]) {
      case VALIDATOR.reset:
        this.events = [6];
        this.enabled = 0;
        this.inEscrow = undefined;
        return none;
      case VALIDATOR.setup: {
        const out = [1];
        writeUint(out, 0x1978, 2);
        writeUint(out, 100, 2);
        out.push(2);
        writeUint(out, 500, 2);
        writeUint(out, 0, 2);
        out.push(0xff, ...this.credits.slice(0, 16));
        return Uint8Array.from(out);
      }
      case VALIDATOR.poll: {
        const out = Uint8Array.from(this.events.slice(0, 16));
        this.events = this.events.slice(16);
        return out;
      }
      case VALIDATOR.billType:
        this.enabled = ((bytes[1] ?? 0) << 8) | (bytes[2] ?? 0);
        return none;
      case VALIDATOR.escrow: {
        if (this.inEscrow === undefined) {
          this.events.push(10);
          return none;
        }
        const type = this.inEscrow;
        this.inEscrow = undefined;
        if (bytes[1] === 1) this.stacked++;
        this.events.push(0x80 | ((bytes[1] === 1 ? 0 : 2) << 4) | type);
        return none;
      }
      case VALIDATOR.stacker: {
        const out: number[] = [];
        writeUint(out, this.stacked, 2);
        return Uint8Array.from(out);
      }
      case VALIDATOR.security:
        return none;
      case VALIDATOR.expansion:
        if (bytes[1] === 0x00)
          return Uint8Array.from(
            [..."VKT000000000043VALIDATOR-SM"].map((c) => c.charCodeAt(0)).concat([0x01, 0x00]),
          );
        return none;
      default:
        return undefined;
    }
  }
}
