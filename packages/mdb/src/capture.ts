/**
 * Bus captures as pcap files with LINKTYPE_MDB (300), which Wireshark's MDB dissector (≥ 4.2)
 * reads: each packet starts with a pseudo-header, version 0 and an event byte (FF master to
 * peripheral, FE peripheral to master followed by the peripheral's address byte, FD bus reset),
 * then the bytes on the wire, CHK included.
 */
export const LINKTYPE_MDB = 300;
export const EVENT = { masterToPeripheral: 0xff, peripheralToMaster: 0xfe, busReset: 0xfd } as const;

export interface CapturedPacket {
  /** Milliseconds since the capture's epoch. */
  readonly time: number;
  readonly data: Uint8Array;
}

export class MdbCapture {
  readonly packets: CapturedPacket[] = [];

  constructor(
    /** Wall-clock milliseconds (Unix epoch) that the bus time 0 stands for. */
    private readonly epoch = 0,
  ) {}

  /** A block the master sent (address byte first, CHK included) or its lone ACK/RET/NAK. */
  masterToPeripheral(bytes: ArrayLike<number>, now: number): void {
    this.add(now, [0, EVENT.masterToPeripheral, ...Array.from(bytes, (b) => b & 0xff)]);
  }

  /** What the peripheral at `address` answered (data + CHK, or a lone ACK/NAK). */
  peripheralToMaster(address: number, bytes: ArrayLike<number>, now: number): void {
    this.add(now, [0, EVENT.peripheralToMaster, address & 0xff, ...Array.from(bytes, (b) => b & 0xff)]);
  }

  busReset(now: number): void {
    this.add(now, [0, EVENT.busReset]);
  }

  /** The capture as a classic pcap file (microsecond timestamps, little endian). */
  toPcap(): Uint8Array {
    const size = 24 + this.packets.reduce((n, p) => n + 16 + p.data.length, 0);
    const out = new Uint8Array(size);
    const v = new DataView(out.buffer);
    v.setUint32(0, 0xa1b2c3d4, true);
    v.setUint16(4, 2, true);
    v.setUint16(6, 4, true);
    v.setUint32(16, 65535, true);
    v.setUint32(20, LINKTYPE_MDB, true);
    let at = 24;
    for (const p of this.packets) {
      const micros = Math.round((this.epoch + p.time) * 1000);
      v.setUint32(at, Math.floor(micros / 1e6), true);
      v.setUint32(at + 4, micros % 1e6, true);
      v.setUint32(at + 8, p.data.length, true);
      v.setUint32(at + 12, p.data.length, true);
      out.set(p.data, at + 16);
      at += 16 + p.data.length;
    }
    return out;
  }

  private add(time: number, bytes: number[]): void {
    this.packets.push({ time, data: Uint8Array.from(bytes) });
  }
}

/** Reads back a pcap file written by `toPcap` (or any LINKTYPE_MDB pcap). */
export function readPcap(
  file: Uint8Array,
): { linktype: number; packets: CapturedPacket[] } | { error: string } {
  if (file.length < 24) return { error: "shorter than a pcap header" };
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (v.getUint32(0, true) !== 0xa1b2c3d4) return { error: "not a little-endian microsecond pcap" };
  const packets: CapturedPacket[] = [];
  let at = 24;
  while (at + 16 <= file.length) {
    const len = v.getUint32(at + 8, true);
    if (at + 16 + len > file.length) return { error: `packet at ${at} runs past the end` };
    packets.push({
      time: v.getUint32(at, true) * 1000 + v.getUint32(at + 4, true) / 1000,
      data: file.slice(at + 16, at + 16 + len),
    });
    at += 16 + len;
  }
  return { linktype: v.getUint32(20, true), packets };
}
