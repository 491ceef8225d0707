/**
 * EVA-DTS is ASCII; files are read and written as ISO-8859-1 so that every byte maps to one
 * code unit and back, whatever a vendor put in a name field. This runs in a browser as on Node,
 * so it uses no Buffer. WHATWG's TextDecoder "latin1" is windows-1252: it turns 27 of the bytes
 * 0x80-0x9F into other characters (0x80 into the euro sign), which are put back here.
 */

const utf8 = new TextDecoder();
const windows1252 = new TextDecoder("latin1");
const encoder = new TextEncoder();

/** The characters windows-1252 gives bytes 0x80-0x9F that are not those bytes' own code points. */
const BACK = new Map<string, string>();
for (let b = 0x80; b < 0xa0; b++) {
  const c = windows1252.decode(Uint8Array.of(b));
  if (c !== String.fromCharCode(b)) BACK.set(c, String.fromCharCode(b));
}
const NOT_LATIN1 = new RegExp(`[${[...BACK.keys()].join("")}]`, "g");

/**
 * The bytes as latin1 text. `ascii` (no byte of 0x80 or more, when the caller knows it, as a
 * parse does from its scan) takes the fast way: ASCII decodes the same in every encoding.
 */
export function decodeLatin1(bytes: Uint8Array, ascii = false): string {
  if (ascii) return utf8.decode(bytes);
  return windows1252.decode(bytes).replace(NOT_LATIN1, (c) => BACK.get(c) as string);
}

export function encodeLatin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  writeLatin1(text, out);
  return out;
}

/** Writes `text` (code units 0..255) into `into` from its start, one byte per character. */
export function writeLatin1(text: string, into: Uint8Array): void {
  // ASCII text is its UTF-8: the encoder copies it in one go, and says so by its counts
  const { read, written } = encoder.encodeInto(text, into.subarray(0, text.length));
  if (read === text.length && written === text.length) return;
  for (let i = 0; i < text.length; i++) into[i] = text.charCodeAt(i);
}
