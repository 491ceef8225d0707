import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type CashlessCommand, decodeCommand, encodeCommand } from "./cashless/commands.js";
import type { CashlessContext } from "./cashless/context.js";
import { type CashlessResponse, decodeResponses, encodeResponse } from "./cashless/responses.js";
import { encodeMasterBlock, encodePeripheralResponse } from "./link.js";

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
const hex = (words: ArrayLike<number>) => Array.from(words, (w) => w.toString(16).padStart(3, "0"));

describe("a cashless session against test-vectors/ (computed by an independent script)", () => {
  it("has the session: reset to end of session", () => {
    expect(steps).toHaveLength(17);
    expect(steps.at(-1)?.responses).toEqual([{ type: "end-session" }]);
  });

  for (const [i, step] of steps.entries()) {
    const what = step.command?.type ?? step.responses?.map((r) => r.type).join("+") ?? "ACK";
    it(`step ${i + 1}, ${step.from}: ${what} travels as the vector's 9-bit words and decodes back`, () => {
      const data = step.words.slice(0, -1).map((w) => Number.parseInt(w, 16) & 0xff);
      if (step.from === "vmc") {
        const command = step.command as CashlessCommand;
        expect(hex(encodeMasterBlock(encodeCommand(command, 0x10, step.ctx)))).toEqual(step.words);
        expect(decodeCommand(data, step.ctx)).toEqual({ ok: true, command });
      } else {
        const responses = step.responses ?? [];
        const bytes: number[] = [];
        for (const r of responses) encodeResponse(r, step.ctx, bytes);
        expect(hex(encodePeripheralResponse(bytes))).toEqual(step.words);
        if (responses.length > 0) expect(decodeResponses(data, step.ctx)).toEqual({ ok: true, responses });
      }
    });
  }
});
