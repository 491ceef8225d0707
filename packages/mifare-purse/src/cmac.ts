import { type Cipher, createCipheriv } from "node:crypto";

interface Prepared {
  readonly encrypt: (block: Uint8Array) => Uint8Array;
  readonly k1: Uint8Array;
  readonly k2: Uint8Array;
}

/** The AES-ECB cipher and CMAC subkeys of a key, made once per key object. */
const prepared = new WeakMap<Uint8Array, Prepared>();

function prepare(key: Uint8Array): Prepared {
  let p = prepared.get(key);
  if (p !== undefined) return p;
  // ECB without padding keeps no state between blocks, so one cipher serves every call.
  const cipher: Cipher = createCipheriv("aes-128-ecb", key, null);
  cipher.setAutoPadding(false);
  const encrypt = (block: Uint8Array): Uint8Array => new Uint8Array(cipher.update(block));
  const shift = (b: Uint8Array): Uint8Array => {
    const out = new Uint8Array(16);
    for (let i = 0; i < 16; i++) out[i] = (((b[i] as number) << 1) | ((b[i + 1] ?? 0) >> 7)) & 0xff;
    if ((b[0] as number) & 0x80) out[15] = (out[15] as number) ^ 0x87;
    return out;
  };
  const k1 = shift(encrypt(new Uint8Array(16)));
  p = { encrypt, k1, k2: shift(k1) };
  prepared.set(key, p);
  return p;
}

/** AES-128 CMAC (NIST SP 800-38B, RFC 4493) on Node's AES, which has no CMAC of its own. */
export function aesCmac(key: Uint8Array, message: Uint8Array): Uint8Array {
  if (key.length !== 16) throw new RangeError("AES-128 CMAC takes a 16-byte key");
  const { encrypt, k1, k2 } = prepare(key);
  const blocks = Math.max(1, Math.ceil(message.length / 16));
  const complete = message.length > 0 && message.length % 16 === 0;
  const x = new Uint8Array(16);
  for (let b = 0; b < blocks - 1; b++) {
    for (let i = 0; i < 16; i++) x[i] = (x[i] as number) ^ (message[b * 16 + i] as number);
    x.set(encrypt(x));
  }
  const tail = message.subarray((blocks - 1) * 16);
  const sub = complete ? k1 : k2;
  for (let i = 0; i < 16; i++) {
    const m = i < tail.length ? (tail[i] as number) : i === tail.length && !complete ? 0x80 : 0;
    x[i] = (x[i] as number) ^ m ^ (sub[i] as number);
  }
  return encrypt(x);
}
