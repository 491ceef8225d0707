import type { BillingRun } from "./billing-run.js";
import { esc } from "./html.js";

const COLOURS = ["#2a6fb0", "#d9822b", "#3a9a5b", "#a23b72", "#6b6b6b"];

/** A horizontal bar chart (SVG) of each billed installation's usage per counter in the run. */
export function usageChart(run: BillingRun): string {
  const bars = run.entries.flatMap((e) =>
    (e.bill?.lines ?? []).map((l) => ({
      label: `${e.installation.id} ${l.counter}`,
      usage: l.usage,
      included: l.included,
    })),
  );
  if (bars.length === 0) return `<p class="muted">No billed usage in ${esc(run.month)} yet.</p>`;
  const max = Math.max(1, ...bars.map((b) => Math.max(b.usage, b.included)));
  const row = 22;
  const left = 170;
  const width = 420;
  const counters = [...new Set(bars.map((b) => b.label.split(" ").slice(1).join(" ")))];
  const body = bars
    .map((b, i) => {
      const y = i * row + 4;
      const w = Math.round((b.usage / max) * width);
      const inc = Math.round((b.included / max) * width);
      const colour = COLOURS[counters.indexOf(b.label.split(" ").slice(1).join(" ")) % COLOURS.length];
      return `<text x="${left - 6}" y="${y + 13}" text-anchor="end">${esc(b.label)}</text>
<rect x="${left}" y="${y}" width="${w}" height="${row - 8}" fill="${colour}"><title>${esc(b.label)}: ${b.usage} (included ${b.included})</title></rect>
<line x1="${left + inc}" x2="${left + inc}" y1="${y - 2}" y2="${y + row - 6}" stroke="#000" stroke-dasharray="3,2"/>
<text x="${left + w + 4}" y="${y + 13}">${b.usage}</text>`;
    })
    .join("\n");
  return `<svg class="chart" role="img" aria-label="usage per installation" width="${left + width + 80}" height="${bars.length * row + 8}" font-size="12" font-family="sans-serif">${body}</svg>
<p class="muted">Dashed line: the volume included in the fee.</p>`;
}
