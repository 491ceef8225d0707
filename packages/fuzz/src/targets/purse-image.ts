/**
 * MIFARE card images into the purse reader: a sale key and a data key, each formatted and written
 * by genuine commits, then changed by the fuzzer (bytes flipped or overwritten, blocks swapped,
 * older genuine blocks put back, keys and access bits in trailers too) and read. The oracle: a
 * read either fails with a typed error or yields an identity and a state (or payload) that a
 * genuine write committed; never a credit nobody wrote.
 */
import {
  CardError,
  type CardView,
  EMPTY_STATE,
  type Holder,
  PurseError,
  PurseSystem,
  SimulatedCard,
} from "@vendkit/mifare-purse";
import { finding, Input, typedOnly } from "../harness.js";

const MASTER = Uint8Array.of(
  0x8f,
  0x2a,
  0x61,
  0xc0,
  0x3d,
  0x9e,
  0x4b,
  0x77,
  0x58,
  0xa1,
  0xe6,
  0xf0,
  0xc2,
  0xd4,
  0xb9,
  0x13,
);
const UID = Uint8Array.of(0x04, 0xa1, 0x5c, 0x72);
const SYSTEM = new PurseSystem({ masterKey: MASTER, operatorCode: 12_345_678, format: 1 });
const HOLDER: Holder = {
  keyNumber: 4711,
  customerCode: 1,
  departmentCode: 1,
  priceLevel: 1,
  keyFunction: "sale",
  rechargeValue: 0,
};
const BLOCKS = 64;
const PURSE_ERRORS = [PurseError, CardError] as const;

interface Seed {
  /** The card after each genuine write, oldest first. */
  readonly images: readonly Uint8Array[][];
  readonly identities: ReadonlySet<string>;
  /** Every state (sale key) or payload (data key) a genuine write committed, as JSON. */
  readonly committed: ReadonlySet<string>;
  readonly payload: boolean;
}

const image = (card: SimulatedCard) => Array.from({ length: BLOCKS }, (_, b) => card.peek(b).slice());
const json = (v: unknown) => JSON.stringify(v, (_k, x) => (x instanceof Uint8Array ? [...x] : x));

async function saleSeed(): Promise<Seed> {
  const card = new SimulatedCard(UID);
  let view: CardView = await SYSTEM.format(card, HOLDER, { ...EMPTY_STATE, credit: 500 });
  const images = [image(card)];
  const committed = new Set([json(view.state)]);
  const next = [
    { ...EMPTY_STATE, credit: 320, bonus1: { mode: "tokens" as const, amount: 3, period: 7 } },
    { ...EMPTY_STATE, credit: 1210, loyalty: { mode: "points" as const, amount: 42, period: 7 } },
    { ...EMPTY_STATE, credit: -150 },
  ];
  for (const state of next) {
    view = await SYSTEM.commit(card, view, state);
    committed.add(json(view.state));
    images.push(image(card));
  }
  return { images, identities: new Set([json(view.identity)]), committed, payload: false };
}

async function dataSeed(): Promise<Seed> {
  const card = new SimulatedCard(Uint8Array.of(0x04, 0x11, 0x22, 0x33));
  const view = await SYSTEM.format(card, { ...HOLDER, keyFunction: "data" }, EMPTY_STATE);
  const images = [image(card)];
  const committed = new Set<string>();
  // what a freshly formatted data key reads as, if anything, was written by the format
  const fresh = await SYSTEM.readPayload(card, view).catch(() => undefined);
  if (fresh !== undefined) committed.add(json(fresh));
  for (const text of ["P1*12*120", "a longer payload for the data key, written twice".repeat(3)]) {
    const data = new TextEncoder().encode(text);
    await SYSTEM.writePayload(card, view, data);
    committed.add(json(data));
    images.push(image(card));
  }
  return { images, identities: new Set([json(view.identity)]), committed, payload: true };
}

let seeds: Promise<Seed[]> | undefined;

/** Jazzer runs this target awaiting each input (the card reads are promises). */
export const mode = "async";

export async function fuzz(data: Uint8Array): Promise<void> {
  seeds ??= Promise.all([saleSeed(), dataSeed()]);
  const all = await seeds;
  const input = new Input(data);
  const pick = input.u8();
  const seed = all[pick & 1] as Seed;
  const base = seed.images[(pick >> 1) % seed.images.length] as Uint8Array[];
  const blocks: Uint8Array[] = base.map((b) => b.slice());
  while (!input.done) {
    const op = input.u8();
    const block = input.u8() % BLOCKS;
    switch (op & 3) {
      case 0: {
        const b = blocks[block] as Uint8Array;
        const at = input.u8() & 15;
        b[at] = (b[at] as number) ^ (input.u8() | 1);
        break;
      }
      case 1: {
        const older = seed.images[input.u8() % seed.images.length] as Uint8Array[];
        blocks[block] = (older[block] as Uint8Array).slice();
        break;
      }
      case 2:
        (blocks[block] as Uint8Array).set(input.bytes(16));
        break;
      default: {
        const other = input.u8() % BLOCKS;
        [blocks[block], blocks[other]] = [blocks[other] as Uint8Array, blocks[block] as Uint8Array];
      }
    }
  }
  const card = new SimulatedCard(seed.payload ? Uint8Array.of(0x04, 0x11, 0x22, 0x33) : UID);
  blocks.forEach((b, i) => {
    card.poke(i, b);
  });
  const view = await typedAsync("read", () => SYSTEM.read(card, 0));
  if (view === undefined) return;
  if (!seed.identities.has(json(view.identity)))
    finding(`read an identity no write made: ${json(view.identity)}`);
  if (!seed.payload) {
    if (!seed.committed.has(json(view.state)))
      finding(`read a state no write committed: ${json(view.state)}`);
    return;
  }
  const payload = await typedAsync("readPayload", () => SYSTEM.readPayload(card, view));
  if (payload !== undefined && !seed.committed.has(json(payload)))
    finding(`read a payload no write made: ${json(payload)}`);
}

async function typedAsync<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
  let failure: unknown;
  const value = await fn().catch((e: unknown) => {
    failure = e;
    return undefined;
  });
  if (failure !== undefined)
    typedOnly(what, PURSE_ERRORS, () => {
      throw failure;
    });
  return value;
}
