import { describe, expect, it } from "vitest";
import { minimalReader } from "../examples/minimal-reader.js";

describe("examples/minimal-reader.ts: a key reader from mizip-core, mdb and mifare-purse alone", () => {
  it("sells from a key over MDB and takes a coin onto it at the reader's acceptor", async () => {
    const { sold, credit, log } = await minimalReader();
    expect(sold).toBe(90); // 1.00 on the VMC, key level 0 pays 0.90
    expect(credit).toBe(500 - 90 + 200);
    expect(log).toEqual([
      "key in: credit 500",
      "selection 1: sold for 90",
      "coin 200: taken",
      "key credit 610",
    ]);
  });
});
