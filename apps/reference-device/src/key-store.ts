import type { CardSize, ClassicReader, KeyType } from "@vendkit/mifare-purse";
import { SimulatedCard, sectorCount, trailerBlock } from "@vendkit/mifare-purse";
import Database from "better-sqlite3";

/**
 * The simulated keys of the reference device, kept in their own SQLite file the way a real
 * key keeps its EEPROM: each block write lands on disk before the next one starts, so a device
 * killed in the middle of a key write leaves that key torn exactly as a key pulled out would.
 */
export class KeyStore {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.exec(
      "CREATE TABLE IF NOT EXISTS blocks (uid TEXT NOT NULL, block INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (uid, block)) WITHOUT ROWID",
    );
  }

  /** The UIDs of the keys stored. */
  uids(): string[] {
    return (this.db.prepare("SELECT DISTINCT uid FROM blocks ORDER BY uid").all() as { uid: string }[]).map(
      (r) => r.uid,
    );
  }

  /** A key as stored, in the reader's field; every block written to it is stored again. */
  load(uid: string): DurableKey {
    const rows = this.db.prepare("SELECT block, data FROM blocks WHERE uid = ?").all(uid) as {
      block: number;
      data: Buffer;
    }[];
    // a 4K card is stored with all its 256 blocks, a 1K card with 64
    const size: CardSize = rows.some((r) => r.block >= blockCount("1K")) ? "4K" : "1K";
    const card = new SimulatedCard(Uint8Array.from(Buffer.from(uid, "hex")), size);
    for (const r of rows) card.poke(r.block, new Uint8Array(r.data));
    return new DurableKey(card, this);
  }

  /** Stores every block of a key (after formatting it). */
  saveAll(card: SimulatedCard, uid: string): void {
    const put = this.db.prepare("INSERT OR REPLACE INTO blocks (uid, block, data) VALUES (?, ?, ?)");
    this.db.transaction(() => {
      for (let b = 0; b < blockCount(card.size); b++) put.run(uid, b, Buffer.from(card.peek(b)));
    })();
  }

  saveBlock(uid: string, block: number, data: Uint8Array): void {
    this.db
      .prepare("INSERT OR REPLACE INTO blocks (uid, block, data) VALUES (?, ?, ?)")
      .run(uid, block, Buffer.from(data));
  }

  close(): void {
    this.db.close();
  }
}

const blockCount = (size: CardSize) => trailerBlock(sectorCount(size) - 1) + 1;

/** A simulated key whose block writes go to the key store as they happen. */
export class DurableKey implements ClassicReader {
  readonly uidHex: string;
  readonly size: CardSize;

  constructor(
    readonly card: SimulatedCard,
    private readonly store: KeyStore,
  ) {
    this.uidHex = Buffer.from(card.peek(0).subarray(0, 4)).toString("hex");
    this.size = card.size;
  }

  uid(): Promise<Uint8Array> {
    return this.card.uid();
  }
  authenticate(block: number, type: KeyType, key: Uint8Array): Promise<void> {
    return this.card.authenticate(block, type, key);
  }
  readBlock(block: number): Promise<Uint8Array> {
    return this.card.readBlock(block);
  }
  async writeBlock(block: number, data: Uint8Array): Promise<void> {
    await this.card.writeBlock(block, data);
    this.store.saveBlock(this.uidHex, block, this.card.peek(block));
  }
  increment(block: number, delta: number): Promise<void> {
    return this.card.increment(block, delta);
  }
  decrement(block: number, delta: number): Promise<void> {
    return this.card.decrement(block, delta);
  }
  restore(block: number): Promise<void> {
    return this.card.restore(block);
  }
  async transfer(block: number): Promise<void> {
    await this.card.transfer(block);
    this.store.saveBlock(this.uidHex, block, this.card.peek(block));
  }
}
