import { ADDRESSES, type PeripheralReply } from "../link.js";
import { DeviceMaster, type LineOptions } from "./device-master.js";
import { type Pending, Poller } from "./poller.js";
import {
  readValidatorPoll,
  VALIDATOR_COMMANDS,
  VALIDATOR_IDENTIFICATION,
  VALIDATOR_SETUP,
  VALIDATOR_STACKER,
} from "./validator-messages.js";

const A = ADDRESSES.billValidator;
/** Bill validator commands (MDB/ICP 4.3 §6). */
export const VALIDATOR = {
  reset: A | 0,
  setup: A | 1,
  security: A | 2,
  poll: A | 3,
  billType: A | 4,
  escrow: A | 5,
  stacker: A | 6,
  expansion: A | 7,
} as const;

/** A command's block, from its one declaration. */
const command = (m: Parameters<typeof VALIDATOR_COMMANDS.encode>[0]) =>
  Uint8Array.from(VALIDATOR_COMMANDS.encode(m, undefined));

export interface ValidatorSetup {
  readonly level: number;
  readonly currency: number;
  readonly scale: number;
  readonly decimals: number;
  readonly stackerCapacity: number;
  readonly security: number;
  readonly escrow: boolean;
  /** Value of bill types 0..15 in scaled units. */
  readonly credits: readonly number[];
}

export const VALIDATOR_STATUS = {
  1: "defective motor",
  2: "sensor problem",
  3: "validator busy",
  4: "ROM checksum error",
  5: "validator jammed",
  6: "validator was reset",
  7: "bill removed",
  8: "cash box out of position",
  9: "validator disabled",
  10: "invalid escrow request",
  11: "bill rejected",
  12: "possible credited bill removal",
} as const;

/** Where a bill went (POLL reply bits 6-4), by route number. */
export const BILL_ROUTES = [
  "stacked",
  "escrow",
  "returned",
  "to-recycler",
  "disabled-rejected",
  "recycler-manual-fill",
  "recycler-manual-dispense",
  "recycler-to-cashbox",
] as const;
export type BillRoute = (typeof BILL_ROUTES)[number];

export type ValidatorEvent =
  | { readonly type: "setup"; readonly setup: ValidatorSetup }
  | { readonly type: "bill"; readonly billType: number; readonly value: number; readonly route: BillRoute }
  | { readonly type: "status"; readonly code: number; readonly text: string }
  | { readonly type: "attempts-while-disabled"; readonly count: number }
  | { readonly type: "stacker"; readonly full: boolean; readonly count: number }
  | {
      readonly type: "identification";
      readonly manufacturer: string;
      readonly serial: string;
      readonly model: string;
      /** Software version, BCD as sent (0x0100: 1.00). */
      readonly version: number;
      readonly options: number | undefined;
    }
  | { readonly type: "lost" }
  | { readonly type: "bad-reply"; readonly detail: string };

/** Splits a validator POLL reply into events (§6.3 POLL), its items read from their one declaration. */
export function decodeValidatorPoll(bytes: Uint8Array, setup: ValidatorSetup | undefined): ValidatorEvent[] {
  return readValidatorPoll(bytes).map((item): ValidatorEvent => {
    if (item.kind === "bill")
      return {
        type: "bill",
        billType: item.billType,
        value: setup?.credits[item.billType] ?? 0,
        route: BILL_ROUTES[item.route] as BillRoute,
      };
    if (item.kind === "attempts") return { type: "attempts-while-disabled", count: item.count };
    const text = VALIDATOR_STATUS[item.code as keyof typeof VALIDATOR_STATUS];
    return text
      ? { type: "status", code: item.code, text }
      : { type: "bad-reply", detail: `unknown status ${item.code}` };
  });
}

/**
 * The VMC's driver for an MDB bill validator: after "validator was reset" it sends SETUP, the
 * security levels, STACKER and BILL TYPE; bills stopping in escrow are stacked or returned by
 * the `onEscrow` decision (e.g. "return when change is short", manual 4.8). Sans-I/O like
 * `CoinChangerMaster`.
 */
export class BillValidatorMaster extends DeviceMaster<ValidatorEvent> {
  setup: ValidatorSetup | undefined;
  protected readonly poller: Poller;
  protected readonly lostEvent: ValidatorEvent = { type: "lost" };
  private enableMask = 0xffff;

  constructor(
    private readonly options: {
      pollInterval?: number;
      nonResponse?: number;
      /** Security level per bill type (bit n high security). */
      security?: number;
      /** Whether to stack a bill held in escrow (true) or return it. */
      onEscrow?: (billType: number, value: number) => boolean;
    } & LineOptions = {},
  ) {
    super(options);
    this.poller = new Poller(
      () => ({ bytes: command({ type: "poll" }), onReply: (r) => this.onPoll(r) }),
      () => ({
        bytes: command({ type: "reset" }),
        onReply: () => {
          this.setup = undefined;
        },
      }),
      { pollInterval: options.pollInterval ?? 100, nonResponse: options.nonResponse ?? 5000 },
    );
    this.poller.enqueue({ bytes: command({ type: "reset" }), onReply: () => {} });
  }

  /** Which bill types to accept (bit n = type n); 0 disables the validator. */
  enableBills(mask: number): void {
    this.enableMask = mask;
    this.poller.enqueue(this.billTypeCommand());
  }

  private billTypeCommand(): Pending {
    const m = this.enableMask;
    return {
      bytes: command({ type: "bill-type", enable: m, escrow: m }),
      onReply: () => {},
    };
  }

  private onPoll(r: PeripheralReply): void {
    if (r.kind !== "data") return;
    const events = decodeValidatorPoll(r.bytes, this.setup);
    this.events.push(...events);
    for (const e of events) {
      if (e.type === "status" && e.code === 6) this.initialise();
      if (e.type === "bill" && e.route === "escrow") {
        const stack = this.options.onEscrow?.(e.billType, e.value) ?? true;
        this.poller.enqueue({ bytes: command({ type: "escrow", stack: stack ? 1 : 0 }), onReply: () => {} });
      }
      if (e.type === "bill" && e.route === "stacked") this.readStacker();
    }
  }

  private readStacker(): void {
    this.poller.enqueue({
      bytes: command({ type: "stacker" }),
      onReply: (r) => {
        const stacker =
          r.kind === "data" ? VALIDATOR_STACKER.decode(r.bytes, undefined, "ignore") : undefined;
        if (stacker?.ok !== true) return this.bad("STACKER is 2 bytes");
        const v = stacker.value.stacker;
        this.events.push({ type: "stacker", full: (v & 0x8000) !== 0, count: v & 0x7fff });
      },
    });
  }

  private initialise(): void {
    this.poller.clear();
    this.poller.enqueue({
      bytes: command({ type: "setup" }),
      onReply: (r) => {
        // Z1-Z11 must come; the bill type credits Z12-Z27 may stop early, unsent types are zero
        // (MDB 4.3 p. 6-4)
        const setup = r.kind === "data" ? VALIDATOR_SETUP.decode(r.bytes, undefined) : undefined;
        if (setup?.ok !== true) return this.bad("SETUP is shorter than its 11 fixed bytes");
        const { credits, escrow, ...fixed } = setup.value;
        this.setup = {
          ...fixed,
          escrow: escrow === 0xff,
          credits: Array.from({ length: 16 }, (_, t) => credits[t] ?? 0),
        };
        this.events.push({ type: "setup", setup: this.setup });
        // EXPANSION IDENTIFICATION: 37 00 at level 1 (29 bytes), 37 02 with option bits above (33)
        // (pp. 6-11, 6-12). These are fixed fields with no "unsent bytes" rule in MDB 4.3: a
        // shorter answer is refused, a longer one read up to its known fields.
        const withOptions = this.setup.level >= 2;
        this.poller.enqueue({
          bytes: command({ type: withOptions ? "identification-with-options" : "identification" }),
          onReply: (r) => {
            const id =
              r.kind === "data"
                ? VALIDATOR_IDENTIFICATION.decode(r.bytes, { withOptions }, "ignore")
                : undefined;
            if (id?.ok !== true) return this.bad("EXPANSION ID is too short");
            this.events.push({ type: "identification", ...id.value, options: id.value.options });
          },
        });
        const sec = this.options.security ?? 0;
        this.poller.enqueue({
          bytes: command({ type: "security", levels: sec }),
          onReply: () => {},
        });
        this.readStacker();
        this.poller.enqueue(this.billTypeCommand());
      },
    });
  }

  private bad(detail: string): void {
    this.events.push({ type: "bad-reply", detail });
  }
}
