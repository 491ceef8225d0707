/** Merges `over` into `base`: objects key by key, arrays index by index, anything else replaced. */
export function merge(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (Array.isArray(base) && Array.isArray(over)) {
    const out = [...base];
    over.forEach((v, i) => {
      out[i] = merge(base[i], v);
    });
    return out;
  }
  if (typeof base === "object" && base !== null && typeof over === "object" && over !== null) {
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [k, v] of Object.entries(over)) out[k] = merge(out[k], v);
    return out;
  }
  return over;
}
