import {
  type Counters,
  cashlessSales,
  cashTotals,
  identification,
  products,
  vendTotals,
} from "./accessors.js";
import type { AuditFile } from "./audit-file.js";

/** An integer amount of the smallest unit written with `decimals` digits after the point. */
export function formatMoney(amount: number | undefined, decimals: number): string {
  if (amount === undefined) return "-";
  if (decimals <= 0) return String(amount);
  const sign = amount < 0 ? "-" : "";
  const digits = String(Math.abs(amount)).padStart(decimals + 1, "0");
  return `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
  const fmt = (r: readonly string[]) =>
    r
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] as number) : cell.padStart(widths[c] as number)))
      .join("  ");
  return [fmt(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(fmt)].join("\n");
}

/** A readable sales and cash report of an audit file. */
export function summarize(file: AuditFile): string {
  const id = identification(file);
  const decimals = id.decimals ?? 2;
  const money = (n: number | undefined) => formatMoney(n, decimals);
  const count = (n: number | undefined) => (n === undefined ? "-" : String(n));
  const parts: string[] = [];
  parts.push(
    `Machine ${id.machineSerial ?? "?"}${id.machineModel ? ` (${id.machineModel})` : ""}` +
      `${id.date ? `, read ${id.date}${id.time ? ` ${id.time}` : ""}` : ""}` +
      `${id.currency ? `, amounts in ${id.currency}` : ""}`,
  );
  const list = products(file);
  if (list.length > 0) {
    parts.push(
      table(
        ["Product", "Name", "Price", "Vends (init)", "Sales (init)", "Vends (period)", "Sales (period)"],
        list.map((p) => [
          p.id,
          p.name ?? "",
          money(p.price),
          count(p.paid?.countInit),
          money(p.paid?.valueInit),
          count(p.paid?.countReset),
          money(p.paid?.valueReset),
        ]),
      ),
    );
  }
  const vends = vendTotals(file);
  const cash = cashTotals(file);
  const row = (name: string, c: Counters | undefined) => [
    name,
    count(c?.countInit),
    money(c?.valueInit),
    count(c?.countReset),
    money(c?.valueReset),
  ];
  parts.push(
    table(
      ["Totals", "Vends (init)", "Value (init)", "Vends (period)", "Value (period)"],
      [
        row("Paid vends (VA1)", vends.paid),
        row("Test vends (VA2)", vends.test),
        row("Free vends (VA3)", vends.free),
        row("Cash sales (CA2)", cash.sales),
        row("Cashless sales (DA2)", cashlessSales(file)),
      ],
    ),
  );
  if (cash.cashIn) {
    const c = cash.cashIn;
    parts.push(
      table(
        ["Cash in (CA3)", "Period", "Since init"],
        [
          ["Cash in", money(c.inReset), money(c.inInit)],
          ["To cash box", money(c.toBoxReset), money(c.toBoxInit)],
          ["To tubes", money(c.toTubesReset), money(c.toTubesInit)],
          ["Bills", money(c.billsReset), money(c.billsInit)],
        ],
      ),
    );
  }
  const errors = file.findings.filter((f) => f.severity === "error").length;
  parts.push(`${file.length} segments, ${errors} errors, ${file.findings.length - errors} warnings`);
  return `${parts.join("\n\n")}\n`;
}
