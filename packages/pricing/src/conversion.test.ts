import { describe, expect, it } from "vitest";
import { defaultConfig, validateConfig } from "./config.js";
import { lineOfSelection } from "./conversion.js";

const withNumbers = (pairs: [line: number, selection: number][]) => {
  const c = defaultConfig();
  const numbers = [...c.conversion.numbers];
  for (const [line, selection] of pairs) numbers[line - 1] = selection;
  return { ...c, conversion: { mode: "dec" as const, numbers } };
};

describe("conversion table (manual 4.4.6)", () => {
  it("finds the line the machine's number stands for: SEL 01 D 00201", () => {
    const c = withNumbers([
      [1, 201],
      [2, 202],
      [60, 0xa1],
    ]);
    expect(validateConfig(c)).toEqual([]);
    expect([lineOfSelection(c, 201), lineOfSelection(c, 202), lineOfSelection(c, 0xa1)]).toEqual([1, 2, 60]);
    expect(lineOfSelection(c, 203)).toBeUndefined();
    for (const odd of [0, -1, 65_536, 1.5]) expect(lineOfSelection(c, odd)).toBeUndefined();
  });

  it("refuses a number two lines share, out of range numbers and unknown modes, by parameter", () => {
    const twice = withNumbers([
      [1, 201],
      [7, 201],
    ]);
    expect(validateConfig(twice)).toMatchObject([{ code: "DUPLICATE_SELECTION", parameter: 16007 }]);
    expect(validateConfig(withNumbers([[3, 65_536]]))).toMatchObject([
      { code: "OUT_OF_RANGE", parameter: 16003 },
    ]);
    const mode = {
      ...defaultConfig(),
      conversion: { mode: "oct" as "dec", numbers: defaultConfig().conversion.numbers },
    };
    expect(validateConfig(mode)).toMatchObject([{ parameter: 16000 }]);
  });
});
