import type { NumericName, SystemParameters } from "./parameters.js";
import { PaymentError } from "./payment-types.js";

/**
 * A parallel coin validator or bill acceptor on the reader (manual 4.6.3, 4.7.3): each coin or
 * bill it takes is one pulse on the line of its type. The reader inhibits the lines while it
 * takes no cash; a pulse that comes is a coin or bill the device has already taken, so it always
 * becomes money.
 */
export interface PulseInput {
  /** A pulse on line `channel` (coins 1-8, bills 1-4) at `now`. */
  pulse(channel: number, now: number): Promise<void>;
}

/** Where a line's money goes: the payment system's `coin` or `bill`. */
export interface PulseSink {
  coin(value: number, now: number, type?: number): Promise<void>;
  bill(value: number, now: number, type?: number): Promise<void>;
}

/** 20001 VALIDATOR TYPE binary 1 and binary 2 (manual 4.6.2): up to 15 coins. */
const BINARY = [2, 3];

/**
 * The parameter holding a line's value: coins 1-8 20002-20009; with a binary validator coin 9
 * 20010 and the national coins 1-6 on lines 10-15, 20011-20016 (4.6.3); bills 1-4 21002-21005.
 */
function lineValue(kind: "coin" | "bill", line: number): NumericName {
  if (kind === "bill") return `bill${line}Value` as NumericName;
  if (line <= 8) return `coin${line}Value` as NumericName;
  return (line === 9 ? "binaryCoin9Value" : `nationalCoinValue${line - 9}`) as NumericName;
}

/**
 * The parallel validator's (`"coin"`, lines 1-8 worth 20002-20009; 1-15 with a binary one, see
 * `lineValue`) or bill acceptor's (`"bill"`, lines 1-4 worth 21002-21005) pulse lines. A line with no value programmed, or out of range, is
 * a typed `PaymentError` (`INVALID_AMOUNT`): nothing is credited.
 */
export function parallelInput(
  kind: "coin" | "bill",
  params: () => SystemParameters,
  sink: PulseSink,
): PulseInput {
  return {
    async pulse(channel, now) {
      const p = params();
      const lines = kind === "bill" ? 4 : BINARY.includes(p.numeric.validatorType) ? 15 : 8;
      if (!Number.isInteger(channel) || channel < 1 || channel > lines)
        throw new PaymentError("INVALID_AMOUNT", `a ${kind} pulse on line ${channel}: lines are 1..${lines}`);
      const value = p.numeric[lineValue(kind, channel)];
      if (!(value > 0))
        throw new PaymentError("INVALID_AMOUNT", `${kind} line ${channel} has no value programmed`);
      await (kind === "coin" ? sink.coin(value, now, channel) : sink.bill(value, now, channel));
    },
  };
}
