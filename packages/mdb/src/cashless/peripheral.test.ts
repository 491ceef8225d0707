import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeMasterBlock } from "../link.js";
import { type CashlessCommand, encodeCommand } from "./commands.js";
import { OPTIONS } from "./context.js";
import {
  type CashlessEvent,
  CashlessPeripheral,
  type Customisations,
  type ReaderIdentity,
} from "./peripheral.js";
import { VmcSimulator } from "./vmc-simulator.js";

const IDENTITY: ReaderIdentity = {
  manufacturer: "VKT",
  serial: "000000004711",
  model: "MIZIP-SIM",
  version: 0x0210,
  level: 3,
  currency: 0x1978,
  scale: 1,
  decimals: 2,
  maxResponseTime: 5,
  configOptions: 0b0001,
  features: OPTIONS.money32 | OPTIONS.negativeVend | OPTIONS.alwaysIdle,
};

/** A reader on the bus with a VMC, recording every event for the payment core. */
function bus(
  options: { vmcLevel?: 1 | 2 | 3; features?: number; customisations?: Partial<Customisations> } = {},
) {
  const reader = new CashlessPeripheral({
    address: 0x10,
    identity: IDENTITY,
    customisations: options.customisations,
  });
  const events: CashlessEvent[] = [];
  const vmc = new VmcSimulator(reader, {
    vmcLevel: options.vmcLevel ?? 3,
    features: options.features ?? 0,
    onEvent: (e) => events.push(e),
  });
  return { reader, vmc, events };
}

describe("initialisation (§7.4.1)", () => {
  it("answers JUST RESET, reader config, peripheral ID, and ends Enabled", () => {
    const { reader, vmc, events } = bus({ vmcLevel: 2 });
    const { config, id } = vmc.initialise({ max: 500, min: 10 });
    expect(config).toEqual({
      type: "reader-config",
      level: 3,
      currency: 0x1978,
      scale: 1,
      decimals: 2,
      maxResponseTime: 5,
      options: 1,
    });
    expect(id).toMatchObject({
      type: "peripheral-id",
      manufacturer: "VKT",
      model: "MIZIP-SIM   ",
      version: 0x0210,
    });
    expect(reader.state).toBe("enabled");
    expect(reader.ctx).toEqual({ level: 2, expanded: false });
    expect(events.map((e) => e.type)).toEqual(["reset", "setup", "prices", "vmc-id", "enabled"]);
  });

  it("switches to 32-bit money when a level-3 VMC enables it", () => {
    const { reader, vmc } = bus({ vmcLevel: 3, features: OPTIONS.money32 });
    vmc.initialise();
    expect(reader.ctx).toEqual({ level: 3, expanded: true });
    reader.beginSession(100_000);
    expect(vmc.poll()).toEqual([expect.objectContaining({ type: "begin-session", funds: 100_000 })]);
  });
});

describe("a sale", () => {
  it("runs begin session, vend approved, vend success, end session", () => {
    const { reader, vmc, events } = bus();
    vmc.initialise();
    expect(reader.beginSession(250)).toBe(true);
    expect(vmc.poll()).toMatchObject([{ type: "begin-session", funds: 250 }]);
    vmc.send({ type: "vend-request", price: 120, item: 3 });
    expect(events.at(-1)).toEqual({ type: "vend-request", price: 120, item: 3 });
    expect(vmc.poll()).toEqual([]);
    expect(reader.approveVend(120)).toBe(true);
    expect(vmc.pollFor(["vend-approved"])).toEqual({ type: "vend-approved", amount: 120 });
    vmc.send({ type: "vend-success", item: 3 });
    expect(events.at(-1)).toEqual({ type: "vend-success", item: 3, amount: 120 });
    expect(vmc.endSession()).toBe(true);
    expect(reader.state).toBe("enabled");
  });

  it("never approves above the session's funds", () => {
    const { reader, vmc } = bus();
    vmc.initialise();
    reader.beginSession(100);
    vmc.poll();
    vmc.send({ type: "vend-request", price: 150, item: 1 });
    expect(reader.approveVend(150)).toBe(false);
    expect(vmc.pollFor(["vend-approved", "vend-denied"])).toEqual({ type: "vend-denied" });
    expect(reader.state).toBe("session-idle");
  });

  it("announces unknown funds (FFFF) when asked, and then approves what the core decides", () => {
    const { reader, vmc } = bus();
    vmc.initialise();
    reader.beginSession("unknown");
    expect(vmc.poll()).toEqual([expect.objectContaining({ type: "begin-session", funds: 0xffff })]);
    vmc.send({ type: "vend-request", price: 150, item: 1 });
    expect(reader.approveVend(150)).toBe(true);
    expect(vmc.pollFor(["vend-approved", "vend-denied"])).toEqual({ type: "vend-approved", amount: 150 });
  });

  it("denies on VEND CANCEL before approval, and refunds on VEND FAILURE", () => {
    const { reader, vmc, events } = bus();
    vmc.initialise();
    reader.beginSession(500);
    vmc.poll();
    vmc.send({ type: "vend-request", price: 100, item: 1 });
    vmc.send({ type: "vend-cancel" });
    expect(vmc.pollFor(["vend-denied"])).toEqual({ type: "vend-denied" });
    expect(events.some((e) => e.type === "vend-cancelled")).toBe(true);
    vmc.send({ type: "vend-request", price: 100, item: 1 });
    reader.approveVend(100);
    expect(vmc.pollFor(["vend-approved"])).toEqual({ type: "vend-approved", amount: 100 });
    expect(vmc.send({ type: "vend-failure" })).toEqual({ kind: "ack" });
    expect(events.at(-1)).toEqual({ type: "vend-failure", amount: 100 });
    expect(reader.state).toBe("session-idle");
  });

  it("counts a RESET between VEND APPROVED and VEND SUCCESS as a successful vend", () => {
    const { reader, vmc, events } = bus();
    vmc.initialise();
    reader.beginSession(500);
    vmc.poll();
    vmc.send({ type: "vend-request", price: 80, item: 2 });
    reader.approveVend(80);
    vmc.pollFor(["vend-approved"]);
    vmc.send({ type: "reset" });
    expect(events.slice(-2)).toEqual([
      { type: "vend-success", item: undefined, amount: 80 },
      { type: "reset", vendInterrupted: true },
    ]);
    expect(reader.state).toBe("inactive");
  });
});

describe("out of sequence and the VMC's retries", () => {
  it("ACKs a command the state does not allow, and answers 0B with the state at the next POLL", () => {
    const { reader, vmc, events } = bus();
    vmc.initialise();
    expect(vmc.send({ type: "vend-success", item: 1 })).toEqual({ kind: "ack" });
    expect(vmc.poll()).toEqual([{ type: "out-of-sequence", status: 3 }]);
    expect(events.at(-1)).toEqual({ type: "out-of-sequence", command: "vend-success", state: "enabled" });
    expect(reader.state).toBe("enabled");
  });

  it("with the MiZip OUT OF SEQUENCE customisation, returns to Enabled by itself", () => {
    const { reader, vmc } = bus({ customisations: { outOfSequence: true } });
    vmc.initialise();
    reader.beginSession(100);
    vmc.poll();
    vmc.send({ type: "revalue-limit-request" });
    vmc.send({ type: "vend-request", price: 10, item: 1 });
    vmc.send({ type: "vend-request", price: 10, item: 1 });
    expect(vmc.poll()).toEqual([{ type: "out-of-sequence", status: 5 }]);
    expect(reader.state).toBe("enabled");
  });

  it("repeats its reply on RET, and again at the next POLL when the VMC does not ACK", () => {
    const { reader, vmc } = bus();
    vmc.initialise();
    reader.beginSession(300);
    expect(vmc.send({ type: "poll" }, { ack: false })).toMatchObject({
      kind: "responses",
      responses: [{ type: "begin-session" }],
    });
    expect(vmc.poll()).toMatchObject([{ type: "begin-session", funds: 300 }]);
    reader.cancelSession();
    const first = vmc.send({ type: "poll" }, { ack: false });
    expect(first).toMatchObject({ kind: "responses", responses: [{ type: "session-cancel-request" }] });
    expect(vmc.retransmit()).toEqual(first);
    expect(vmc.poll()).toEqual([]);
  });

  it("keeps a transaction running through READER DISABLE, then disables", () => {
    const { reader, vmc } = bus();
    vmc.initialise();
    reader.beginSession(300);
    vmc.poll();
    vmc.send({ type: "reader-disable" });
    expect(reader.state).toBe("session-idle");
    expect(vmc.vend(100, 4)).toBeUndefined();
    vmc.send({ type: "vend-request", price: 100, item: 4 });
    reader.approveVend(100);
    vmc.pollFor(["vend-approved"]);
    vmc.send({ type: "vend-success", item: 4 });
    vmc.endSession();
    expect(reader.state).toBe("disabled");
  });
});

describe("always idle (level 3, option b5)", () => {
  it("takes a vend request without a session when the VMC enabled the option", () => {
    const { reader, vmc, events } = bus({ vmcLevel: 3, features: OPTIONS.alwaysIdle });
    vmc.initialise();
    vmc.send({ type: "vend-request", price: 120, item: 9 });
    expect(events.at(-1)).toEqual({ type: "vend-request", price: 120, item: 9 });
    expect(reader.approveVend(120)).toBe(true);
    expect(vmc.pollFor(["vend-approved"])).toEqual({ type: "vend-approved", amount: 120 });
    vmc.send({ type: "vend-success", item: 9 });
    expect(vmc.endSession()).toBe(true);
    expect(reader.state).toBe("enabled");
  });

  it("answers out of sequence without the option", () => {
    const { vmc } = bus({ vmcLevel: 3 });
    vmc.initialise();
    vmc.send({ type: "vend-request", price: 120, item: 9 });
    expect(vmc.poll()).toEqual([{ type: "out-of-sequence", status: 3 }]);
  });
});

describe("data entry (level 3, option b4)", () => {
  it("asks the VMC for keypad input and reports what comes back", () => {
    const { reader, vmc, events } = bus({ vmcLevel: 3 });
    vmc.initialise();
    expect(reader.requestDataEntry(0x24)).toBe(true);
    expect(vmc.poll()).toEqual([{ type: "data-entry-request", spec: 0x24 }]);
    vmc.send({ type: "data-entry-response", data: [1, 2, 3, 4, 0, 0, 0, 0] });
    expect(events.at(-1)).toEqual({ type: "data-entry", data: [1, 2, 3, 4, 0, 0, 0, 0] });
    const l2 = bus({ vmcLevel: 2 });
    l2.vmc.initialise();
    expect(l2.reader.requestDataEntry(0x24)).toBe(false);
  });
});

describe("revalue and credit updates", () => {
  it("revalues at level 2 and refuses it at level 1", () => {
    const l2 = bus({ vmcLevel: 2 });
    l2.vmc.initialise();
    l2.reader.beginSession(100);
    l2.vmc.poll();
    l2.reader.setRevalueLimit(900);
    expect(l2.vmc.send({ type: "revalue-limit-request" })).toEqual({
      kind: "responses",
      responses: [{ type: "revalue-limit", amount: 900 }],
    });
    l2.vmc.send({ type: "revalue-request", amount: 200 });
    expect(l2.events.at(-1)).toEqual({ type: "revalue-request", amount: 200 });
    l2.reader.approveRevalue(300);
    expect(l2.vmc.pollFor(["revalue-approved"])).toEqual({ type: "revalue-approved" });

    const l1 = bus({ vmcLevel: 1 });
    l1.vmc.initialise();
    l1.reader.beginSession(100);
    l1.vmc.poll();
    l1.vmc.send({ type: "revalue-request", amount: 200 });
    expect(l1.vmc.poll()).toEqual([{ type: "out-of-sequence" }]);
  });

  it("with UPDATE CREDIT, re-announces a new credit without the key leaving", () => {
    const { reader, vmc } = bus({ customisations: { updateCredit: true } });
    vmc.initialise();
    reader.beginSession(100);
    vmc.poll();
    expect(reader.updateCredit(600)).toBe(true);
    expect(vmc.pollFor(["session-cancel-request"])).toEqual({ type: "session-cancel-request" });
    vmc.send({ type: "session-complete" });
    expect(vmc.poll()).toMatchObject([{ type: "end-session" }, { type: "begin-session", funds: 600 }]);
    expect(reader.state).toBe("session-idle");
  });
});

describe("properties", () => {
  const commands: CashlessCommand[] = [
    { type: "poll" },
    { type: "reset" },
    { type: "setup-config", vmcLevel: 3, columns: 16, rows: 2, displayInfo: 0 },
    { type: "reader-enable" },
    { type: "reader-disable" },
    { type: "reader-cancel" },
    { type: "vend-request", price: 50, item: 1 },
    { type: "vend-request", price: 400, item: 2 },
    { type: "vend-cancel" },
    { type: "vend-success", item: 1 },
    { type: "vend-failure" },
    { type: "session-complete" },
    { type: "revalue-request", amount: 100 },
    { type: "revalue-limit-request" },
    { type: "cash-sale", price: 70, item: 3 },
  ];
  type Core = "begin" | "approve-price" | "approve-more" | "deny" | "cancel" | "revalue-ok" | "revalue-no";
  const stepArb = fc.oneof(
    fc.constantFrom(...commands).map((c) => ({ vmc: c })),
    fc
      .constantFrom<Core>(
        "begin",
        "approve-price",
        "approve-more",
        "deny",
        "cancel",
        "revalue-ok",
        "revalue-no",
      )
      .map((core) => ({ core })),
  );

  it("random VMC sequences: defined states, no approval above funds, answers always decodable, sessions alternate", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 60 }), fc.integer({ min: 0, max: 500 }), (steps, funds) => {
        const { reader, vmc, events } = bus();
        vmc.initialise();
        let sessionFunds = 0;
        let lastPrice = 0;
        let open = false;
        for (const step of steps) {
          if ("vmc" in step) {
            if (step.vmc.type === "vend-request") lastPrice = step.vmc.price;
            const r = vmc.send(step.vmc);
            expect(r.kind).not.toBe("error");
            expect(r.kind).not.toBe("silence");
            if (r.kind === "responses") {
              for (const resp of r.responses) {
                if (resp.type === "begin-session") {
                  expect(open).toBe(false);
                  open = true;
                }
                if (resp.type === "end-session") open = false;
                if (resp.type === "just-reset") open = false;
                if (resp.type === "vend-approved") expect(resp.amount).toBeLessThanOrEqual(sessionFunds);
              }
            }
          } else {
            switch (step.core) {
              case "begin":
                if (reader.beginSession(funds)) sessionFunds = funds;
                break;
              case "approve-price":
                reader.approveVend(lastPrice);
                break;
              case "approve-more":
                reader.approveVend(sessionFunds + 1);
                break;
              case "deny":
                reader.denyVend();
                break;
              case "cancel":
                reader.cancelSession();
                break;
              case "revalue-ok":
                if (reader.approveRevalue(sessionFunds + 100)) sessionFunds += 100;
                break;
              case "revalue-no":
                reader.denyRevalue();
                break;
            }
          }
          expect([
            "inactive",
            "disabled",
            "enabled",
            "session-idle",
            "vend",
            "revalue",
            "negative-vend",
          ]).toContain(reader.state);
        }
        for (const e of events)
          if (e.type === "vend-success")
            expect(e.amount).toBeLessThanOrEqual(Math.max(sessionFunds, funds) + 100 * steps.length);
      }),
      { numRuns: 500 },
    );
  });

  it("answers every out-of-sequence command with 0B at the next POLL", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<CashlessCommand>(
          { type: "vend-success", item: 1 },
          { type: "vend-failure" },
          { type: "session-complete" },
          { type: "vend-cancel" },
        ),
        (cmd) => {
          const { vmc } = bus();
          vmc.initialise();
          expect(vmc.send(cmd)).toEqual({ kind: "ack" });
          expect(vmc.poll()).toEqual([{ type: "out-of-sequence", status: 3 }]);
        },
      ),
    );
  });

  it("ignores blocks for other addresses", () => {
    const reader = new CashlessPeripheral({ address: 0x10, identity: IDENTITY });
    const words = encodeMasterBlock(
      encodeCommand({ type: "setup-config", vmcLevel: 3, columns: 0, rows: 0, displayInfo: 0 }, 0x60, {
        level: 1,
        expanded: false,
      }),
    );
    const sent = Array.from(words).flatMap((w, i) => Array.from(reader.receive([w], i * 0.5).send));
    expect(sent).toEqual([]);
    expect(reader.state).toBe("inactive");
    const mine = encodeMasterBlock(
      encodeCommand({ type: "setup-config", vmcLevel: 3, columns: 0, rows: 0, displayInfo: 0 }, 0x10, {
        level: 1,
        expanded: false,
      }),
    );
    const answer = Array.from(mine).flatMap((w, i) => Array.from(reader.receive([w], 10 + i * 0.5).send));
    expect(answer[0]).toBe(0x01);
    expect(reader.state).toBe("disabled");
  });
});
