import { defaultConfig, quote } from "@vendkit/pricing";

export async function probe(): Promise<unknown> {
  const now = { year: 2026, month: 11, day: 30, minute: 600 };
  const q = quote(defaultConfig(), { line: 1, medium: { kind: "cash" }, now });
  return q;
}
