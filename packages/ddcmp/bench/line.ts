/**
 * A step's bytes, message by message: a receiver has each message once its last byte is in, so
 * the line delivers them one by one, not the run as a whole.
 */
export function messages(run: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < run.length; ) {
    const data = run[at] === 0x81; // SOH: header, count bytes of data and their CRC
    const count = ((run[at + 1] as number) | ((run[at + 2] as number) << 8)) & 0x3fff;
    const end = at + 8 + (data ? count + 2 : 0);
    out.push(run.subarray(at, end));
    at = end;
  }
  return out;
}
