/**
 * Progress of a transfer as a line a person reads: bytes (of the total when known), blocks, the
 * rate so far and, with a total, the time left. At most one line every `everyMs`, and always the
 * last one.
 */
export class Progress {
  private started: number | undefined;
  private lastLine = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly print: (line: string) => void,
    private readonly clock: () => number = () => performance.now(),
    private readonly everyMs = 250,
  ) {}

  update(done: number, total: number | undefined, blocks?: number): void {
    const now = this.clock();
    this.started ??= now;
    const complete = total !== undefined && done >= total;
    if (!complete && now - this.lastLine < this.everyMs) return;
    this.lastLine = now;
    this.print(progressLine(done, total, blocks, now - this.started));
  }
}

/** `progress 1200/5000 bytes, 6 blocks, 2.4 kB/s, 2 s left` */
export function progressLine(
  done: number,
  total: number | undefined,
  blocks: number | undefined,
  elapsedMs: number,
): string {
  const parts = [`progress ${done}${total === undefined ? "" : `/${total}`} bytes`];
  if (blocks !== undefined) parts.push(`${blocks} blocks`);
  if (elapsedMs > 0) {
    const rate = (done / elapsedMs) * 1000;
    parts.push(rate >= 1000 ? `${(rate / 1000).toFixed(1)} kB/s` : `${Math.round(rate)} B/s`);
    if (total !== undefined && rate > 0 && done < total)
      parts.push(`${Math.ceil((total - done) / rate)} s left`);
  }
  return parts.join(", ");
}
