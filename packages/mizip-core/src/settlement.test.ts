import { EMPTY_STATE, type PurseState } from "@vendkit/mifare-purse";
import { describe, expect, it } from "vitest";
import type { PendingWrite } from "./key-journal.js";
import type { MaxiBoxEntry } from "./maxi-box.js";
import { settlement } from "./settlement.js";

const before: PurseState = { ...EMPTY_STATE, credit: 500 };
const charged: PurseState = { ...EMPTY_STATE, credit: 380 };
const entry: MaxiBoxEntry = { kind: "sale", at: 0, sale: "no-discount", selection: 3, amount: 120 };
const counts = { "S/key-sales": 120 };
const sale = (phase: "writing" | "charged" | "refund-due"): PendingWrite => ({
  kind: "sale",
  phase,
  counter: 10,
  before,
  charge: 120,
  counts,
  entry,
});
const recharge: PendingWrite = {
  kind: "recharge",
  counter: 10,
  amount: 200,
  source: "coins",
  counts: { "S/cash-recharges": 200 },
  entry: { kind: "recharge", at: 0, keyNumber: 1, source: "coins", amount: 200 },
};

describe("settling a key's pending write from its transaction counter", () => {
  it("a charge the VMC vended stands whatever the counter says", () => {
    expect(settlement(sale("charged"), charged, 1)).toEqual({ action: "count", counts, entry, doubt: false });
  });

  it("a refused vend whose charge never landed leaves the key alone and counts nothing", () => {
    expect(settlement(sale("writing"), before, 0)).toEqual({ action: "count", counts: {}, doubt: false });
  });

  it("a refused or failed vend whose charge landed gets the key back as before the sale", () => {
    expect(settlement(sale("writing"), charged, 1)).toEqual({
      action: "write",
      state: before,
      counts: {},
      doubt: false,
    });
    expect(settlement(sale("refund-due"), charged, 1)).toEqual({
      action: "write",
      state: before,
      counts: {},
      doubt: false,
    });
  });

  it("a refund that landed (two writes, key as before) is done", () => {
    expect(settlement(sale("refund-due"), before, 2)).toEqual({ action: "count", counts: {}, doubt: false });
  });

  it("a key written elsewhere too gets the charge back and counts an unverified write", () => {
    const elsewhere = { ...EMPTY_STATE, credit: 90 };
    expect(settlement(sale("refund-due"), elsewhere, 2)).toEqual({
      action: "write",
      state: { ...elsewhere, credit: 210 },
      counts: {},
      doubt: true,
    });
    expect(settlement(sale("writing"), elsewhere, 3).doubt).toBe(true);
  });

  it("a recharge that landed is counted; one that did not is written again, in doubt if the key moved", () => {
    expect(settlement(recharge, { ...before, credit: 700 }, 1)).toEqual({
      action: "count",
      counts: recharge.counts,
      entry: recharge.kind === "recharge" ? recharge.entry : undefined,
      doubt: false,
    });
    const again = settlement(recharge, before, 0);
    expect(again).toMatchObject({
      action: "write",
      state: { credit: 700 },
      counts: recharge.counts,
      doubt: false,
    });
    expect(settlement(recharge, before, 2)).toMatchObject({
      action: "write",
      state: { credit: 700 },
      doubt: true,
    });
  });

  it("a recharge key's use: untaken leaves nothing waiting; taken, its value waits for a sale key", () => {
    const use: PendingWrite = { kind: "recharge-key", counter: 4, value: 300 };
    expect(settlement(use, before, 0)).toEqual({ action: "count", counts: {}, doubt: false });
    expect(settlement(use, before, 1)).toEqual({ action: "recharge-key-credit", value: 300, doubt: false });
    expect(settlement(use, before, 5)).toEqual({ action: "recharge-key-credit", value: 300, doubt: true });
  });
});
