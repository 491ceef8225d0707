import { cbc, ecb } from "@noble/ciphers/aes.js";

/** The CMAC subkeys of a key (RFC 4493 2.3), made once per key object. */
const subkeys = new WeakMap<Uint8Array, { readonly k1: Uint8Array; readonly k2: Uint8Array }>();

const shift = (b: Uint8Array): Uint8Array => {
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = (((b[i] as number) << 1) | ((b[i + 1] ?? 0) >> 7)) & 0xff;
  if ((b[0] as number) & 0x80) out[15] = (out[15] as number) ^ 0x87;
  return out;
};

function subkeysOf(key: Uint8Array): { readonly k1: Uint8Array; readonly k2: Uint8Array } {
  let k = subkeys.get(key);
  if (k !== undefined) return k;
  const k1 = shift(ecb(key, { disablePadding: true }).encrypt(new Uint8Array(16)));
  k = { k1, k2: shift(k1) };
  subkeys.set(key, k);
  return k;
}

const ZERO_IV = new Uint8Array(16);

/**
 * AES-128 CMAC (NIST SP 800-38B, RFC 4493) on `@noble/ciphers`' AES, which runs in a browser as
 * on Node: the message, its last block padded and masked with a subkey, goes through AES-CBC
 * from a zero IV in one call; the MAC is the last block.
 */
export function aesCmac(key: Uint8Array, message: Uint8Array): Uint8Array {
  if (key.length !== 16) throw new RangeError("AES-128 CMAC takes a 16-byte key");
  const { k1, k2 } = subkeysOf(key);
  const blocks = Math.max(1, Math.ceil(message.length / 16));
  const complete = message.length > 0 && message.length % 16 === 0;
  const m = new Uint8Array(blocks * 16);
  m.set(message);
  const last = (blocks - 1) * 16;
  if (!complete) m[message.length] = 0x80;
  const sub = complete ? k1 : k2;
  for (let i = 0; i < 16; i++) m[last + i] = (m[last + i] as number) ^ (sub[i] as number);
  return cbc(key, ZERO_IV, { disablePadding: true }).encrypt(m).slice(last);
}
