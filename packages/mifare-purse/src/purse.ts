import { access, encodeAccessBytes, type KeyType, type SectorAccess } from "./access-bits.js";
import { firstBlock, TRANSPORT_KEY, trailerBlock } from "./card.js";
import { diversify, type KeySet } from "./diversify.js";
import { CardError, PurseError, type PurseErrorCode } from "./errors.js";
import { decodeIdentity, encodeIdentity, type Identity } from "./identity.js";
import type { ClassicReader } from "./reader.js";
import { decodeRecord, encodeRecord, isNewer, type PurseState, RECORD_BYTES } from "./record.js";

/**
 * Where things are on the card (1K or 4K): the identity in sector 1, blocks 0-1; purse p keeps
 * two record copies, copy 0 in sector 2 + 2p and copy 1 in sector 3 + 2p, blocks 0-2 of each.
 */
export const IDENTITY_SECTOR = 1;
export const recordSector = (purse: number, copy: 0 | 1): number => 2 + 2 * purse + copy;

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
    const id = Buffer.from(uid).toString("hex");
    let keys = this.keyCache.get(id);
    if (keys === undefined) {
      keys = diversify(this.options.masterKey, uid);
      this.keyCache.set(id, keys);
    }
    return keys;
  }

  /** Reads the identity and purse `purse`, repairing a torn copy. Throws PurseError. */
  async read(reader: ClassicReader, purse = 0): Promise<CardView> {
    let uid: Uint8Array;
    try {
      uid = await reader.uid();
    } catch (e) {
      throw cardFailure(e, "CARD_REMOVED");
    }
    const keys = this.keysFor(uid);
    const identity = await this.readIdentity(reader, uid, keys);
    if (purse < 0 || purse >= identity.format) throw new PurseError("INVALID_FIELD", `purse ${purse}`);

    const copies = [];
    for (const copy of [0, 1] as const) {
      const bytes = await this.readArea(reader, keys, recordSector(purse, copy), "A", 3);
      copies.push(decodeRecord(bytes, purse, uid, keys.macKey));
    }
    const [c0, c1] = copies as [(typeof copies)[0], (typeof copies)[0]];
    if (!c0.ok && !c1.ok) {
      throw new PurseError(c0.reason === "MAC" || c1.reason === "MAC" ? "FORGED_RECORD" : "CORRUPT_RECORD");
    }
    let copy: 0 | 1;
    if (c0.ok && c1.ok) copy = isNewer(c1.counter, c0.counter) ? 1 : 0;
    else copy = c0.ok ? 0 : 1;
    const current = (copy === 0 ? c0 : c1) as Extract<(typeof copies)[0], { ok: true }>;
    const other = copy === 0 ? c1 : c0;
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
        current.state,
        current.counter,
        "CARD_REMOVED",
      );
      restored = true;
    }
    return { uid, identity, purse, state: current.state, counter: current.counter, copy, restored };
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
    await this.writeRecord(reader, keys, view.uid, view.purse, copy, next, counter, "WRITE_FAILED");
    return { ...view, state: next, counter, copy, restored: false };
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
    identity: Omit<Identity, "format" | "operatorCode">,
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
    const open = async (sector: number) => {
      if (old === undefined) await reader.authenticate(firstBlock(sector), "A", TRANSPORT_KEY);
      else await reader.authenticate(firstBlock(sector), "B", old.sectorKey(sector, "B"));
    };
    const areas: { sector: number; data: Uint8Array }[] = [
      { sector: IDENTITY_SECTOR, data: encodeIdentity(full, uid, keys.macKey) },
    ];
    for (let p = 0; p < full.format; p++) {
      areas.push({ sector: recordSector(p, 0), data: encodeRecord(state, 1, p, uid, keys.macKey) });
      areas.push({ sector: recordSector(p, 1), data: encodeRecord(state, 0, p, uid, keys.macKey) });
    }
    try {
      for (const { sector, data } of areas) {
        await open(sector);
        for (let b = 0; b < data.length / 16; b++)
          await reader.writeBlock(firstBlock(sector) + b, data.subarray(b * 16, b * 16 + 16));
        const trailer = new Uint8Array(16);
        trailer.set(keys.sectorKey(sector, "A"), 0);
        trailer.set(encodeAccessBytes(PURSE_ACCESS), 6);
        trailer[9] = 0x69;
        trailer.set(keys.sectorKey(sector, "B"), 10);
        await reader.writeBlock(trailerBlock(sector), trailer);
      }
    } catch (e) {
      throw cardFailure(e, "WRITE_FAILED");
    }
    return this.read(reader, 0);
  }

  private async readIdentity(reader: ClassicReader, uid: Uint8Array, keys: KeySet): Promise<Identity> {
    const block = firstBlock(IDENTITY_SECTOR);
    try {
      await reader.authenticate(block, "A", keys.sectorKey(IDENTITY_SECTOR, "A"));
    } catch (e) {
      if (removed(e) || !(e instanceof CardError)) throw cardFailure(e, "CARD_REMOVED");
      const blank = await reader.authenticate(block, "A", TRANSPORT_KEY).then(
        () => true,
        (again: unknown) => {
          if (removed(again)) throw cardFailure(again, "CARD_REMOVED");
          return false;
        },
      );
      throw new PurseError(blank ? "BLANK_CARD" : "FOREIGN_CARD");
    }
    const bytes = await this.readArea(reader, keys, IDENTITY_SECTOR, "A", 2, true);
    const identity = decodeIdentity(bytes, uid, keys.macKey);
    if (identity.operatorCode !== this.options.operatorCode) {
      throw new PurseError("WRONG_OPERATOR", `operator code ${identity.operatorCode}`);
    }
    if (identity.format !== this.options.format) {
      throw new PurseError(
        "FORMAT_MISMATCH",
        `${identity.format}-purse card, ${this.options.format}-purse system`,
      );
    }
    return identity;
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
    onFailure: PurseErrorCode,
  ): Promise<void> {
    const bytes = encodeRecord(state, counter, purse, uid, keys.macKey);
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
