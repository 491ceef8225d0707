/** Text made safe for HTML content and attribute values. */
export const esc = (v: unknown): string =>
  String(v ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A template tag whose interpolations are escaped unless wrapped in `raw`. */
export class Raw {
  constructor(readonly html: string) {}
}
export const raw = (html: string) => new Raw(html);

export function html(strings: TemplateStringsArray, ...values: unknown[]): Raw {
  let out = strings[0] ?? "";
  for (const [i, v] of values.entries()) {
    const piece = Array.isArray(v)
      ? v.map((x) => (x instanceof Raw ? x.html : esc(x))).join("")
      : v instanceof Raw
        ? v.html
        : esc(v);
    out += piece + (strings[i + 1] ?? "");
  }
  return new Raw(out);
}

/** Money in the smallest unit (cents) as "1234.56", integer arithmetic only. */
export const money = (cents: number): string => {
  const sign = cents < 0 ? "-" : "";
  const a = Math.abs(cents);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, "0")}`;
};
