import { blocksInSector, type CardSize, sectorCount } from "./card.js";
import { crc32 } from "./crc32.js";
import { PurseError } from "./errors.js";
import { areaMac, type KeyFunction } from "./identity.js";

/** The key functions that carry data for the reader (manual 4.10.11, 4.12, 7.3.4). */
export const PAYLOAD_FUNCTIONS: readonly KeyFunction[] = ["setup", "black-list", "data"];

/** Where a special key's data goes: sectors 9-15, and 16-39 on a 4K card (data blocks only). */
export function payloadSectors(size: CardSize): number[] {
  return Array.from({ length: sectorCount(size) - 9 }, (_, i) => 9 + i);
}

/** Bytes of data a special key of `size` holds (after the 16-byte header). */
export function payloadCapacity(size: CardSize): number {
  return payloadSectors(size).reduce((n, s) => n + 16 * (blocksInSector(s) - 1), 0) - HEADER;
}

const HEADER = 16;
const MAGIC = [0x56, 0x50] as const; // "VP"
const VERSION = 1;
const AREA_PAYLOAD = 0x50;

/**
 * The payload area (our design, version 1): a 16-byte header — "VP", version, zero, data length
 * (uint32 LE), MAC (AES-CMAC of UID ‖ 0x50 ‖ header bytes 0-7 ‖ data, first 4 bytes), CRC-32 of
 * header bytes 0-11 and the data — then the data, padded with zeros to whole blocks.
 */
export function encodePayload(data: Uint8Array, uid: Uint8Array, macKey: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER + Math.ceil(data.length / 16) * 16);
  const v = new DataView(out.buffer);
  out.set(MAGIC, 0);
  out[2] = VERSION;
  v.setUint32(4, data.length, true);
  out.set(data, HEADER);
  out.set(areaMac(macKey, uid, AREA_PAYLOAD, joined(out.subarray(0, 8), data)), 8);
  v.setUint32(12, crc32(joined(out.subarray(0, 12), data)), true);
  return out;
}

/** The data length a payload header announces; throws CORRUPT_PAYLOAD for no payload at all. */
export function payloadLength(header: Uint8Array): number {
  if (header[0] !== MAGIC[0] || header[1] !== MAGIC[1] || header[2] !== VERSION)
    throw new PurseError("CORRUPT_PAYLOAD", "the key carries no data");
  return new DataView(header.buffer, header.byteOffset, HEADER).getUint32(4, true);
}

/** Checks a payload read back (header and data blocks) and returns its data. */
export function decodePayload(bytes: Uint8Array, uid: Uint8Array, macKey: Uint8Array): Uint8Array {
  const length = payloadLength(bytes);
  if (bytes.length < HEADER + length) throw new PurseError("CORRUPT_PAYLOAD", "the data is cut short");
  const data = bytes.slice(HEADER, HEADER + length);
  const v = new DataView(bytes.buffer, bytes.byteOffset, HEADER);
  if (v.getUint32(12, true) !== crc32(joined(bytes.subarray(0, 12), data)))
    throw new PurseError("CORRUPT_PAYLOAD");
  const mac = areaMac(macKey, uid, AREA_PAYLOAD, joined(bytes.subarray(0, 8), data));
  if (!mac.every((b, i) => b === bytes[8 + i])) throw new PurseError("FORGED_PAYLOAD");
  return data;
}

function joined(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
