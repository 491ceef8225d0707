/**
 * Any bytes as an MDB capture file (`readPcap`): an error naming the problem or the packets, never
 * an exception. The packets are the records' bytes, in order, none left unread; and those of a
 * well-formed file (microseconds below a million) written back by `MdbCapture` read again as the
 * same packets (times to the microsecond the file has).
 */
import { MdbCapture, readPcap } from "@vendkit/mdb";
import { finding, never } from "../harness.js";

export function fuzz(data: Uint8Array): void {
  const read = never("readPcap", () => readPcap(data));
  if ("error" in read) {
    if (typeof read.error !== "string" || read.error.length === 0) finding("readPcap's error names nothing");
    return;
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let at = 24;
  let wellFormed = true;
  for (const p of read.packets) {
    const length = view.getUint32(at + 8, true);
    if (view.getUint32(at + 4, true) >= 1_000_000) wellFormed = false;
    if (p.data.length !== length)
      finding(`a packet of ${p.data.length} bytes where its record says ${length}`);
    if (!p.data.every((b, k) => b === data[at + 16 + k]))
      finding(`the packet at ${at} is not the file's bytes`);
    if (!Number.isFinite(p.time) || p.time < 0) finding(`the packet at ${at} has time ${p.time}`);
    at += 16 + length;
  }
  if (data.length - at >= 16) finding(`${data.length - at} bytes after the last packet were not read`);
  if (!wellFormed) return;
  const capture = new MdbCapture();
  capture.packets.push(...read.packets);
  const again = readPcap(capture.toPcap());
  if ("error" in again) finding(`written back, the capture reads as an error: ${again.error}`);
  if (again.packets.length !== read.packets.length)
    finding(`written back, ${again.packets.length} packets instead of ${read.packets.length}`);
  read.packets.forEach((p, k) => {
    const q = again.packets[k];
    if (
      q === undefined ||
      Math.abs(q.time - p.time) > 0.001 ||
      q.data.length !== p.data.length ||
      !q.data.every((b, i) => b === p.data[i])
    )
      finding(`written back, packet ${k} reads differently`);
  });
}
