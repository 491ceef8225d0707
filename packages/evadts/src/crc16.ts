/**
 * CRC-16/ARC: polynomial 0x8005 reflected (0xA001), initial value 0, no final XOR.
 * This is the CRC that EVA-DTS puts in G85 (see the package README for the evidence);
 * its check value over "123456789" is 0xBB3D.
 */
const TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
    t[i] = c;
  }
  return t;
})();

/** Folds bytes (or the latin1 code units of a string) from `start` to `end` into `crc`. */
export function crc16Update(crc: number, data: Uint8Array | string, start = 0, end = data.length): number {
  let c = crc;
  if (typeof data === "string") {
    for (let i = start; i < end; i++) c = (c >>> 8) ^ (TABLE[(c ^ data.charCodeAt(i)) & 0xff] as number);
  } else {
    for (let i = start; i < end; i++) c = (c >>> 8) ^ (TABLE[(c ^ (data[i] as number)) & 0xff] as number);
  }
  return c;
}

export function crc16(data: Uint8Array | string): number {
  return crc16Update(0, data);
}

/** The four upper-case hexadecimal digits G85 carries. */
export function crcHex(crc: number): string {
  return crc.toString(16).toUpperCase().padStart(4, "0");
}
