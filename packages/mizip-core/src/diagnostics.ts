/**
 * What the reader shows on its LEDs (MiZip Plus manual 5.1) and the error codes it counts
 * (manual 7.5 list 14, shown as "E n" on the programmer).
 */

/** The reader's LEDs: green and red above the key slot, blue around it. */
export type LedPattern =
  | { readonly kind: "steady"; readonly green: boolean; readonly red: boolean; readonly blue: boolean }
  /** A repeating group of `red` red flashes then `green` green flashes (1 + 1 = alternating). */
  | { readonly kind: "flashes"; readonly red: number; readonly green: number; readonly blue: boolean };

export type ReaderState =
  | { readonly state: "idle" }
  | { readonly state: "no-vmc" }
  | { readonly state: "parameter-error"; readonly parameter: number | string }
  | { readonly state: "audit-integrity" }
  | { readonly state: "maxi-box-full" };

/** What the payment core knows when it decides what to show without a key inserted. */
export interface ReaderCondition {
  /** Numbers of parameters that fail validation, lowest first, then settings without one (`validateParameters`). */
  readonly parameterErrors: readonly (number | string)[];
  /** Check audit is ON and the statistics failed their integrity check (4.10.8). */
  readonly auditLocked: boolean;
  /** Maxi Box is ON (not overwrite) and full (4.15). */
  readonly maxiBoxFull: boolean;
  /** The VMC talks to the reader. */
  readonly vmcOnline: boolean;
  /** Executive protocol with a bill acceptor enabled: blue stays on while the VMC is silent. */
  readonly executiveWithBills?: boolean;
}

/**
 * The state to show. The manual lists the patterns but not which wins when several causes hold;
 * ours: a parameter error first (nothing else can be trusted), then the audit lock and a full
 * Maxi Box (both stop sales), then a silent VMC.
 */
export function readerState(c: ReaderCondition): ReaderState {
  const parameter = c.parameterErrors[0];
  if (parameter !== undefined) return { state: "parameter-error", parameter };
  if (c.auditLocked) return { state: "audit-integrity" };
  if (c.maxiBoxFull) return { state: "maxi-box-full" };
  if (!c.vmcOnline) return { state: "no-vmc" };
  return { state: "idle" };
}

/** The LED pattern of manual 5.1 for a state. */
export function ledPattern(s: ReaderState, c: Pick<ReaderCondition, "executiveWithBills"> = {}): LedPattern {
  switch (s.state) {
    case "idle":
      return { kind: "steady", green: true, red: false, blue: true };
    case "no-vmc":
      return { kind: "flashes", red: 1, green: 1, blue: c.executiveWithBills === true };
    case "parameter-error":
      return { kind: "flashes", red: 2, green: 1, blue: false };
    case "audit-integrity":
      return { kind: "flashes", red: 4, green: 1, blue: false };
    case "maxi-box-full":
      return { kind: "flashes", red: 5, green: 1, blue: false };
  }
}

/** Sales are possible only when idle. */
export const canSell = (s: ReaderState): boolean => s.state === "idle";

/**
 * A key that is read but refused (credit above max usable, codes, black list) flashes red/green
 * with blue off; a key that cannot be read at all (reader fault, 1- vs 3-purse key, badly
 * programmed key) leaves the LEDs green and blue, without the red flash of a read (manual 5.1).
 */
export function keyLedPattern(outcome: "refused" | "unreadable"): LedPattern {
  return outcome === "refused"
    ? { kind: "flashes", red: 1, green: 1, blue: false }
    : { kind: "steady", green: true, red: false, blue: true };
}

/** The error counters ERR 1..16 (manual 7.5 list 14); 3-5 are reserved. */
export const ERROR_CODES = {
  1: "key read error (credit area altered)",
  2: "wrong codes",
  6: "wrong key function code",
  7: "key credit above max usable credit",
  8: "failed vend",
  9: "key write error",
  10: "Maxi Key / Data Key link error",
  11: "recharge-key credit cancelled",
  12: "unverified key write",
  13: "black-listed key",
  14: "credit area restored",
  15: "test vend",
  16: "1-purse / 3-purse key mismatch",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** True for the numbers the manual defines (1, 2, 6..16). */
export const isErrorCode = (n: number): n is ErrorCode => Object.hasOwn(ERROR_CODES, n);

/** "E 13" as the programmer shows an error. */
export const errorLabel = (code: ErrorCode): string => `E ${code}`;
