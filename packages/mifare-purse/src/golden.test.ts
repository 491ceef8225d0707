import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SimulatedCard } from "./card.js";
import type { Holder } from "./identity.js";
import { PurseSystem } from "./purse.js";
import { EMPTY_STATE, type PurseState } from "./record.js";

/**
 * The on-card layout is a promise to keys already in customers' pockets: a key written by this
 * release must read in every later one. The images in test-vectors/ were written by this package
 * and are read back here; a change to the layout shows up as a failure of "reads", never as a
 * silent rewrite. `UPDATE_GOLDEN=1` rewrites them, for a deliberate new format only.
 */
const folder = join(dirname(fileURLToPath(import.meta.url)), "..", "test-vectors");
const MASTER = Uint8Array.from(Buffer.from("00112233445566778899aabbccddeeff", "hex"));
const SYSTEM = new PurseSystem({ masterKey: MASTER, operatorCode: 12_345_678, format: 1 });
const HOLDER: Holder = {
  keyNumber: 502,
  customerCode: 42,
  departmentCode: 7,
  priceLevel: 1,
  keyFunction: "sale",
  rechargeValue: 0,
};
const STATE: PurseState = {
  ...EMPTY_STATE,
  credit: 1_250,
  bonus1: { mode: "tokens", amount: 3, period: 1_021 },
  loyalty: { mode: "points", amount: 140, period: 12 },
  promotion: { discount: 20, minute: 615, machine: "A" },
  daily: { day: 20_415, counts: [1, 0, 2, 0, 0, 0, 0, 3] },
};
const AUDIT = new TextEncoder().encode("DXS*VK00000042*VA*V0/6*1\r\nST*001*0001\r\n");

/** The two keys the images hold, made the way a reader makes them. */
async function make(): Promise<Record<string, SimulatedCard>> {
  const sale = new SimulatedCard(Uint8Array.of(0x04, 0x11, 0x22, 0x33));
  const first = await SYSTEM.format(sale, HOLDER, { ...STATE, credit: 2_000 });
  await SYSTEM.commit(sale, first, STATE); // a sale: the second record copy is the live one
  const data = new SimulatedCard(Uint8Array.of(0x04, 0x44, 0x55, 0x66));
  const view = await SYSTEM.format(
    data,
    { ...HOLDER, keyNumber: 9_000_003, keyFunction: "data" },
    EMPTY_STATE,
  );
  await SYSTEM.writePayload(data, view, AUDIT);
  return { "sale-key-1k": sale, "data-key-1k": data };
}

const dump = (card: SimulatedCard) =>
  Array.from(
    { length: 64 },
    (_, b) => `${String(b).padStart(2, "0")} ${Buffer.from(card.peek(b)).toString("hex")}\n`,
  ).join("");

function load(name: string, uid: Uint8Array): SimulatedCard {
  const card = new SimulatedCard(uid);
  for (const line of readFileSync(join(folder, `${name}.txt`), "utf8")
    .trim()
    .split("\n")) {
    const [block, hex] = line.split(" ");
    card.poke(Number(block), Uint8Array.from(Buffer.from(hex as string, "hex")));
  }
  return card;
}

describe("golden key images (test-vectors/)", () => {
  if (process.env.UPDATE_GOLDEN === "1")
    it("rewrites the images", async () => {
      for (const [name, card] of Object.entries(await make()))
        writeFileSync(join(folder, `${name}.txt`), dump(card));
    });

  it("reads a sale key written by this release: identity, state and its MACs", async () => {
    const card = load("sale-key-1k", Uint8Array.of(0x04, 0x11, 0x22, 0x33));
    const view = await SYSTEM.read(card);
    expect(view.identity).toMatchObject({ ...HOLDER, operatorCode: 12_345_678 });
    expect(view.state).toEqual(STATE);
  });

  it("reads a data key's audit written by this release", async () => {
    const card = load("data-key-1k", Uint8Array.of(0x04, 0x44, 0x55, 0x66));
    const view = await SYSTEM.read(card);
    expect(view.identity.keyFunction).toBe("data");
    expect(await SYSTEM.readPayload(card, view)).toEqual(AUDIT);
  });

  it("writes them today byte for byte as the images hold them", async () => {
    for (const [name, card] of Object.entries(await make()))
      expect(dump(card)).toBe(readFileSync(join(folder, `${name}.txt`), "utf8"));
  });
});
