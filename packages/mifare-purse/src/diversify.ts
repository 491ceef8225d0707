import type { KeyType } from "./access-bits.js";
import { aesCmac } from "./cmac.js";

/**
 * Per-card keys derived from the operator's 16-byte master secret and the card UID, in the
 * manner of NXP AN10922 (AES-128 CMAC over a diversification constant and the diversification
 * input; Classic keys take the first 6 bytes of the result). The input is
 * 0x01 ‖ UID ‖ sector ‖ key type ('A' or 'B') ‖ purpose ‖ system identifier, so every sector, key
 * and purpose gets its own key and none is stored on the card.
 */
export interface KeySet {
  /** The 6-byte Classic key for a sector. */
  sectorKey(sector: number, type: KeyType): Uint8Array;
  /** The 16-byte AES key for the card's MACs. */
  readonly macKey: Uint8Array;
}

const SYSTEM_ID = new TextEncoder().encode("vendkit-purse-1");

function input(uid: Uint8Array, sector: number, type: number, purpose: number): Uint8Array {
  const m = new Uint8Array(1 + uid.length + 3 + SYSTEM_ID.length);
  m[0] = 0x01;
  m.set(uid, 1);
  m[1 + uid.length] = sector;
  m[2 + uid.length] = type;
  m[3 + uid.length] = purpose;
  m.set(SYSTEM_ID, 4 + uid.length);
  return m;
}

export function diversify(masterKey: Uint8Array, uid: Uint8Array): KeySet {
  if (masterKey.length !== 16) throw new RangeError("the master key is 16 bytes (AES-128)");
  if (uid.length !== 4 && uid.length !== 7) throw new RangeError("a MIFARE Classic UID is 4 or 7 bytes");
  const cache = new Map<number, Uint8Array>();
  return {
    sectorKey(sector: number, type: KeyType): Uint8Array {
      const id = sector * 2 + (type === "A" ? 0 : 1);
      let key = cache.get(id);
      if (key === undefined) {
        key = aesCmac(masterKey, input(uid, sector, type.charCodeAt(0), 0x4b)).slice(0, 6);
        cache.set(id, key);
      }
      return key;
    },
    macKey: aesCmac(masterKey, input(uid, 0, 0, 0x4d)),
  };
}
