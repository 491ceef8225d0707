import type { PurseState } from "@vendkit/mifare-purse";
import type { PendingWrite } from "./key-journal.js";
import type { MaxiBoxEntry } from "./maxi-box.js";
import type { Counters } from "./statistics.js";

/**
 * How a key's pending write is settled when the key comes back (see key-journal.ts), decided
 * from how far its transaction counter moved since. Every outcome drops the journal entry.
 * - `count`: the write landed, or never happened; count `counts` and log `entry` (if any);
 * - `write`: write `state` on the key, and once it lands count `counts` (a key write with them);
 * - `recharge-key-credit`: the recharge key's use was taken; `value` waits for a sale key.
 * `doubt`: the key was also written elsewhere, so whether ours landed cannot be known; the
 * customer gets the benefit of the doubt and the case counts as an unverified write (ERR 12).
 */
export type Settlement = { readonly doubt: boolean } & (
  | { readonly action: "count"; readonly counts: Counters; readonly entry?: MaxiBoxEntry }
  | {
      readonly action: "write";
      readonly state: PurseState;
      readonly counts: Counters;
      readonly entry?: MaxiBoxEntry;
    }
  | { readonly action: "recharge-key-credit"; readonly value: number }
);

const sameState = (a: PurseState, b: PurseState) => JSON.stringify(a) === JSON.stringify(b);

/** The settlement of `pending` for a key now holding `state`, its counter `moved` steps on. */
export function settlement(pending: PendingWrite, state: PurseState, moved: number): Settlement {
  const credited = (n: number): PurseState => ({ ...state, credit: state.credit + n });
  switch (pending.kind) {
    case "sale":
      if (pending.phase === "charged")
        return { action: "count", counts: pending.counts, entry: pending.entry, doubt: false };
      // the vend was refused, or failed with refund ON: a charge that landed goes back
      if (pending.phase === "writing" && moved === 0) return { action: "count", counts: {}, doubt: false };
      if (moved === 1) return { action: "write", state: pending.before, counts: {}, doubt: false };
      // refund-due and written twice since the charge: either the refund landed (the key is
      // exactly as before the sale) or the key was used elsewhere
      if (pending.phase === "refund-due" && moved === 2 && sameState(state, pending.before))
        return { action: "count", counts: {}, doubt: false };
      return { action: "write", state: credited(pending.charge), counts: {}, doubt: true };
    case "recharge":
      if (moved === 1) return { action: "count", counts: pending.counts, entry: pending.entry, doubt: false };
      return {
        action: "write",
        state: credited(pending.amount),
        counts: pending.counts,
        entry: pending.entry,
        doubt: moved !== 0,
      };
    case "recharge-key":
      if (moved === 0) return { action: "count", counts: {}, doubt: false };
      return { action: "recharge-key-credit", value: pending.value, doubt: moved !== 1 };
  }
}
