import { describe, expect, it } from "vitest";
import { BillValidatorMaster, type ValidatorEvent } from "./bill-validator.js";
import { type ChangerEvent, CoinChangerMaster, decodeChangerPoll } from "./coin-changer.js";
import { BillValidatorSimulator, CoinChangerSimulator } from "./simulators.js";
import { runMaster as run } from "./test-support.js";

describe("coin changer master", () => {
  it("initialises after 'changer was reset': SETUP, ID, tubes, coin types", () => {
    const sim = new CoinChangerSimulator(undefined, 0b1111, [10, 10, 10, 10]);
    const master = new CoinChangerMaster();
    const events = run(master, sim, 0, 1000);
    expect(events.map((e) => e.type)).toEqual(["status", "setup", "identification", "tubes"]);
    expect(master.setup).toMatchObject({
      level: 3,
      currency: 0x1978,
      scale: 1,
      decimals: 2,
      credits: [5, 10, 20, 50, 100, 200, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    });
    expect(events[2]).toEqual({
      type: "identification",
      manufacturer: "VKT",
      serial: "000000000042",
      model: "CHANGER-SIM ",
      version: 0x0100,
      features: 0,
    });
    expect(master.changeAvailable()).toBe(10 * (5 + 10 + 20 + 50));
  });

  it("reports deposits with their value and route, and reads tubes after them", () => {
    const sim = new CoinChangerSimulator();
    const master = new CoinChangerMaster();
    run(master, sim, 0, 1000);
    sim.insertCoin(3);
    sim.insertCoin(5);
    const events = run(master, sim, 1000, 500);
    expect(events.filter((e) => e.type === "deposited")).toEqual([
      { type: "deposited", coinType: 3, value: 50, routing: "tubes", inTube: 1 },
      { type: "deposited", coinType: 5, value: 200, routing: "cashbox", inTube: 0 },
    ]);
    expect(events.at(-1)).toMatchObject({ type: "tubes" });
    expect(master.tubes?.counts[3]).toBe(1);
  });

  it("pays out change and follows the tubes; disabled coins are rejected", () => {
    const sim = new CoinChangerSimulator(undefined, 0b1111, [0, 20, 0, 0]);
    const master = new CoinChangerMaster();
    run(master, sim, 0, 1000);
    master.dispense(1, 3);
    run(master, sim, 1000, 200);
    expect(sim.tubes[1]).toBe(17);
    expect(master.tubes?.counts[1]).toBe(17);
    master.enableCoins(0b0011);
    run(master, sim, 1200, 100);
    sim.insertCoin(4);
    expect(run(master, sim, 1300, 200).find((e) => e.type === "deposited")).toMatchObject({
      routing: "reject",
      coinType: 4,
    });
  });

  it("pays change with ALTERNATIVE PAYOUT where offered, and with DISPENSE otherwise", () => {
    const smart = new CoinChangerSimulator(undefined, 0b1111, [10, 10, 10, 10], 0b11);
    const a = new CoinChangerMaster();
    run(a, smart, 0, 1000);
    expect(a.features).toBe(0b11);
    a.payout(85);
    const paid = run(a, smart, 1000, 300);
    expect(paid.find((e) => e.type === "payout")).toEqual({
      type: "payout",
      value: 85,
      coins: [1, 1, 1, 1, ...Array(12).fill(0)],
      method: "alternative",
    });
    expect(a.tubes?.counts.slice(0, 4)).toEqual([9, 9, 9, 9]);
    a.diagnose();
    expect(run(a, smart, 1300, 100).find((e) => e.type === "diagnostics")).toEqual({
      type: "diagnostics",
      codes: [[3, 0]],
    });

    const plain = new CoinChangerSimulator(undefined, 0b1111, [10, 1, 0, 3]);
    const b = new CoinChangerMaster();
    run(b, plain, 0, 1000);
    expect(b.dispensePlan(125)).toEqual([3, 1, 0, 2, ...Array(12).fill(0)]);
    b.payout(125);
    const events = run(b, plain, 1000, 300);
    expect(events.find((e) => e.type === "payout")).toMatchObject({ value: 125, method: "dispense" });
    expect(plain.tubes.slice(0, 4)).toEqual([7, 0, 0, 1]);
  });

  it("reports the escrow lever so the machine can return the customer's credit", () => {
    const sim = new CoinChangerSimulator(undefined, 0b1111, [10, 10, 10, 10]);
    const master = new CoinChangerMaster();
    run(master, sim, 0, 1000);
    sim.insertCoin(3);
    sim.pressEscrowLever();
    const events = run(master, sim, 1000, 100);
    expect(events.filter((e) => e.type === "deposited" || e.type === "status")).toEqual([
      { type: "deposited", coinType: 3, value: 50, routing: "tubes", inTube: 11 },
      { type: "status", code: 1, text: "escrow request" },
    ]);
    master.payout(50);
    expect(run(master, sim, 1100, 300).find((e) => e.type === "payout")).toMatchObject({ value: 50 });
    expect(sim.tubes[3]).toBe(10);
  });

  it("says when the changer stops answering and RESETs it", () => {
    const sim = new CoinChangerSimulator();
    const master = new CoinChangerMaster({ nonResponse: 2000 });
    run(master, sim, 0, 1000);
    sim.silent = true;
    expect(run(master, sim, 1000, 3000).filter((e) => e.type === "lost")).toHaveLength(1);
    sim.silent = false;
    const back = run(master, sim, 4000, 1000);
    expect(back.some((e) => e.type === "setup")).toBe(true);
  });

  it("decodes every POLL event kind and refuses unknown ones", () => {
    const events: ChangerEvent[] = decodeChangerPoll(
      Uint8Array.of(0x93, 4, 0x52, 7, 0x23, 0x0c, 0x0e, 0x41),
      undefined,
    );
    expect(events).toEqual([
      { type: "dispensed-manually", coinType: 3, count: 1, inTube: 4 },
      { type: "deposited", coinType: 2, value: 0, routing: "tubes", inTube: 7 },
      { type: "slugs", count: 3 },
      { type: "status", code: 12, text: "coin jam" },
      { type: "bad-reply", detail: "unknown status 14" },
      { type: "bad-reply", detail: "deposit without tube count" },
    ]);
  });
});

/** A peripheral whose answer to one command (matched by its first bytes) is cut to `n` bytes. */
function cutting(
  device: { handleBlock(b: Uint8Array): Uint8Array | undefined },
  command: readonly number[],
  n: number,
) {
  return {
    handleBlock(b: Uint8Array): Uint8Array | undefined {
      const answer = device.handleBlock(b);
      const match = command.every((c, i) => b[i] === c);
      return match && answer !== undefined ? answer.subarray(0, n) : answer;
    },
  };
}

describe("short replies: unsent bytes are zero (MDB 4.3 pp. 5-4, 5-5, 5-13, 6-4)", () => {
  const credits = [5, 10, 20, 50, 100, 200, 1, 2, 3, 4, 5, 6, 7, 8, 9, 250];
  const tubes = Array.from({ length: 16 }, (_, t) => t + 1);

  it("coin changer SETUP at every length from its 7 fixed bytes to 23", () => {
    for (let n = 7; n <= 23; n++) {
      const master = new CoinChangerMaster();
      const events = run(
        master,
        cutting(new CoinChangerSimulator(credits, 0xffff, tubes), [0x09], n),
        0,
        1000,
      );
      expect(events.some((e) => e.type === "bad-reply")).toBe(false);
      expect(master.setup?.credits).toEqual(credits.map((c, t) => (t < n - 7 ? c : 0)));
      expect(master.setup?.routing).toBe(0xffff);
    }
    const master = new CoinChangerMaster();
    const events = run(master, cutting(new CoinChangerSimulator(credits), [0x09], 6), 0, 1000);
    expect(events).toContainEqual({ type: "bad-reply", detail: "SETUP is shorter than its 7 fixed bytes" });
    expect(master.setup).toBeUndefined();
  });

  it("coin changer TUBE STATUS at every length from 2 to 18", () => {
    for (let n = 2; n <= 18; n++) {
      const master = new CoinChangerMaster();
      const events = run(
        master,
        cutting(new CoinChangerSimulator(credits, 0xffff, tubes), [0x0a], n),
        0,
        1000,
      );
      expect(events.some((e) => e.type === "bad-reply")).toBe(false);
      expect(master.tubes?.counts).toEqual(tubes.map((c, t) => (t < n - 2 ? c : 0)));
    }
  });

  it("coin changer PAYOUT STATUS at every length from 1 to 16, and a bare ACK while the payout is busy", () => {
    for (let n = 1; n <= 16; n++) {
      const sim = new CoinChangerSimulator(
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
        0xffff,
        Array(16).fill(1),
        0b1,
      );
      let busy = 2;
      const device = cutting(
        {
          handleBlock: (b: Uint8Array) => {
            // the first PAYOUT STATUS requests find the payout still busy: a bare ACK
            if (b[0] === 0x0f && b[1] === 0x03 && busy-- > 0) return new Uint8Array(0);
            return sim.handleBlock(b);
          },
        },
        [0x0f, 0x03],
        n,
      );
      const master = new CoinChangerMaster();
      run(master, device, 0, 1000);
      master.payout(136); // every coin type once: 1 + 2 + ... + 16
      const payout = run(master, device, 1000, 500).find((e) => e.type === "payout");
      const coins: number[] = Array.from({ length: 16 }, (_, t) => (t < n ? 1 : 0));
      expect(payout).toEqual({
        type: "payout",
        value: coins.reduce((sum, c, t) => sum + c * (t + 1), 0),
        coins,
        method: "alternative",
      });
      expect(busy).toBe(-1);
    }
  });

  it("bill validator SETUP at every length from its 11 fixed bytes to 27", () => {
    const bills = [5, 10, 20, 50, 100, 200, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    for (let n = 11; n <= 27; n++) {
      const master = new BillValidatorMaster();
      const events = run(master, cutting(new BillValidatorSimulator(bills), [0x31], n), 0, 1000);
      expect(events.some((e) => e.type === "bad-reply")).toBe(false);
      expect(master.setup?.credits).toEqual(bills.map((c, t) => (t < n - 11 ? c : 0)));
      expect(master.setup?.escrow).toBe(true);
    }
    const master = new BillValidatorMaster();
    const events = run(master, cutting(new BillValidatorSimulator(bills), [0x31], 10), 0, 1000);
    expect(events).toContainEqual({ type: "bad-reply", detail: "SETUP is shorter than its 11 fixed bytes" });
  });

  it("a changer that answers as real ones do (5-byte TUBE STATUS, 4-byte PAYOUT STATUS) initialises and pays", () => {
    const three = new CoinChangerSimulator([10, 20, 50], 0b111, [7, 8, 9]);
    three.shortReplies = true;
    const a = new CoinChangerMaster();
    const events = run(a, three, 0, 1000);
    expect(three.handleBlock(Uint8Array.of(0x0a))).toHaveLength(5);
    expect(events.some((e) => e.type === "bad-reply")).toBe(false);
    expect(a.tubes?.counts.slice(0, 4)).toEqual([7, 8, 9, 0]);
    expect(a.changeAvailable()).toBe(7 * 10 + 8 * 20 + 9 * 50);

    const four = new CoinChangerSimulator([10, 20, 50, 100], 0b1111, [5, 5, 5, 5], 0b1);
    four.shortReplies = true;
    const b = new CoinChangerMaster();
    run(b, four, 0, 1000);
    b.payout(180);
    expect(run(b, four, 1000, 500).find((e) => e.type === "payout")).toEqual({
      type: "payout",
      value: 180,
      coins: [1, 1, 1, 1, ...Array(12).fill(0)],
      method: "alternative",
    });
    expect(four.handleBlock(Uint8Array.of(0x0f, 0x03))).toHaveLength(4);
  });

  it("controlled manual fill and payout reports: unsent coin types keep their count (p. 5-17)", () => {
    const sim = new CoinChangerSimulator([10, 20, 50, 100], 0b1111, [0, 0, 0, 0], 0b100);
    sim.shortReplies = true;
    sim.controlledFill(1, 30);
    sim.controlledFill(3, 5);
    const master = new CoinChangerMaster();
    const init = run(master, sim, 0, 1000);
    expect(master.features).toBe(0b100);
    // asked for after the changer's reset, as MDB 4.3 advises
    expect(init.filter((e) => e.type === "manual-report")).toEqual([
      { type: "manual-report", kind: "fill", coins: [0, 30, 0, 5, ...Array(12).fill(0)] },
      { type: "manual-report", kind: "payout", coins: Array(16).fill(0) },
    ]);
    sim.controlledPayout(1, 4);
    master.manualReport("payout");
    expect(run(master, sim, 1000, 100).find((e) => e.type === "manual-report")).toEqual({
      type: "manual-report",
      kind: "payout",
      coins: [0, 4, 0, 0, ...Array(12).fill(0)],
    });
    // a changer reporting only its first coin type: the others stay as last reported
    sim.controlledFill(0, 2);
    sim.controlledFill(1, 1); // not sent below: the master keeps 30, not 31 and not 0
    master.manualReport("fill");
    const cut = cutting(sim, [0x0f, 0x06], 1);
    expect(run(master, cut, 1100, 100).find((e) => e.type === "manual-report")).toEqual({
      type: "manual-report",
      kind: "fill",
      coins: [2, 30, 0, 5, ...Array(12).fill(0)],
    });
  });
});

describe("bill validator master", () => {
  it("initialises, takes a bill into escrow and stacks it", () => {
    const sim = new BillValidatorSimulator();
    const master = new BillValidatorMaster();
    const init = run(master, sim, 0, 1000);
    expect(init.map((e) => e.type)).toEqual(["status", "setup", "identification", "stacker"]);
    expect(init[2]).toEqual({
      type: "identification",
      manufacturer: "VKT",
      serial: "000000000043",
      version: 0x0100,
      model: "VALIDATOR-SM",
      options: undefined,
    });
    expect(master.setup).toMatchObject({
      level: 1,
      scale: 100,
      decimals: 2,
      escrow: true,
      credits: [5, 10, 20, 50, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    });
    sim.insertBill(1);
    const events = run(master, sim, 1000, 500);
    expect(events.filter((e) => e.type === "bill")).toEqual([
      { type: "bill", billType: 1, value: 10, route: "escrow" },
      { type: "bill", billType: 1, value: 10, route: "stacked" },
    ]);
    expect(events.at(-1)).toEqual({ type: "stacker", full: false, count: 1 });
  });

  it("returns a bill when the escrow decision says so (e.g. change is short)", () => {
    const sim = new BillValidatorSimulator();
    const master = new BillValidatorMaster({ onEscrow: (_type, value) => value <= 10 });
    run(master, sim, 0, 1000);
    sim.insertBill(2);
    const events: ValidatorEvent[] = run(master, sim, 1000, 500);
    expect(events.filter((e) => e.type === "bill").map((e) => (e.type === "bill" ? e.route : ""))).toEqual([
      "escrow",
      "returned",
    ]);
    expect(sim.stacked).toBe(0);
  });

  it("rejects bills while disabled and reports a jam", () => {
    const sim = new BillValidatorSimulator();
    const master = new BillValidatorMaster();
    run(master, sim, 0, 1000);
    master.enableBills(0);
    run(master, sim, 1000, 100);
    sim.insertBill(0);
    sim.jam();
    const events = run(master, sim, 1100, 300);
    expect(events).toContainEqual({ type: "bill", billType: 0, value: 5, route: "disabled-rejected" });
    expect(events).toContainEqual({ type: "status", code: 5, text: "validator jammed" });
  });
});
