/**
 * The 16-byte MIFARE Classic value block (data sheet §8.6.2): value (int32 little endian), its
 * bitwise inverse, the value again, then address, ~address, address, ~address.
 */
export function encodeValueBlock(value: number, address: number): Uint8Array {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
    throw new RangeError(`value ${value} is not a signed 32-bit integer`);
  }
  if (!Number.isInteger(address) || address < 0 || address > 0xff) {
    throw new RangeError(`address ${address} is not a byte`);
  }
  const out = new Uint8Array(16);
  const view = new DataView(out.buffer);
  view.setInt32(0, value, true);
  view.setInt32(4, ~value, true);
  view.setInt32(8, value, true);
  out[12] = address;
  out[13] = ~address & 0xff;
  out[14] = address;
  out[15] = ~address & 0xff;
  return out;
}

export type ValueBlockProblem = "LENGTH" | "VALUE_COPIES" | "ADDRESS_COPIES";

/** The value and address of a value block, or what is wrong with it. */
export function decodeValueBlock(
  block: Uint8Array,
): { ok: true; value: number; address: number } | { ok: false; problem: ValueBlockProblem } {
  if (block.length !== 16) return { ok: false, problem: "LENGTH" };
  const view = new DataView(block.buffer, block.byteOffset, 16);
  const value = view.getInt32(0, true);
  if (view.getInt32(4, true) !== ~value || view.getInt32(8, true) !== value) {
    return { ok: false, problem: "VALUE_COPIES" };
  }
  const a = block[12] as number;
  if (block[13] !== (~a & 0xff) || block[14] !== a || block[15] !== (~a & 0xff)) {
    return { ok: false, problem: "ADDRESS_COPIES" };
  }
  return { ok: true, value, address: a };
}
