import { CATEGORY_NAMES } from "./config.js";

/** Field names as a technician says them. */
const FIELD_WORDS: Readonly<Record<string, string>> = {
  credit: "credit",
  tokens: "tokens",
  discount: "discount",
  start: "start",
  end: "end",
  creditPerLine: "credit back",
  pointsPerLine: "points",
  pricePoints: "price in points",
};

/**
 * A configuration path as a technician says it: `keys[1].prices[4]` is "the key level 1 price of
 * line 5", `happyHours.bands[0].discount` "the happy hour 1 discount" (lines and bands counted
 * from 1, key levels 0-3 as the manual numbers them). Findings keep the path for programs and
 * use these words in their messages.
 */
export function inWords(path: string): string {
  const rules: [RegExp, (...m: string[]) => string][] = [
    [/^cash$/, () => "the cash prices"],
    [/^cash\[(\d+)\]$/, (n) => `the cash price of line ${+(n as string) + 1}`],
    [/^keys\[(\d)\]\.prices$/, (l) => `the key level ${l} prices`],
    [/^keys\[(\d)\]\.prices\[(\d+)\]$/, (l, n) => `the key level ${l} price of line ${+(n as string) + 1}`],
    [/^keys\[(\d)\]\.mode$/, (l) => `the key level ${l} table`],
    [/^categories\[(\d+)\]$/, (n) => `the category of line ${+(n as string) + 1}`],
    [/^names\[(\d+)\]$/, (n) => `the name of line ${+(n as string) + 1}`],
    [/^conversion\.mode$/, () => "the conversion table"],
    [/^conversion\.numbers$/, () => "the conversion table's selection numbers"],
    [/^conversion\.numbers\[(\d+)\]$/, (n) => `the selection number of line ${+(n as string) + 1}`],
    [/^limits\.levels\[(\d)\]$/, (l) => `the key level ${l} limits`],
    [
      /^limits\.levels\[(\d)\]\.perCategory\[(\d)\]$/,
      (l, c) => `the key level ${l} limit of category ${CATEGORY_NAMES[+(c as string)]}`,
    ],
    [/^bonus2\.bonus3\.levels\[(\d)\]$/, (l) => `the bonus 3 limits of key level ${l}`],
    [
      /^bonus2\.bonus3\.levels\[(\d)\]\.perCategory\[(\d)\]$/,
      (l, c) => `the bonus 3 limit of category ${CATEGORY_NAMES[+(c as string)]} for key level ${l}`,
    ],
    [
      /^bonus([12])\.levels\[(\d)\]\.(\w+)$/,
      (b, l, f) => `the bonus ${b} ${FIELD_WORDS[f as string] ?? f} of key level ${l}`,
    ],
    [/^bonus2\.lineDiscount$/, () => "the bonus 2 discounts"],
    [/^bonus2\.lineDiscount\[(\d+)\]$/, (n) => `the bonus 2 discount of line ${+(n as string) + 1}`],
    [/^loyalty\.(\w+)$/, (f) => `the loyalty ${FIELD_WORDS[f as string] ?? f} of each line`],
    [
      /^loyalty\.(\w+)\[(\d+)\]$/,
      (f, n) => `the loyalty ${FIELD_WORDS[f as string] ?? f} of line ${+(n as string) + 1}`,
    ],
    [/^promotions\.maxMinutes$/, () => "the promotion's maximum time"],
    [/^promotions\.lineDiscount$/, () => "the promotion discounts"],
    [/^promotions\.lineDiscount\[(\d+)\]$/, (n) => `the promotion discount of line ${+(n as string) + 1}`],
    [/^happyHours\.bands$/, () => "happy hours"],
    [/^happyHours\.bands\[(\d)\]$/, (b) => `happy hour ${+(b as string) + 1}`],
    [
      /^happyHours\.bands\[(\d)\]\.(\w+)$/,
      (b, f) => `the happy hour ${+(b as string) + 1} ${FIELD_WORDS[f as string] ?? f}`,
    ],
    [
      /^happyHours\.bands\[(\d)\]\.lineDiscount\[(\d+)\]$/,
      (b, n) => `the happy hour ${+(b as string) + 1} discount of line ${+(n as string) + 1}`,
    ],
    [/^outOfService\.bands$/, () => "out-of-service bands"],
    [/^outOfService\.bands\[(\d)\]$/, (b) => `out-of-service band ${+(b as string) + 1}`],
    [
      /^outOfService\.bands\[(\d)\]\.(\w+)$/,
      (b, f) => `the out-of-service band ${+(b as string) + 1} ${FIELD_WORDS[f as string] ?? f}`,
    ],
    [/^baseCoin$/, () => "the base coin"],
    [/^lines$/, () => "the number of lines"],
  ];
  for (const [pattern, words] of rules) {
    const m = pattern.exec(path);
    if (m !== null) return words(...m.slice(1));
  }
  return path.replace(/\[(\d+)\]/g, (_, n: string) => ` ${+n + 1}`).replace(/\./g, " ");
}
