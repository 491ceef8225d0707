/**
 * Text in MiZip's numeric audit fields (manual 7.5, digest §13): a string is cut into groups of 4
 * characters and each group is sent as the 32-bit integer of its 4 bytes (first character most
 * significant) written in decimal; a last short group is padded with spaces.
 * "ZIP12345" → "ZIP1" = 0x5A495031 = 1514754097 and "2345" = 0x32333435 = 842216501.
 */
export function packText(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i += 4) {
    const group = text.slice(i, i + 4).padEnd(4, " ");
    let v = 0;
    for (const ch of group) {
      const c = ch.charCodeAt(0);
      if (c > 0xff) throw new RangeError(`"${ch}" is not a single-byte character`);
      v = v * 256 + c;
    }
    out.push(v);
  }
  return out;
}

/** The text back from its 32-bit groups (trailing pad spaces kept). */
export function unpackText(groups: readonly number[]): string {
  return groups
    .map((v) => {
      if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`${v} is not a 32-bit group`);
      return String.fromCharCode((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
    })
    .join("");
}
