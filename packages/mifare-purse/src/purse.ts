import { access, encodeAccessBytes, type KeyType, type SectorAccess } from "./access-bits.js";
import { blocksInSector, type CardSize, firstBlock, sectorOf, TRANSPORT_KEY, trailerBlock } from "./card.js";
import { toHex } from "./crc32.js";
import { diversify, type KeySet } from "./diversify.js";
import { CardError, PurseError, type PurseErrorCode } from "./errors.js";
import {
  decodeIdentity,
  encodeIdentity,
  type Holder,
  type Identity,
  identityGeneration,
  MAX_GENERATION,
} from "./identity.js";
import {
  decodePayload,
  encodePayload,
  PAYLOAD_FUNCTIONS,
  payloadCapacity,
  payloadLength,
  payloadSectors,
} from "./payload.js";
import type { ClassicReader } from "./reader.js";
import {
  decodeRecord,
  encodeRecord,
  isNewer,
  type PurseState,
  RECORD_BYTES,
  type RecordCheck,
} from "./record.js";

/**
 * Where things are on the card (1K or 4K): the identity in sector 1, blocks 0-1, and its second
 * slot in sector 8 (used by `rekey`); purse p keeps two record copies, copy 0 in sector 2 + 2p and
 * copy 1 in sector 3 + 2p, blocks 0-2 of each.
 */
export const IDENTITY_SECTOR = 1;
export const IDENTITY_SLOTS = [IDENTITY_SECTOR, 8] as const;
export const recordSector = (purse: number, copy: 0 | 1): number => 2 + 2 * purse + copy;

type IntactRecord = Extract<RecordCheck, { ok: true }>;

/** Data blocks: read with A or B, write with B only. Trailer: keys and bits changed with B. */
export const PURSE_ACCESS: SectorAccess = [access("100"), access("100"), access("100"), access("011")];

export interface PurseSystemOptions {
  /** The operator's 16-byte secret: every card key and MAC key is derived from it and the UID. */
  readonly masterKey: Uint8Array;
  /** Operator code cards must carry (8 digits). */
  readonly operatorCode: number;
  /** Whether this system uses 1-purse or 3-purse cards. */
  readonly format: 1 | 3;
}

/** A card as read: who it is and the state of one purse, with where that state lives. */
export interface CardView {
  readonly uid: Uint8Array;
  readonly identity: Identity;
  readonly purse: number;
  readonly state: PurseState;
  /** Transaction counter of the current record. */
  readonly counter: number;
  /** Which copy holds the current record. */
  readonly copy: 0 | 1;
  /** True when this read found a torn copy and repaired it (count it as ERR 14). */
  readonly restored: boolean;
  /** The identity generation (0..15) and the slot holding it; `rekey` moves both on. */
  readonly generation: number;
  readonly identitySlot: 0 | 1;
}

const removed = (e: unknown): boolean => e instanceof CardError && e.code === "NOT_PRESENT";

/** Turns a card failure into the purse error `code` (NOT_PRESENT during a read: CARD_REMOVED). */
function cardFailure(e: unknown, code: PurseErrorCode): PurseError {
  if (e instanceof PurseError) return e;
  if (e instanceof CardError) return new PurseError(code, e.message);
  throw e;
}

/**
 * The purse rules: read a card, commit a new state, format a card. Tear safety: a commit writes
 * the new record (counter + 1, CRC, MAC) into the copy that does not hold the current one; the
 * record becomes current only when its last block is written whole, because only then do its
 * CRC and MAC hold. A tear anywhere leaves the current copy untouched: the next read sees either
 * the complete old state or the complete new one.
 */
export class PurseSystem {
  private readonly keyCache = new Map<string, KeySet>();

  constructor(private readonly options: PurseSystemOptions) {
    if (options.masterKey.length !== 16) throw new PurseError("INVALID_FIELD", "the master key is 16 bytes");
  }

  keysFor(uid: Uint8Array): KeySet {
    const id = toHex(uid);
    let keys = this.keyCache.get(id);
    if (keys === undefined) {
      keys = diversify(this.options.masterKey, uid);
      this.keyCache.set(id, keys);
    }
    return keys;
  }

  /**
   * Reads the identity and purse `purse`, repairing a torn copy. Throws PurseError. The card must
   * carry one of `operatorCodes` (by default this system's own).
   */
  async read(
    reader: ClassicReader,
    purse = 0,
    operatorCodes: readonly number[] = [this.options.operatorCode],
  ): Promise<CardView> {
    let uid: Uint8Array;
    try {
      uid = await reader.uid();
    } catch (e) {
      throw cardFailure(e, "CARD_REMOVED");
    }
    const keys = this.keysFor(uid);
    const first = await this.readFirstSlot(reader, uid, keys);
    // purse 0's current record says which identity generation is in force (see rekey)
    const copies0 = await this.readCopies(reader, keys, uid, 0);
    const newest = newestOf(copies0, undefined);
    const { identity, generation, identitySlot } = await this.pickIdentity(reader, uid, keys, first, newest);
    if (!operatorCodes.includes(identity.operatorCode)) {
      throw new PurseError("WRONG_OPERATOR", `operator code ${identity.operatorCode}`);
    }
    if (identity.format !== this.options.format) {
      throw new PurseError(
        "FORMAT_MISMATCH",
        `${identity.format}-purse card, ${this.options.format}-purse system`,
      );
    }
    if (purse < 0 || purse >= identity.format) throw new PurseError("INVALID_FIELD", `purse ${purse}`);

    const copies = purse === 0 ? copies0 : await this.readCopies(reader, keys, uid, purse);
    const picked = newestOf(copies, generation);
    const { copy, record } = picked;
    const other = copies[1 - copy] as RecordCheck;
    let restored = false;
    if (!other.ok) {
      if (other.reason === "MAC") throw new PurseError("FORGED_RECORD");
      // manual 7.5 list 14, ERR 14: a torn copy is rebuilt from the intact one.
      await this.writeRecord(
        reader,
        keys,
        uid,
        purse,
        (1 - copy) as 0 | 1,
        record.state,
        record.counter,
        generation,
        "CARD_REMOVED",
      );
      restored = true;
    }
    return {
      uid,
      identity,
      purse,
      state: record.state,
      counter: record.counter,
      copy,
      restored,
      generation,
      identitySlot,
    };
  }

  /**
   * Writes `next` as the new current state. Resolves with the new view once the record is
   * written and read back; rejects with WRITE_FAILED (the card left: re-read it, the outcome is
   * the old or the new state) or UNVERIFIED_WRITE.
   */
  async commit(reader: ClassicReader, view: CardView, next: PurseState): Promise<CardView> {
    const keys = this.keysFor(view.uid);
    const copy = (1 - view.copy) as 0 | 1;
    const counter = (view.counter + 1) >>> 0;
    await this.writeRecord(
      reader,
      keys,
      view.uid,
      view.purse,
      copy,
      next,
      counter,
      view.generation,
      "WRITE_FAILED",
    );
    return { ...view, state: next, counter, copy, restored: false };
  }

  /**
   * Rewrites a card's identity (codes, key number, level...) and, in the same step, every purse's
   * state: key formatting that keeps the credit (manual 9.5.2) and the EURO conversion (4.16).
   * `view` is purse 0 of the card as read (with the operator code it carries now); the card takes
   * this system's operator code. Tear safety: the new identity goes into the identity slot not in
   * use with the next generation, then every other purse's converted record, then purse 0's; each
   * record names the generation it belongs to and purse 0's current record decides which identity
   * is in force. Until purse 0's record lands whole the card reads as before; from then on it
   * reads as rewritten. Rejects like `commit`.
   */
  async rekey(
    reader: ClassicReader,
    view: CardView,
    identity: Holder,
    next: (state: PurseState, purse: number) => PurseState,
  ): Promise<CardView> {
    if (view.purse !== 0) throw new PurseError("INVALID_FIELD", "rekey starts from purse 0");
    const keys = this.keysFor(view.uid);
    const generation = (view.generation + 1) & MAX_GENERATION;
    const full: Identity = {
      ...identity,
      operatorCode: this.options.operatorCode,
      format: this.options.format,
    };
    const slot = (1 - view.identitySlot) as 0 | 1;
    const sector = IDENTITY_SLOTS[slot];
    const bytes = encodeIdentity(full, view.uid, keys.macKey, generation);
    // states are computed before anything is written: a conversion that fails changes nothing
    const states = [next(view.state, 0)];
    const current: { copy: 0 | 1; record: IntactRecord }[] = [];
    for (let p = 1; p < full.format; p++) {
      const picked = newestOf(await this.readCopies(reader, keys, view.uid, p), view.generation);
      current.push(picked);
      states.push(next(picked.record.state, p));
    }
    for (const [p, state] of states.entries()) encodeRecord(state, 0, p, view.uid, keys.macKey);
    try {
      // a card formatted before the second slot existed still has transport keys there
      const transport = await this.open(reader, sector, [
        ["B", keys.sectorKey(sector, "B")],
        ["A", TRANSPORT_KEY],
      ]);
      await this.writeArea(reader, sector, bytes);
      if (transport) await reader.writeBlock(trailerBlock(sector), this.trailer(keys, sector));
    } catch (e) {
      throw cardFailure(e, "WRITE_FAILED");
    }
    for (const [i, { copy, record }] of current.entries()) {
      const p = i + 1;
      const state = states[p] as PurseState;
      const counter = (record.counter + 1) >>> 0;
      await this.writeRecord(
        reader,
        keys,
        view.uid,
        p,
        (1 - copy) as 0 | 1,
        state,
        counter,
        generation,
        "WRITE_FAILED",
      );
    }
    const counter = (view.counter + 1) >>> 0;
    const copy = (1 - view.copy) as 0 | 1;
    await this.writeRecord(
      reader,
      keys,
      view.uid,
      0,
      copy,
      states[0] as PurseState,
      counter,
      generation,
      "WRITE_FAILED",
    );
    return {
      ...view,
      identity: full,
      state: states[0] as PurseState,
      counter,
      copy,
      restored: false,
      generation,
      identitySlot: slot,
    };
  }

  /** Refuses a key whose credit is above the maximum usable credit (ERR 7). */
  checkUsable(view: CardView, maxUsableCredit: number): void {
    if (view.state.credit > maxUsableCredit) {
      throw new PurseError("CREDIT_ABOVE_MAX", `${view.state.credit} > ${maxUsableCredit}`);
    }
  }

  /**
   * Formats a card for this system: identity, both record copies of every purse, then each
   * sector's trailer with the card's own keys. `from` says how the card opens today: transport
   * keys (a new card) or another operator's master key (re-formatting, manual 4.14).
   */
  async format(
    reader: ClassicReader,
    identity: Holder,
    state: PurseState,
    from: { readonly masterKey: Uint8Array } | "transport" = "transport",
  ): Promise<CardView> {
    const uid = await reader.uid();
    const keys = this.keysFor(uid);
    const full: Identity = {
      ...identity,
      operatorCode: this.options.operatorCode,
      format: this.options.format,
    };
    const old = from === "transport" ? undefined : diversify(from.masterKey, uid);
    const areas: { sector: number; data: Uint8Array }[] = [
      { sector: IDENTITY_SLOTS[0], data: encodeIdentity(full, uid, keys.macKey) },
      // the second identity slot starts empty (a card of the old operator may hold one there)
      { sector: IDENTITY_SLOTS[1], data: new Uint8Array(32) },
    ];
    for (let p = 0; p < full.format; p++) {
      areas.push({ sector: recordSector(p, 0), data: encodeRecord(state, 1, p, uid, keys.macKey) });
      areas.push({ sector: recordSector(p, 1), data: encodeRecord(state, 0, p, uid, keys.macKey) });
    }
    // a special key's data sectors are keyed now, empty, so that only this system writes them
    if (PAYLOAD_FUNCTIONS.includes(full.keyFunction))
      for (const sector of payloadSectors(reader.size ?? "1K"))
        areas.push({ sector, data: new Uint8Array(16 * (blocksInSector(sector) - 1)) });
    try {
      for (const { sector, data } of areas) {
        // the old operator's card may predate the second identity slot: transport keys there
        const ways: [KeyType, Uint8Array][] = old === undefined ? [] : [["B", old.sectorKey(sector, "B")]];
        // sectors a card of the old operator may not have used still have transport keys
        if (old === undefined || sector === IDENTITY_SLOTS[1] || sector >= 9) ways.push(["A", TRANSPORT_KEY]);
        await this.open(reader, sector, ways);
        await this.writeArea(reader, sector, data);
        await reader.writeBlock(trailerBlock(sector), this.trailer(keys, sector));
      }
    } catch (e) {
      throw cardFailure(e, "WRITE_FAILED");
    }
    return this.read(reader, 0);
  }

  /**
   * Writes `data` on a setup, black-list or data key (`view` as read), then reads it back:
   * rejects with NO_PAYLOAD_AREA, PAYLOAD_TOO_LARGE (`payloadCapacity`) or PAYLOAD_WRITE_FAILED
   * (the key left, or reads back otherwise: the data on it is then refused until written again).
   */
  async writePayload(reader: ClassicReader, view: CardView, data: Uint8Array): Promise<void> {
    if (!PAYLOAD_FUNCTIONS.includes(view.identity.keyFunction))
      throw new PurseError("NO_PAYLOAD_AREA", `a ${view.identity.keyFunction} key`);
    const size = reader.size ?? "1K";
    const capacity = payloadCapacity(size);
    if (data.length > capacity)
      throw new PurseError("PAYLOAD_TOO_LARGE", `${data.length} > ${capacity} bytes`);
    const keys = this.keysFor(view.uid);
    const bytes = encodePayload(data, view.uid, keys.macKey);
    try {
      await eachPayloadBlock(reader, keys, size, bytes.length / 16, "B", (block, i) =>
        reader.writeBlock(block, bytes.subarray(i * 16, i * 16 + 16)),
      );
    } catch (e) {
      throw cardFailure(e, "PAYLOAD_WRITE_FAILED");
    }
    const back = await this.readPayload(reader, view).catch((e: unknown) => {
      throw e instanceof PurseError ? new PurseError("PAYLOAD_WRITE_FAILED", e.message) : e;
    });
    if (back.length !== data.length || !back.every((b, i) => b === data[i]))
      throw new PurseError("PAYLOAD_WRITE_FAILED", "the data reads back otherwise");
  }

  /** The data on a setup, black-list or data key; CORRUPT_PAYLOAD, FORGED_PAYLOAD or CARD_REMOVED. */
  async readPayload(reader: ClassicReader, view: CardView): Promise<Uint8Array> {
    if (!PAYLOAD_FUNCTIONS.includes(view.identity.keyFunction))
      throw new PurseError("NO_PAYLOAD_AREA", `a ${view.identity.keyFunction} key`);
    const keys = this.keysFor(view.uid);
    const size = reader.size ?? "1K";
    const read = async (count: number): Promise<Uint8Array> => {
      const out = new Uint8Array(count * 16);
      try {
        await eachPayloadBlock(reader, keys, size, count, "A", async (block, i) => {
          out.set(await reader.readBlock(block), i * 16);
        });
      } catch (e) {
        throw cardFailure(e, removed(e) ? "CARD_REMOVED" : "CORRUPT_PAYLOAD");
      }
      return out;
    };
    const length = payloadLength(await read(1));
    if (length > payloadCapacity(size)) throw new PurseError("CORRUPT_PAYLOAD", `length ${length}`);
    return decodePayload(await read(1 + Math.ceil(length / 16)), view.uid, keys.macKey);
  }

  /** Authenticates `sector` with the first key that opens it; true when that was a transport key. */
  private async open(reader: ClassicReader, sector: number, ways: [KeyType, Uint8Array][]): Promise<boolean> {
    for (const [i, [type, key]] of ways.entries()) {
      try {
        await reader.authenticate(firstBlock(sector), type, key);
        return key === TRANSPORT_KEY;
      } catch (e) {
        if (removed(e) || !(e instanceof CardError) || i === ways.length - 1) throw e;
      }
    }
    throw new PurseError("INVALID_FIELD", "no key to open the sector with");
  }

  private async writeArea(reader: ClassicReader, sector: number, data: Uint8Array): Promise<void> {
    for (let b = 0; b < data.length / 16; b++)
      await reader.writeBlock(firstBlock(sector) + b, data.subarray(b * 16, b * 16 + 16));
  }

  private trailer(keys: KeySet, sector: number): Uint8Array {
    const trailer = new Uint8Array(16);
    trailer.set(keys.sectorKey(sector, "A"), 0);
    trailer.set(encodeAccessBytes(PURSE_ACCESS), 6);
    trailer[9] = 0x69;
    trailer.set(keys.sectorKey(sector, "B"), 10);
    return trailer;
  }

  /**
   * Opens identity slot 0: a blank or foreign card is told here. Returns the slot's bytes, or the
   * reason they do not decode (the second slot may still hold the identity in force).
   */
  private async readFirstSlot(reader: ClassicReader, uid: Uint8Array, keys: KeySet): Promise<Slot> {
    const sector = IDENTITY_SLOTS[0];
    try {
      await reader.authenticate(firstBlock(sector), "A", keys.sectorKey(sector, "A"));
    } catch (e) {
      if (removed(e) || !(e instanceof CardError)) throw cardFailure(e, "CARD_REMOVED");
      const blank = await reader.authenticate(firstBlock(sector), "A", TRANSPORT_KEY).then(
        () => true,
        (again: unknown) => {
          if (removed(again)) throw cardFailure(again, "CARD_REMOVED");
          return false;
        },
      );
      throw new PurseError(blank ? "BLANK_CARD" : "FOREIGN_CARD");
    }
    return decodeSlot(await this.readArea(reader, keys, sector, "A", 2, true), uid, keys.macKey);
  }

  /** The identity whose generation purse 0's current record names (slot 0 first, then slot 1). */
  private async pickIdentity(
    reader: ClassicReader,
    uid: Uint8Array,
    keys: KeySet,
    first: Slot,
    purse0: { record: IntactRecord },
  ): Promise<{ identity: Identity; generation: number; identitySlot: 0 | 1 }> {
    const generation = purse0.record.generation;
    if ("identity" in first && first.generation === generation) return { ...first, identitySlot: 0 };
    const sector = IDENTITY_SLOTS[1];
    let second: Slot;
    try {
      await reader.authenticate(firstBlock(sector), "A", keys.sectorKey(sector, "A"));
      second = decodeSlot(await this.readArea(reader, keys, sector, "A", 2, true), uid, keys.macKey);
    } catch (e) {
      if (removed(e) || !(e instanceof CardError)) throw cardFailure(e, "CARD_REMOVED");
      second = { error: new PurseError("CORRUPT_IDENTITY", "no second identity slot") };
    }
    if ("identity" in second && second.generation === generation) return { ...second, identitySlot: 1 };
    if ("error" in first) throw first.error;
    throw new PurseError("CORRUPT_IDENTITY", `no identity of generation ${generation}`);
  }

  private async readCopies(
    reader: ClassicReader,
    keys: KeySet,
    uid: Uint8Array,
    purse: number,
  ): Promise<[RecordCheck, RecordCheck]> {
    const out: RecordCheck[] = [];
    for (const copy of [0, 1] as const) {
      const bytes = await this.readArea(reader, keys, recordSector(purse, copy), "A", 3);
      out.push(decodeRecord(bytes, purse, uid, keys.macKey));
    }
    return out as [RecordCheck, RecordCheck];
  }

  private async readArea(
    reader: ClassicReader,
    keys: KeySet,
    sector: number,
    type: KeyType,
    blocks: number,
    authenticated = false,
  ): Promise<Uint8Array> {
    const out = new Uint8Array(blocks * 16);
    try {
      if (!authenticated) await reader.authenticate(firstBlock(sector), type, keys.sectorKey(sector, type));
      for (let b = 0; b < blocks; b++) out.set(await reader.readBlock(firstBlock(sector) + b), b * 16);
    } catch (e) {
      throw cardFailure(e, removed(e) ? "CARD_REMOVED" : "FOREIGN_CARD");
    }
    return out;
  }

  private async writeRecord(
    reader: ClassicReader,
    keys: KeySet,
    uid: Uint8Array,
    purse: number,
    copy: 0 | 1,
    state: PurseState,
    counter: number,
    generation: number,
    onFailure: PurseErrorCode,
  ): Promise<void> {
    const bytes = encodeRecord(state, counter, purse, uid, keys.macKey, generation);
    const sector = recordSector(purse, copy);
    try {
      await reader.authenticate(firstBlock(sector), "B", keys.sectorKey(sector, "B"));
      for (let b = 0; b < RECORD_BYTES / 16; b++) {
        await reader.writeBlock(firstBlock(sector) + b, bytes.subarray(b * 16, b * 16 + 16));
      }
    } catch (e) {
      throw cardFailure(e, onFailure);
    }
    let back: Uint8Array;
    try {
      back = new Uint8Array(RECORD_BYTES);
      for (let b = 0; b < RECORD_BYTES / 16; b++)
        back.set(await reader.readBlock(firstBlock(sector) + b), b * 16);
    } catch (e) {
      throw cardFailure(e, "UNVERIFIED_WRITE");
    }
    if (!back.every((x, i) => x === bytes[i])) throw new PurseError("UNVERIFIED_WRITE");
  }
}

type Slot = { identity: Identity; generation: number } | { error: PurseError };

function decodeSlot(bytes: Uint8Array, uid: Uint8Array, macKey: Uint8Array): Slot {
  try {
    return { identity: decodeIdentity(bytes, uid, macKey), generation: identityGeneration(bytes) };
  } catch (e) {
    if (e instanceof PurseError) return { error: e };
    throw e;
  }
}

/**
 * The current copy of a purse: the newest intact one, among those of `generation` when given (a
 * newer copy of the next generation is a rekey that did not complete, and does not count).
 */
function newestOf(
  copies: readonly [RecordCheck, RecordCheck],
  generation: number | undefined,
): { copy: 0 | 1; record: IntactRecord } {
  const fits = (c: RecordCheck): c is IntactRecord =>
    c.ok && (generation === undefined || c.generation === generation);
  const [c0, c1] = copies;
  if (!fits(c0) && !fits(c1)) {
    const forged = copies.some((c) => !c.ok && c.reason === "MAC");
    throw new PurseError(forged ? "FORGED_RECORD" : "CORRUPT_RECORD");
  }
  if (fits(c0) && fits(c1))
    return isNewer(c1.counter, c0.counter) ? { copy: 1, record: c1 } : { copy: 0, record: c0 };
  return fits(c0) ? { copy: 0, record: c0 } : { copy: 1, record: c1 as IntactRecord };
}

/**
 * Runs `act` on the first `count` data blocks of the payload area, in order, authenticating each
 * sector once with its key of `type` (A reads, B writes).
 */
async function eachPayloadBlock(
  reader: ClassicReader,
  keys: KeySet,
  size: CardSize,
  count: number,
  type: KeyType,
  act: (block: number, index: number) => Promise<void>,
): Promise<void> {
  const blocks: number[] = [];
  for (const sector of payloadSectors(size))
    for (let b = 0; b < blocksInSector(sector) - 1 && blocks.length < count; b++)
      blocks.push(firstBlock(sector) + b);
  if (blocks.length < count) throw new PurseError("PAYLOAD_TOO_LARGE", `${count} blocks`);
  let sector = -1;
  for (const [i, block] of blocks.entries()) {
    if (sector !== sectorOf(block)) {
      sector = sectorOf(block);
      await reader.authenticate(firstBlock(sector), type, keys.sectorKey(sector, type));
    }
    await act(block, i);
  }
}
