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
