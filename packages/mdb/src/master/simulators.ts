import {
  CHANGER_COMMANDS,
  CHANGER_IDENTIFICATION,
  CHANGER_SETUP,
  CHANGER_TUBES,
  type ChangerPollItem,
  writeChangerPoll,
} from "./changer-messages.js";
import {
  VALIDATOR_COMMANDS,
  VALIDATOR_IDENTIFICATION,
  VALIDATOR_SETUP,
  VALIDATOR_STACKER,
  type ValidatorPollItem,
  writeValidatorPoll,
} from "./validator-messages.js";

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
  /** What the next POLLs report, oldest first. */
  private events: ChangerPollItem[] = [{ kind: "status", code: 11 }];
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
      this.events.push({ kind: "deposited", coinType: type, route: 3, inTube: this.tubes[type] ?? 0 });
      return;
    }
    const toTube = ((this.routing >> type) & 1) === 1 && (this.tubes[type] ?? 0) < TUBE_CAPACITY;
    if (toTube) this.tubes[type] = (this.tubes[type] ?? 0) + 1;
    else this.cashbox += this.credits[type] ?? 0;
    this.events.push({
      kind: "deposited",
      coinType: type,
      route: toTube ? 1 : 0,
      inTube: this.tubes[type] ?? 0,
    });
  }

  /** The service engineer pays out coins with the changer's buttons. */
  manualDispense(type: number, count: number): void {
    const n = Math.min(count, this.tubes[type] ?? 0, 7);
    this.tubes[type] = (this.tubes[type] ?? 0) - n;
    this.events.push({ kind: "dispensed", coinType: type, count: n, inTube: this.tubes[type] ?? 0 });
  }

  /** The customer presses the escrow (coin return) lever: the changer reports status 01. */
  pressEscrowLever(): void {
    this.events.push({ kind: "status", code: 1 });
  }

  jam(): void {
    this.events.push({ kind: "status", code: 12 });
  }

  handleBlock(block: Uint8Array): Uint8Array | undefined {
    if (this.silent) return undefined;
    const decoded = CHANGER_COMMANDS.decode(block, undefined);
    if (!decoded.ok) return undefined; // not a command it knows: silence
    const c = decoded.message;
    const none = new Uint8Array(0);
    switch (c.type) {
      case "reset":
        this.events = [{ kind: "status", code: 11 }]; // changer was reset
        this.enabled = 0;
        return none;
      case "setup":
        return CHANGER_SETUP.encode(
          {
            level: 3,
            currency: 0x1978,
            scale: 1,
            decimals: 2,
            routing: this.routing,
            credits: this.perType(this.credits),
          },
          undefined,
        );
      case "tube-status": {
        const full = this.tubes.reduce((m, n, i) => (n >= TUBE_CAPACITY ? m | (1 << i) : m), 0);
        return CHANGER_TUBES.encode(
          { full, counts: this.perType(this.tubes.map((n) => Math.min(255, n))) },
          undefined,
        );
      }
      case "poll": {
        // as many items as fit the 16 bytes of a reply, whole
        let n = 0;
        while (n < this.events.length && writeChangerPoll(this.events.slice(0, n + 1)).length <= 16) n++;
        const out = Uint8Array.from(writeChangerPoll(this.events.slice(0, n)));
        this.events = this.events.slice(n);
        return out;
      }
      case "coin-type":
        this.enabled = c.enable;
        return none;
      case "dispense": {
        const type = c.coins & 0x0f;
        const count = c.coins >> 4;
        this.tubes[type] = Math.max(0, (this.tubes[type] ?? 0) - count);
        return none;
      }
      case "identification":
        return CHANGER_IDENTIFICATION.encode(
          {
            manufacturer: "VKT",
            serial: "000000000042",
            model: "CHANGER-SIM ",
            version: 0x0100,
            features: this.features,
          },
          undefined,
        );
      case "alternative-payout": {
        // largest coins first from the tubes
        let left = c.value;
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
        return none;
      }
      case "payout-value-poll": {
        // the value so far while busy, then a bare ACK
        const coins = this.payoutCoins;
        if (this.payoutPolls-- > 0 && coins)
          return Uint8Array.of(coins.reduce((sum, n, t) => sum + n * (this.credits[t] ?? 0), 0) & 0xff);
        return none;
      }
      case "payout-status":
        return Uint8Array.from(this.perType(this.payoutCoins ?? Array(16).fill(0)));
      case "diagnostic-status":
        return Uint8Array.of(0x03, 0x00);
      case "manual-fill-report":
      case "manual-payout-report":
        if (!(this.features & 0b100)) return none;
        return Uint8Array.from(
          this.perType(c.type === "manual-fill-report" ? this.manual.fill : this.manual.payout),
        );
      case "feature-enable":
        return none;
    }
  }
}

/** An MDB bill validator (level 1) with escrow, a stacker and jams, like `CoinChangerSimulator`. */
export class BillValidatorSimulator {
  stacked = 0;
  /** What the next POLLs report, oldest first. */
  private events: ValidatorPollItem[] = [{ kind: "status", code: 6 }];
  private enabled = 0;
  private inEscrow: number | undefined;

  constructor(readonly credits: readonly number[] = [5, 10, 20, 50, ...Array(12).fill(0)]) {}

  /** A bill of `type` goes in and waits in escrow; refused when its type is not enabled. */
  insertBill(type: number): void {
    if (!((this.enabled >> type) & 1) || this.inEscrow !== undefined) {
      this.events.push({ kind: "bill", billType: type, route: 4 }); // disabled bill rejected
      return;
    }
    this.inEscrow = type;
    this.events.push({ kind: "bill", billType: type, route: 1 }); // held in escrow
  }

  jam(): void {
    this.events.push({ kind: "status", code: 5 });
  }

  handleBlock(block: Uint8Array): Uint8Array | undefined {
    const decoded = VALIDATOR_COMMANDS.decode(block, undefined);
    if (!decoded.ok) return undefined; // not a command it knows: silence
    const c = decoded.message;
    const none = new Uint8Array(0);
    switch (c.type) {
      case "reset":
        this.events = [{ kind: "status", code: 6 }]; // validator was reset
        this.enabled = 0;
        this.inEscrow = undefined;
        return none;
      case "setup":
        return VALIDATOR_SETUP.encode(
          {
            level: 1,
            currency: 0x1978,
            scale: 100,
            decimals: 2,
            stackerCapacity: 500,
            security: 0,
            escrow: 0xff,
            credits: this.credits.slice(0, 16),
          },
          undefined,
        );
      case "poll": {
        const out = Uint8Array.from(writeValidatorPoll(this.events.slice(0, 16)));
        this.events = this.events.slice(16);
        return out;
      }
      case "bill-type":
        this.enabled = c.enable;
        return none;
      case "escrow": {
        if (this.inEscrow === undefined) {
          this.events.push({ kind: "status", code: 10 });
          return none;
        }
        const type = this.inEscrow;
        this.inEscrow = undefined;
        if (c.stack === 1) this.stacked++;
        this.events.push({ kind: "bill", billType: type, route: c.stack === 1 ? 0 : 2 }); // stacked or returned
        return none;
      }
      case "stacker":
        return VALIDATOR_STACKER.encode({ stacker: this.stacked }, undefined);
      case "security":
        return none;
      case "identification":
        return VALIDATOR_IDENTIFICATION.encode(
          { manufacturer: "VKT", serial: "000000000043", model: "VALIDATOR-SM", version: 0x0100 },
          { withOptions: false },
        );
      case "identification-with-options":
        return none;
    }
  }
}
