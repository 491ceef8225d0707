import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Field, Layout, Machine } from "@vendkit/machine";
import { bothWays } from "@vendkit/test-support";
import { describe, expect, it } from "vitest";
import { type CashlessCommand, decodeCommand, encodeCommand } from "./cashless/commands.js";
import type { CashlessContext } from "./cashless/context.js";
import { type CashlessResponse, decodeResponses, encodeResponse } from "./cashless/responses.js";
import { encodeMasterBlock, encodePeripheralResponse, type PeripheralReply, ReplyDecoder } from "./link.js";
import { BillValidatorMaster } from "./master/bill-validator.js";
import type { BlockPeripheral } from "./master/bus.js";
import { CHANGER_SETUP, CHANGER_TUBES } from "./master/changer-messages.js";
import { CoinChangerMaster } from "./master/coin-changer.js";
import { BillValidatorSimulator, CoinChangerSimulator } from "./master/simulators.js";
import { runMaster } from "./master/test-support.js";
import { VALIDATOR_SETUP } from "./master/validator-messages.js";

/** test-vectors/cashless-session.jsonl, written by make-golden.py from MDB/ICP 4.3 on its own. */
interface Step {
  readonly from: "vmc" | "reader";
  readonly ctx: CashlessContext;
  readonly command?: CashlessCommand;
  readonly responses?: CashlessResponse[] | null;
  readonly words: readonly string[];
}
const here = dirname(fileURLToPath(import.meta.url));
const steps = readFileSync(join(here, "..", "test-vectors", "cashless-session.jsonl"), "utf8")
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line) as Step);

describe("a cashless session against test-vectors/ (computed by an independent script)", () => {
  it("has the session: reset to end of session", () => {
    expect(steps).toHaveLength(17);
    expect(steps.at(-1)?.responses).toEqual([{ type: "end-session" }]);
  });

  // the VMC's commands and the reader's answers, each through the one both-ways helper
  const units = (step: Step) => step.words.map((w) => Number.parseInt(w, 16));
  const named = (step: Step, i: number) =>
    `step ${i + 1}, ${step.from}: ${step.command?.type ?? step.responses?.map((r) => r.type).join("+") ?? "ACK"}`;
  bothWays(
    steps
      .map((step, i) => ({ step, i }))
      .filter(({ step }) => step.from === "vmc")
      .map(({ step, i }) => ({
        name: named(step, i),
        message: step.command as CashlessCommand,
        bytes: units(step),
        ctx: step.ctx,
      })),
    {
      encode: (command, v) => encodeMasterBlock(encodeCommand(command, 0x10, v.ctx)),
      decode: (words, v) => {
        const decoded = decodeCommand(
          Array.from(words)
            .slice(0, -1)
            .map((w) => w & 0xff),
          v.ctx,
        );
        if (!decoded.ok) throw new Error(decoded.detail);
        return decoded.command;
      },
    },
  );
  bothWays(
    steps
      .map((step, i) => ({ step, i }))
      .filter(({ step }) => step.from === "reader")
      .map(({ step, i }) => ({
        name: named(step, i),
        message: step.responses ?? [],
        bytes: units(step),
        ctx: step.ctx,
      })),
    {
      encode: (responses, v) => {
        const bytes: number[] = [];
        for (const r of responses) encodeResponse(r, v.ctx, bytes);
        return encodePeripheralResponse(bytes);
      },
      decode: (words, v) => {
        if (words.length === 1) return []; // a bare ACK
        const decoded = decodeResponses(
          Array.from(words)
            .slice(0, -1)
            .map((w) => w & 0xff),
          v.ctx,
        );
        if (!decoded.ok) throw new Error(`${decoded.code} at ${decoded.at}`);
        return decoded.responses;
      },
    },
  );
});

/** test-vectors/short-replies.jsonl: replies that stop early, as real changers and validators send. */
interface ShortReply {
  readonly device: "changer" | "validator";
  readonly what: string;
  readonly command: readonly number[];
  readonly reply: readonly string[];
  readonly before?: readonly number[];
  readonly expect: Record<string, unknown>;
}
const shortReplies = readFileSync(join(here, "..", "test-vectors", "short-replies.jsonl"), "utf8")
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line) as ShortReply);

describe("short replies against test-vectors/ (MDB 4.3: unsent bytes are zero)", () => {
  for (const vector of shortReplies) {
    it(`${vector.device} ${vector.what}: ${vector.reply.length - 1} bytes read as the vector says`, () => {
      const decoder = new ReplyDecoder();
      const replies = vector.reply.flatMap((w, i) => decoder.feed(Number.parseInt(w, 16), i));
      expect(replies).toHaveLength(1);
      const reply = replies[0] as PeripheralReply;
      expect(reply.kind).toBe("data");
      const substitute = (sim: { handleBlock(b: Uint8Array): Uint8Array | undefined }) => ({
        handleBlock: (b: Uint8Array) =>
          vector.command.every((c, i) => b[i] === c) && reply.kind === "data"
            ? reply.bytes
            : sim.handleBlock(b),
      });
      const drive = <E>(master: Machine<E, Uint16Array>, device: BlockPeripheral, from: number): E[] =>
        runMaster(master, device, from, 1000);
      if (vector.device === "validator") {
        const master = new BillValidatorMaster();
        drive(master, substitute(new BillValidatorSimulator()), 0);
        expect(master.setup).toEqual(vector.expect);
        return;
      }
      const master = new CoinChangerMaster();
      const device = substitute(new CoinChangerSimulator(undefined, 0b1111, [5, 5, 5, 5], 0b101));
      const init = drive(master, device, 0);
      if (vector.what === "setup") expect(master.setup).toEqual(vector.expect);
      else if (vector.what === "tube-status") expect(master.tubes).toEqual(vector.expect);
      else if (vector.what === "payout-status") {
        master.payout(50);
        expect(drive(master, device, 1000).find((e) => e.type === "payout")).toMatchObject(vector.expect);
      } else {
        expect(init.some((e) => e.type === "manual-report")).toBe(true);
        master.manualCounts.fill.fill(vector.before?.[0] ?? 0);
        master.manualReport("fill");
        expect(drive(master, device, 1000).find((e) => e.type === "manual-report")).toMatchObject(
          vector.expect,
        );
      }
    });
  }
});

describe("short replies, both ways through the reply layouts (the bytes as a real device sends them)", () => {
  // each reply as its layout reads it (the lists as long as sent) writes back to the same bytes;
  // payout status and manual reports are plain per-type lists, the whole reply
  const layouts: Record<string, Layout<readonly Field<string, unknown>[]>> = {
    "changer setup": CHANGER_SETUP as never,
    "changer tube-status": CHANGER_TUBES as never,
    "validator setup": VALIDATOR_SETUP as never,
  };
  const vectors = shortReplies.flatMap((v) => {
    const layout = layouts[`${v.device} ${v.what}`];
    if (layout === undefined) return [];
    const bytes = v.reply.slice(0, -1).map((w) => Number.parseInt(w, 16));
    const read = layout.decode(bytes, undefined);
    if (!read.ok) throw new Error(read.detail);
    return [{ name: `${v.device} ${v.what}, ${bytes.length} bytes`, message: read.value, bytes, layout }];
  });
  it("covers every SETUP and TUBE STATUS vector", () => {
    expect(vectors).toHaveLength(3);
  });
  bothWays(vectors, {
    encode: (value, v) => v.layout.encode(value as never, undefined),
    decode: (bytes, v) => {
      const read = v.layout.decode(bytes, undefined);
      if (!read.ok) throw new Error(read.detail);
      return read.value;
    },
  });
});
