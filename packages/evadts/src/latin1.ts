/**
 * EVA-DTS is ASCII; files are read and written as ISO-8859-1 so that every byte maps to one
 * code unit and back, whatever a vendor put in a name field. (WHATWG's TextDecoder "latin1" is
 * windows-1252 and would not round-trip bytes 0x80-0x9F, so Buffer is used.)
 */
export function decodeLatin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

export function encodeLatin1(text: string): Uint8Array {
  const buf = Buffer.from(text, "latin1");
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Writes `text` (code units 0..255) into `into` from its start, one byte per character. */
export function writeLatin1(text: string, into: Uint8Array): void {
  Buffer.from(into.buffer, into.byteOffset, into.byteLength).write(text, 0, text.length, "latin1");
}
