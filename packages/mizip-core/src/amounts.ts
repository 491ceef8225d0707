/**
 * An amount (in the smallest unit) as the programmer shows prices and credits (manual 4.10.14):
 * `decimals` digits after the integer part (30004) and SEPARATORE (40114) between them — 0 OFF
 * (no character), 1 a comma, 2 a point. Self-contained, so a page can carry its source.
 */
export function formatAmount(amount: number, decimals: number, separator: number): string {
  const digits = String(Math.abs(Math.trunc(amount))).padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const cents = digits.slice(digits.length - decimals);
  const mark = separator === 1 ? "," : separator === 2 ? "." : "";
  return (amount < 0 ? "-" : "") + whole + (decimals > 0 ? mark + cents : "");
}

/**
 * An amount typed by a person, in the smallest unit; undefined when it is not one. Read as
 * `formatAmount` writes it, so that what the programmer shows can be typed back: with a decimal
 * mark (either `,` or `.`, whatever 40114 says: a keyboard has both) it is units and at most
 * `decimals` (30004) digits of fraction; without one it is whole units, except with SEPARATORE
 * OFF, where the programmer shows the digits of the smallest unit ("150" is 1.50) and they are
 * read so. Self-contained, as `formatAmount`.
 */
export function parseAmount(text: string, decimals: number, separator: number): number | undefined {
  const m = /^\s*(-?)(\d{1,15})(?:[.,](\d*))?\s*$/.exec(text);
  if (m === null) return undefined;
  const [, sign, whole, fraction] = m as unknown as [string, string, string, string | undefined];
  let value: number;
  if (fraction === undefined) value = separator === 0 ? Number(whole) : Number(whole) * 10 ** decimals;
  else {
    if (fraction.length > decimals) return undefined;
    value = Number(whole) * 10 ** decimals + Number(fraction.padEnd(decimals, "0") || "0");
  }
  if (!Number.isSafeInteger(value)) return undefined;
  return sign === "-" && value !== 0 ? -value : value;
}
