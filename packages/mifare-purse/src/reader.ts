import type { KeyType } from "./access-bits.js";
import type { CardSize } from "./card.js";

/**
 * What the purse needs of a MIFARE Classic reader with a card in its field. A PC/SC or MFRC522
 * adapter implements it; `SimulatedCard` is the in-memory one. Every method rejects with a
 * `CardError` (code NOT_PRESENT when the card has left the field).
 */
export interface ClassicReader {
  /** 1K or 4K (from the card's SAK); taken as 1K when a reader does not say. */
  readonly size?: CardSize;
  /** The card's UID (4 or 7 bytes). */
  uid(): Promise<Uint8Array>;
  /** Authenticates the sector holding `block` with key A or B. */
  authenticate(block: number, type: KeyType, key: Uint8Array): Promise<void>;
  readBlock(block: number): Promise<Uint8Array>;
  writeBlock(block: number, data: Uint8Array): Promise<void>;
  /** Value operations into the card's transfer buffer, then `transfer` writes it to a block. */
  increment(block: number, delta: number): Promise<void>;
  decrement(block: number, delta: number): Promise<void>;
  restore(block: number): Promise<void>;
  transfer(block: number): Promise<void>;
}
