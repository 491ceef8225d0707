import {
  type AccessBits,
  type DataOp,
  dataAllows,
  decodeAccessBytes,
  encodeAccessBytes,
  type KeyType,
  keyBIsReadable,
  type SectorAccess,
  TRANSPORT_ACCESS,
  trailerAllows,
} from "./access-bits.js";
import { CardError } from "./errors.js";
import type { ClassicReader } from "./reader.js";
import { decodeValueBlock, encodeValueBlock } from "./value-block.js";

export type CardSize = "1K" | "4K";

/** Sector geometry: 1K has 16 sectors of 4 blocks; 4K adds 8 sectors of 16 blocks (32..39). */
export function sectorCount(size: CardSize): number {
  return size === "1K" ? 16 : 40;
}
export function firstBlock(sector: number): number {
  return sector < 32 ? sector * 4 : 128 + (sector - 32) * 16;
}
export function blocksInSector(sector: number): number {
  return sector < 32 ? 4 : 16;
}
export function trailerBlock(sector: number): number {
  return firstBlock(sector) + blocksInSector(sector) - 1;
}
export function sectorOf(block: number): number {
  return block < 128 ? block >> 2 : 32 + ((block - 128) >> 4);
}

export const TRANSPORT_KEY = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);

export interface Tear {
  /** The tear comes with the n-th block write from now (1 = the next write). */
  readonly atWrite: number;
  /**
   * `after`: that write lands whole, then the card leaves the field. `during`: only its first
   * `keep` bytes land (a torn EEPROM write), then the card leaves the field.
   */
  readonly mode: "after" | "during";
  readonly keep?: number;
}

/**
 * An in-memory MIFARE Classic 1K or 4K card in a reader's field, with keys and access bits
 * enforced as the NXP data sheet defines them, a volatile transfer buffer for value operations,
 * and an injectable tear: the holder pulls the key out after (or during) any block write.
 *
 * Where the data sheet leaves the outcome to the silicon, the simulator refuses instead: writing
 * access bits whose inverted copies disagree (which would lock the sector for good) and writing
 * a trailer part the access bits forbid both fail with a CardError, changing nothing.
 */
export class SimulatedCard implements ClassicReader {
  private readonly blocks: Uint8Array[];
  private present = true;
  private authSector = -1;
  private authKey: KeyType = "A";
  private buffer: { value: number; address: number } | undefined;
  private tear: Tear | undefined;
  private writesUntilTear = 0;
  /** Block writes since the card was made (writeBlock and transfer). */
  writes = 0;
  reads = 0;

  constructor(
    private readonly id: Uint8Array,
    readonly size: CardSize = "1K",
  ) {
    if (id.length !== 4 && id.length !== 7) throw new RangeError("a MIFARE Classic UID is 4 or 7 bytes");
    const total = size === "1K" ? 64 : 256;
    this.blocks = Array.from({ length: total }, () => new Uint8Array(16));
    const trailer = new Uint8Array(16);
    trailer.set(TRANSPORT_KEY, 0);
    trailer.set(encodeAccessBytes(TRANSPORT_ACCESS), 6);
    trailer[9] = 0x69;
    trailer.set(TRANSPORT_KEY, 10);
    for (let s = 0; s < sectorCount(size); s++) this.blocks[trailerBlock(s)] = trailer.slice();
    const b0 = this.blocks[0] as Uint8Array;
    b0.set(id, 0);
    if (id.length === 4)
      b0[4] = (id[0] as number) ^ (id[1] as number) ^ (id[2] as number) ^ (id[3] as number);
  }

  /** A card with the same UID and memory, in the field, with nothing armed. */
  clone(): SimulatedCard {
    const copy = new SimulatedCard(this.id, this.size);
    this.blocks.forEach((b, i) => {
      copy.poke(i, b);
    });
    return copy;
  }

  /** Arms a tear; replaces any armed before. */
  armTear(tear: Tear): void {
    if (!Number.isInteger(tear.atWrite) || tear.atWrite < 1) throw new RangeError("atWrite counts from 1");
    this.tear = tear;
    this.writesUntilTear = tear.atWrite;
  }

  disarmTear(): void {
    this.tear = undefined;
  }

  /** The holder takes the key out: authentication and the transfer buffer are lost. */
  remove(): void {
    this.present = false;
    this.authSector = -1;
    this.buffer = undefined;
  }

  /** The holder puts the key back in. */
  insert(): void {
    this.present = true;
  }

  get isPresent(): boolean {
    return this.present;
  }

  /** A copy of a block as stored, bypassing keys (for tests and tools). */
  peek(block: number): Uint8Array {
    return (this.blocks[block] as Uint8Array).slice();
  }

  /** Overwrites a block as stored, bypassing keys (to corrupt a card in a test). */
  poke(block: number, data: Uint8Array): void {
    (this.blocks[block] as Uint8Array).set(data);
  }

  async uid(): Promise<Uint8Array> {
    this.requirePresent();
    return this.id.slice();
  }

  async authenticate(block: number, type: KeyType, key: Uint8Array): Promise<void> {
    this.requirePresent();
    this.requireBlock(block);
    const sector = sectorOf(block);
    const trailer = this.blocks[trailerBlock(sector)] as Uint8Array;
    const stored = type === "A" ? trailer.subarray(0, 6) : trailer.subarray(10, 16);
    const usable = type === "A" || !keyBIsReadable(this.sectorAccess(sector)[3]);
    if (!usable || key.length !== 6 || !stored.every((b, i) => b === key[i])) {
      this.authSector = -1;
      throw new CardError("AUTH_FAILED", block);
    }
    this.authSector = sector;
    this.authKey = type;
  }

  async readBlock(block: number): Promise<Uint8Array> {
    this.requireAuth(block);
    this.reads++;
    const data = (this.blocks[block] as Uint8Array).slice();
    const sector = sectorOf(block);
    if (block === trailerBlock(sector)) {
      const t = this.sectorAccess(sector)[3];
      data.fill(0, 0, 6);
      if (!trailerAllows(t, "access", "read", this.authKey)) data.fill(0, 6, 10);
      if (!trailerAllows(t, "keyB", "read", this.authKey)) data.fill(0, 10, 16);
      return data;
    }
    this.requireData(block, "read");
    return data;
  }

  async writeBlock(block: number, data: Uint8Array): Promise<void> {
    this.requireAuth(block);
    if (data.length !== 16) throw new CardError("BAD_DATA", block);
    if (block === 0) throw new CardError("ACCESS_DENIED", block);
    const sector = sectorOf(block);
    if (block === trailerBlock(sector)) {
      this.checkTrailerWrite(sector, data);
    } else {
      this.requireData(block, "write");
    }
    this.land(block, data);
  }

  async increment(block: number, delta: number): Promise<void> {
    this.valueOp(block, "increment", delta);
  }

  async decrement(block: number, delta: number): Promise<void> {
    this.valueOp(block, "decrement", -delta);
  }

  async restore(block: number): Promise<void> {
    this.valueOp(block, "decrement", 0);
  }

  async transfer(block: number): Promise<void> {
    this.requireAuth(block);
    if (block === trailerBlock(sectorOf(block))) throw new CardError("ACCESS_DENIED", block);
    this.requireData(block, "decrement");
    if (this.buffer === undefined) throw new CardError("NOT_VALUE_BLOCK", block);
    this.land(block, encodeValueBlock(this.buffer.value, this.buffer.address));
  }

  /** Access bits of a sector as stored. */
  sectorAccess(sector: number): SectorAccess {
    const t = this.blocks[trailerBlock(sector)] as Uint8Array;
    const decoded = decodeAccessBytes(t[6] as number, t[7] as number, t[8] as number);
    if (decoded === undefined) throw new CardError("LOCKED", trailerBlock(sector));
    return decoded;
  }

  private valueOp(block: number, op: DataOp, delta: number): void {
    this.requireAuth(block);
    if (block === trailerBlock(sectorOf(block))) throw new CardError("ACCESS_DENIED", block);
    if (!Number.isInteger(delta) || Math.abs(delta) > 0xffffffff) throw new CardError("OVERFLOW", block);
    this.requireData(block, op);
    const decoded = decodeValueBlock(this.blocks[block] as Uint8Array);
    if (!decoded.ok) throw new CardError("NOT_VALUE_BLOCK", block);
    const value = decoded.value + delta;
    if (value < -0x80000000 || value > 0x7fffffff) throw new CardError("OVERFLOW", block);
    this.buffer = { value, address: decoded.address };
  }

  /** An EEPROM write: counts toward an armed tear. */
  private land(block: number, data: Uint8Array): void {
    const target = this.blocks[block] as Uint8Array;
    this.writes++;
    if (this.tear !== undefined && --this.writesUntilTear === 0) {
      const keep = this.tear.mode === "during" ? Math.max(0, Math.min(16, this.tear.keep ?? 8)) : 16;
      target.set(data.subarray(0, keep));
      this.tear = undefined;
      this.remove();
      return;
    }
    target.set(data);
  }

  private checkTrailerWrite(sector: number, data: Uint8Array): void {
    const current = this.blocks[trailerBlock(sector)] as Uint8Array;
    const t = this.sectorAccess(sector)[3];
    if (decodeAccessBytes(data[6] as number, data[7] as number, data[8] as number) === undefined) {
      throw new CardError("LOCKED", trailerBlock(sector));
    }
    const changed = (from: number, to: number) =>
      data.subarray(from, to).some((b, i) => b !== current[from + i]);
    // Key A is never readable, so a write always carries it: it must be writable or unchanged.
    const denied =
      (changed(0, 6) && !trailerAllows(t, "keyA", "write", this.authKey)) ||
      (changed(6, 10) && !trailerAllows(t, "access", "write", this.authKey)) ||
      (changed(10, 16) && !trailerAllows(t, "keyB", "write", this.authKey));
    if (denied) throw new CardError("ACCESS_DENIED", trailerBlock(sector));
  }

  private requirePresent(): void {
    if (!this.present) throw new CardError("NOT_PRESENT");
  }

  private requireBlock(block: number): void {
    if (!Number.isInteger(block) || block < 0 || block >= this.blocks.length)
      throw new CardError("BAD_BLOCK", block);
  }

  private requireAuth(block: number): void {
    this.requirePresent();
    this.requireBlock(block);
    if (sectorOf(block) !== this.authSector) throw new CardError("NOT_AUTHENTICATED", block);
  }

  private requireData(block: number, op: DataOp): void {
    const sector = sectorOf(block);
    const group = sector < 32 ? block - firstBlock(sector) : Math.floor((block - firstBlock(sector)) / 5);
    const bits = this.sectorAccess(sector)[group] as AccessBits;
    if (!dataAllows(bits, op, this.authKey)) throw new CardError("ACCESS_DENIED", block);
  }
}
