import type { Step } from "@vendkit/machine";
import { describe, expect, it } from "vitest";
import { EvaLink, type EvaLinkEvent } from "./eva-link.js";
import { EVA_TIMING } from "./eva-profile.js";
import { type DdcmpMessage, encodeMessage, MessageParser } from "./messages.js";

const parse = (out: Step<EvaLinkEvent>): DdcmpMessage[] =>
  new MessageParser().push(out.send).filter((m): m is DdcmpMessage => m.kind !== "error");
const start = (mbd = 0) => encodeMessage({ kind: "start", addr: 1, flags: 0x40, mbd });
const data = (num: number, bytes: number[], resp = 0) =>
  encodeMessage({ kind: "data", resp, num, addr: 1, flags: 0x40, data: Uint8Array.from(bytes) });

/** A slave that has answered START, its turnaround 0 so answers come at once. */
function runningSlave(timing: Partial<typeof EVA_TIMING> = {}) {
  const slave = new EvaLink({ role: "slave", maxBaudCode: 0, timing: { turnaround: 0, ...timing } });
  slave.receive(start(), 0);
  return slave;
}

describe("the EVA-DTS profile of DDCMP, one end at a time (Table 2, pp. 65-70)", () => {
  it("a master never takes a rate it did not ask for, nor a code EVA-DTS does not define", () => {
    // found by fuzzing (packages/fuzz, ddcmp-audit-collector): a STACK agreeing code 9 set the
    // line to an undefined rate and every deadline after it to NaN
    for (const [ask, sbd, mbd, baud] of [
      [8, 63, 9, 2400],
      [4, 8, 8, 2400],
      [4, 8, 4, 9600],
      [0, 8, 5, 2400],
    ] as const) {
      const master = new EvaLink({ role: "master", maxBaudCode: ask, timing: { turnaround: 0 } });
      master.start();
      master.tick(0);
      const step = master.receive(encodeMessage({ kind: "stack", sbd, mbd, addr: 1, flags: 0x40 }), 10);
      expect(master.baud).toBe(baud);
      expect(Number.isFinite(step.deadline)).toBe(true);
    }
  });

  it("resends a data message after the ACK time-out it is given (40018 ACK TIME OUT), five attempts in all", () => {
    for (const ackTimeout of [170, 500]) {
      const slave = runningSlave({ ackTimeout });
      slave.send(Uint8Array.of(0x88, 0xe0, 0, 1));
      const first = slave.tick(10);
      expect(parse(first)).toMatchObject([{ kind: "data", num: 1 }]);
      // the 14-byte message takes 59 ms at 2400 baud; then the ACK time-out runs
      const wire = Math.ceil((first.send.length * 10_000) / 2400);
      expect(wire).toBe(59);
      const due = 10 + wire + ackTimeout;
      expect(Array.from(slave.tick(due - 1).send)).toEqual([]);
      expect(parse(slave.tick(due))).toMatchObject([{ kind: "data", num: 1 }]);
      let t = due;
      for (let attempt = 3; attempt <= 5; attempt++) {
        t += wire + ackTimeout;
        expect(parse(slave.tick(t))).toHaveLength(1);
      }
      expect(slave.tick(t + wire + ackTimeout).events).toMatchObject([
        { type: "failed", reason: "TOO_MANY_RETRIES" },
      ]);
    }
  });

  it("reads a NACK's reason whether it comes as 0x40 + code or as the bare code, and takes a matching one as an ACK", () => {
    const slave = runningSlave();
    slave.send(Uint8Array.of(0x88, 0xe2, 0));
    slave.tick(0);
    // a NACK for an earlier number: send again
    const bare = Uint8Array.from([0x05, 0x02, 0x02, 0x00, 0x00, 0x01]);
    const again = slave.receive(withCrc(bare), 1);
    expect(parse(again)).toMatchObject([{ kind: "data", num: 1 }]);
    expect(new MessageParser().push(withCrc(bare))).toMatchObject([{ kind: "nak", reason: 2 }]);
    expect(new MessageParser().push(withCrc(Uint8Array.of(0x05, 0x02, 0x42, 0, 0, 1)))).toMatchObject([
      { kind: "nak", reason: 2 },
    ]);
    // a NACK carrying our number: the message had arrived (a duplicate was NACKed), so it counts
    const done = slave.receive(encodeMessage({ kind: "nak", resp: 1, reason: 2, addr: 1, flags: 0x40 }), 2);
    expect(done.events).toContainEqual({ type: "sent", num: 1 });
  });

  it("spends an attempt on each NACK of its message: a peer that keeps NACKing ends the link like one that stays silent", () => {
    // found by the session property test: a START delayed on the line restarted the device, which
    // then NACKed every READ DATA (a number it did not expect); the collector sent it again forever
    const slave = runningSlave();
    slave.send(Uint8Array.of(0x88, 0xe2, 0));
    expect(parse(slave.tick(0))).toMatchObject([{ kind: "data", num: 1 }]);
    const nak = encodeMessage({ kind: "nak", resp: 0, reason: 2, addr: 1, flags: 0x40 });
    for (let attempt = 2; attempt <= 5; attempt++)
      expect(parse(slave.receive(nak, attempt))).toMatchObject([{ kind: "data", num: 1 }]);
    const last = slave.receive(nak, 6);
    expect(parse(last)).toEqual([]);
    expect(last.events).toMatchObject([{ type: "failed", reason: "TOO_MANY_RETRIES" }]);
    expect(last.deadline).toBeUndefined();
  });

  it("acknowledges a duplicate without delivering it, NACKs a message too long for its buffer (reason 16)", () => {
    const slave = runningSlave();
    const first = slave.receive(data(1, [0x77, 0xff]), 1);
    expect(first.events).toContainEqual({ type: "data", data: Uint8Array.of(0x77, 0xff), select: false });
    const dup = slave.receive(data(1, [0x77, 0xff]), 2);
    expect(dup.events.some((e) => e.type === "data")).toBe(false);
    expect(parse(dup)).toMatchObject([{ kind: "ack", resp: 1 }]);
    const long = slave.receive(data(2, Array(239).fill(0x41)), 3);
    expect(parse(long)).toMatchObject([{ kind: "nak", resp: 1, reason: 16 }]);
  });

  it("a master tries START ten times, 250 ms apart, then fails with START_TIMEOUT", () => {
    const master = new EvaLink({ role: "master", timing: { turnaround: 0 } });
    master.start();
    expect(parse(master.tick(0))).toMatchObject([{ kind: "start", mbd: 8 }]);
    let sent = 1;
    let failed = false;
    for (let t = 1; t <= 3000 && !failed; t++) {
      const o = master.tick(t);
      sent += parse(o).length;
      failed = o.events.some((e) => e.type === "failed" && e.reason === "START_TIMEOUT");
    }
    expect([sent, failed]).toEqual([10, true]);
  });

  it("a slave waiting for the next command gives up after the link time-out", () => {
    const slave = runningSlave();
    expect(slave.tick(EVA_TIMING.linkTimeout).events).toEqual([]);
    expect(slave.tick(EVA_TIMING.linkTimeout + 1).events).toMatchObject([
      { type: "failed", reason: "LINK_TIMEOUT" },
    ]);
  });

  it("holds what it sends until the turnaround since the last byte received has passed (40 ms)", () => {
    const slave = new EvaLink({ role: "slave", maxBaudCode: 0 });
    expect(Array.from(slave.receive(start(), 100).send)).toEqual([]);
    expect(Array.from(slave.tick(139).send)).toEqual([]);
    expect(parse(slave.tick(140))).toMatchObject([{ kind: "stack", sbd: 0, mbd: 0 }]);
  });

  it("a second START after a rate change may repeat the code or say 0; a slave reads both", () => {
    for (const secondStart of ["repeat", "unchanged"] as const) {
      const master = new EvaLink({ role: "master", maxBaudCode: 4, secondStart, timing: { turnaround: 0 } });
      master.start();
      master.tick(0);
      const switched = master.receive(
        encodeMessage({ kind: "stack", sbd: 8, mbd: 4, addr: 1, flags: 0x40 }),
        10,
      );
      expect(switched.events).toContainEqual({ type: "baud", baud: 9600 });
      expect(parse(switched)).toMatchObject([{ kind: "start", mbd: secondStart === "repeat" ? 4 : 0 }]);
      const slave = new EvaLink({ role: "slave", maxBaudCode: 8, timing: { turnaround: 0 } });
      slave.receive(start(4), 0);
      expect(slave.baud).toBe(9600);
      const second = slave.receive(start(secondStart === "repeat" ? 4 : 0), 20);
      expect(parse(second)).toMatchObject([{ kind: "stack" }]);
      expect(slave.baud).toBe(9600);
    }
  });
});

function withCrc(head: Uint8Array): Uint8Array {
  let crc = 0;
  for (const b of head) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return Uint8Array.from([...head, crc & 0xff, crc >> 8]);
}
