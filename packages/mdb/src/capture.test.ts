import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MdbCapture, readPcap } from "./capture.js";
import { CashlessPeripheral } from "./cashless/peripheral.js";
import { testReader } from "./cashless/test-support.js";
import { VmcSimulator } from "./cashless/vmc-simulator.js";

function session(): MdbCapture {
  const capture = new MdbCapture(Date.UTC(2026, 10, 22));
  const reader = new CashlessPeripheral({
    address: 0x10,
    identity: testReader({ model: "CAP", level: 2 }),
  });
  const vmc = new VmcSimulator(reader, { vmcLevel: 2, capture });
  capture.busReset(0);
  vmc.initialise();
  reader.beginSession(150);
  vmc.poll();
  vmc.send({ type: "vend-request", price: 100, item: 1 });
  reader.approveVend(100);
  vmc.pollFor(["vend-approved"]);
  vmc.send({ type: "vend-success", item: 1 });
  vmc.endSession();
  return capture;
}

describe("pcap capture (LINKTYPE_MDB)", () => {
  it("writes a pcap whose packets carry the pseudo-header and the wire bytes", () => {
    const capture = session();
    const file = capture.toPcap();
    const read = readPcap(file);
    if ("error" in read) throw new Error(read.error);
    expect(read.linktype).toBe(300);
    expect(read.packets).toHaveLength(capture.packets.length);
    expect(Array.from(read.packets[0]?.data ?? [])).toEqual([0, 0xfd]);
    // RESET to cashless #1: version 0, master->peripheral, 0x10, CHK 0x10
    expect(Array.from(read.packets[1]?.data ?? [])).toEqual([0, 0xff, 0x10, 0x10]);
    // its ACK: peripheral->master from 0x10, a lone 00
    expect(Array.from(read.packets[2]?.data ?? [])).toEqual([0, 0xfe, 0x10, 0x00]);
    const vendApproved = read.packets.find((p) => p.data[1] === 0xfe && p.data[3] === 0x05);
    expect(Array.from(vendApproved?.data ?? [])).toEqual([0, 0xfe, 0x10, 0x05, 0x00, 0x64, 0x69]);
    expect(read.packets[1]?.time).toBeCloseTo(Date.UTC(2026, 10, 22), -1);
  });

  it("refuses what is not a pcap", () => {
    expect(readPcap(new Uint8Array(10))).toEqual({ error: "shorter than a pcap header" });
    const bad = session().toPcap().slice(0, 40);
    expect(readPcap(bad)).toMatchObject({ error: expect.stringContaining("runs past the end") });
  });

  it("is decoded by tshark's MDB dissector, where a tshark that has one (Wireshark >= 4.2) is installed", (ctx) => {
    const protocols = spawnSync("tshark", ["-G", "protocols"], { encoding: "utf8" });
    if (protocols.status !== 0 || !/\tmdb\s*$/m.test(protocols.stdout)) {
      console.warn(
        "no tshark with the MDB dissector (Wireshark >= 4.2) here: the Wireshark decoding check did NOT run",
      );
      ctx.skip();
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), "mdb-"));
    const path = join(dir, "session.pcap");
    writeFileSync(path, session().toPcap());
    const out = execFileSync("tshark", ["-r", path, "-T", "fields", "-e", "mdb.event"], { encoding: "utf8" });
    expect(out.split("\n").filter(Boolean).length).toBeGreaterThan(10);
  });
});
