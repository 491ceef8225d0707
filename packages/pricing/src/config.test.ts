import { describe, expect, it } from "vitest";
import { defaultConfig, type PricingConfig, validateConfig } from "./config.js";

describe("findings in a technician's words", () => {
  it("names what is wrong as the manual would, never by a path such as cash[0]", () => {
    const c = defaultConfig();
    const bad: PricingConfig = {
      ...c,
      cash: c.cash.map((v, i) => (i === 0 ? 70_000 : v)),
      keys: [
        c.keys[0],
        { mode: "on", prices: c.keys[1].prices.map((v, i) => (i === 4 ? -1 : v)) },
        c.keys[2],
        c.keys[3],
      ],
      bonus1: { ...c.bonus1, levels: c.bonus1.levels.map((l, i) => (i === 2 ? { ...l, tokens: 9 } : l)) },
      happyHours: {
        enabled: true,
        bands: c.happyHours.bands.map((b, i) =>
          i < 2 ? { ...b, mode: "global" as const, discount: i === 0 ? 150 : 10, start: 600, end: 720 } : b,
        ),
      },
    };
    const messages = validateConfig(bad).map((f) => f.message);
    expect(messages).toEqual([
      "the cash price of line 1 is 70000, not 0..65535",
      "the key level 1 price of line 5 is -1, not 0..65535",
      "the bonus 1 tokens of key level 2 is 9, not 0..7",
      "the happy hour 1 discount is 150, not 0..100",
      "happy hour 1 and happy hour 2 overlap",
    ]);
    for (const m of messages) expect(m).not.toMatch(/[[\]]/);
  });
});
