import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ExecutiveMaster, type MasterEvent } from "./master.js";
import {
  type CreditBlock,
  creditFromNibbles,
  creditNibbles,
  dataByte,
  decodeBlock,
  EXECUTIVE,
  encodeBlock,
  isDataByte,
} from "./wire.js";

/** test-vectors/public-facts.json: the wire values public sources support, kept apart from the code. */
const here = dirname(fileURLToPath(import.meta.url));
const vectors = JSON.parse(readFileSync(join(here, "..", "test-vectors", "public-facts.json"), "utf8")) as {
  facts: { path: string; value: number; confidence: string; source: string }[];
  dataBytes: { nibbleToByte: [number, number][]; notData: number[] };
};
const at = (path: string): unknown =>
  path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], EXECUTIVE);

describe("Executive constants against the public facts in test-vectors/", () => {
  it("lists the facts the digest rates medium or better", () => {
    expect(vectors.facts.length).toBeGreaterThanOrEqual(27);
    expect(vectors.facts.every((f) => /high|medium/.test(f.confidence) && f.source.length > 0)).toBe(true);
  });

  for (const fact of vectors.facts)
    it(`${fact.path} is ${fact.value} (${fact.confidence}: ${fact.source})`, () => {
      expect(at(fact.path)).toBe(fact.value);
    });

  it("frames a nibble as a 0x2X data byte and tells data from control bytes", () => {
    for (const [nibble, byte] of vectors.dataBytes.nibbleToByte) {
      expect(dataByte(nibble)).toBe(byte);
      expect(isDataByte(byte)).toBe(true);
    }
    for (const b of vectors.dataBytes.notData) expect(isDataByte(b)).toBe(false);
  });
});

interface Examples {
  acceptData: { source: string; bytes: number[]; credit: CreditBlock; amount: number }[];
  status: {
    source: string;
    byte: number;
    freeVend: boolean;
    inhibited: boolean;
    bdv: boolean;
    auditPairs: number;
  }[];
  credit: { source: string; byte: number; vendRequest: number | null }[];
  vend: { source: string; byte: number; success: boolean; auditPairs: number }[];
}
const examples = (vectors as unknown as { examples: Examples }).examples;

/** A master through one poll cycle whose answers are scripted: STATUS, CREDIT, then VEND if asked. */
function cycle(answers: { status: number; credit: number; vend?: number }): MasterEvent[] {
  const master = new ExecutiveMaster();
  const events: MasterEvent[] = [];
  let out = master.tick(0);
  for (let now = 1; now < 200 && out.send.length > 0; now++) {
    events.push(...out.events);
    const sent = out.send[0] as number;
    if (events.some((e) => e.kind === "vend-request") && !master.vending) break;
    const reply =
      sent === EXECUTIVE.commands.status
        ? answers.status
        : sent === EXECUTIVE.commands.credit
          ? answers.credit
          : sent === EXECUTIVE.commands.vend
            ? (answers.vend as number)
            : EXECUTIVE.replies.ack;
    out = master.receive([reply], now);
    if (out.events.some((e) => e.kind === "vend-request")) {
      events.push(...out.events);
      master.approve();
      out = master.tick(now);
    }
  }
  events.push(...out.events);
  return events;
}

describe("the sources' own examples (test-vectors/public-facts.json)", () => {
  for (const ex of examples.acceptData)
    it(`ACCEPT DATA ${ex.bytes.map((b) => b.toString(16)).join(" ")} is ${ex.amount} (${ex.source})`, () => {
      const credit = creditFromNibbles(decodeBlock(Uint8Array.from(ex.bytes)));
      expect(credit).toEqual(ex.credit);
      expect(credit.count * credit.baseUnit).toBe(ex.amount);
      expect(Array.from(encodeBlock(creditNibbles(ex.credit)))).toEqual(ex.bytes);
    });

  for (const ex of examples.status)
    it(`STATUS answer ${ex.byte.toString(16)} (${ex.source})`, () => {
      const status = cycle({ status: ex.byte, credit: 0xfe }).find((e) => e.kind === "status");
      expect(status).toEqual({
        kind: "status",
        byte: ex.byte,
        freeVend: ex.freeVend,
        inhibited: ex.inhibited,
        bdv: ex.bdv,
        auditPairs: ex.auditPairs,
      });
    });

  for (const ex of examples.credit)
    it(`CREDIT answer ${ex.byte.toString(16)} (${ex.source})`, () => {
      const request = cycle({ status: 0, credit: ex.byte, vend: 0 }).find((e) => e.kind === "vend-request");
      expect(request === undefined ? null : request.value).toBe(ex.vendRequest);
    });

  for (const ex of examples.vend)
    it(`VEND answer ${ex.byte.toString(16)} (${ex.source})`, () => {
      const result = cycle({ status: 0, credit: 5, vend: ex.byte }).find((e) => e.kind === "vend-result");
      expect(result).toEqual({
        kind: "vend-result",
        success: ex.success,
        timedOut: false,
        auditPairs: ex.auditPairs,
      });
    });
});
