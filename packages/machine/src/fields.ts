/**
 * The kinds of field a message is made of (`message.ts`): each says its size (fixed, by the
 * context, or the rest of the message) and how it reads and writes its value, and the types say
 * what value each gives.
 */

/** A field's size: fixed, depending on the context, or the rest of the message. */
export type FieldSize<C> = number | "rest" | ((ctx: C) => number);

/** What a field's reader throws for a value it cannot take (a nibble above 9 in BCD). */
export class FieldProblem extends Error {
  constructor(
    readonly code: string,
    /** Where, in the message. */
    readonly offset: number,
    message: string,
  ) {
    super(message);
    this.name = "FieldProblem";
  }
}

export interface Field<N extends string, V, C = unknown> {
  readonly name: N;
  readonly size: FieldSize<C>;
  /** A field whose size is 0 in a context is absent from the message then. */
  readonly optional: boolean;
  read(bytes: ArrayLike<number>, at: number, size: number): V;
  /** Writes the value's `size` bytes into `out` from `at` (the message's buffer, sized in advance). */
  write(value: V, out: Uint8Array, at: number, size: number): void;
}

// biome-ignore lint/suspicious/noExplicitAny: a field of any name, value and context
export type AnyField = Field<string, any, any>;

/**
 * An unsigned integer, most significant byte first (MDB; DDCMP's codes and IDs), or least
 * significant first with `order` "le" (DDCMP's offsets and lengths).
 */
export function uint<N extends string, C = unknown>(
  name: N,
  size: number | ((ctx: C) => number),
  order: "be" | "le" = "be",
): Field<N, number, C> {
  // the byte of weight 256^k sits at `place(k, n)` from the field's start
  const place = order === "be" ? (k: number, n: number) => n - 1 - k : (k: number) => k;
  return {
    name,
    size,
    optional: false,
    read: (bytes, at, n) => {
      let v = 0;
      for (let k = n - 1; k >= 0; k--) v = v * 256 + (bytes[at + place(k, n)] as number);
      return v;
    },
    write: (value, out, at, n) => {
      for (let k = 0; k < n; k++) out[at + place(k, n)] = Math.floor(value / 256 ** k) & 0xff;
    },
  };
}

/** Like `uint`, present only in the contexts where its size is not 0. */
export function optionalUint<N extends string, C = unknown>(
  name: N,
  size: (ctx: C) => number,
): Field<N, number | undefined, C> {
  const u = uint<N, C>(name, size);
  return { ...u, optional: true, write: (value, out, at, n) => u.write(value ?? 0, out, at, n) };
}

/** One byte that is 1 for true (anything else reads false). */
export function flag<N extends string>(name: N): Field<N, boolean> {
  return {
    name,
    size: 1,
    optional: false,
    read: (bytes, at) => bytes[at] === 1,
    write: (value, out, at) => {
      out[at] = value ? 1 : 0;
    },
  };
}

/**
 * Bytes kept as a `Uint8Array` (read from a `Uint8Array`, a view of its bytes); written short,
 * the rest is `fill`.
 */
export function raw<N extends string>(name: N, size: number | "rest", fill = 0): Field<N, Uint8Array> {
  return {
    name,
    size,
    optional: false,
    read: (b, at, n) => {
      // a view of the message's own bytes, as `subarray` gives: nothing is copied
      if (b instanceof Uint8Array) return b.subarray(at, at + n);
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = b[at + i] as number;
      return out;
    },
    write: (value, out, at, n) => {
      out.set(value.length > n ? value.subarray(0, n) : value, at);
      out.fill(fill, at + Math.min(n, value.length), at + n);
    },
  };
}

/** Bytes the message reserves: written as zeros, not read; no field of the message's type. */
export function reserved(size: number): Field<"", never> {
  return {
    name: "",
    size,
    optional: false,
    read: () => undefined as never,
    write: (_value, out, at, n) => {
      out.fill(0, at, at + n);
    },
  };
}

/** Text of one byte a character (`size` of them, padded with spaces when written, or the rest). */
export function ascii<N extends string>(name: N, size: number | "rest"): Field<N, string> {
  return {
    name,
    size,
    optional: false,
    read: (bytes, at, n) =>
      String.fromCharCode(...Array.from({ length: n }, (_, i) => bytes[at + i] as number)),
    write: (value, out, at, n) => {
      const s = value.padEnd(n, " ");
      for (let i = 0; i < n; i++) out[at + i] = s.charCodeAt(i) & 0xff;
    },
  };
}

/** Raw bytes: `size` of them (cut or zero-filled when written), or the rest of the message. */
export function bytes<N extends string>(name: N, size: number | "rest"): Field<N, readonly number[]> {
  return {
    name,
    size,
    optional: false,
    read: (b, at, n) => {
      const out: number[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = b[at + i] as number;
      return out;
    },
    write: (value, out, at, n) => {
      for (let i = 0; i < n; i++) out[at + i] = i < value.length ? (value[i] as number) & 0xff : 0;
    },
  };
}

/** The `[name, value]` of a field that is always present, for `MessageOf` and `LayoutOf`. */
export type RequiredFields<F> =
  F extends Field<infer N, infer V, infer _C>
    ? N extends ""
      ? never
      : undefined extends V
        ? never
        : [N, V]
    : never;
/** The `[name, value]` of a field that may be absent, for `MessageOf` and `LayoutOf`. */
export type OptionalFields<F> =
  F extends Field<infer N, infer V, infer _C>
    ? undefined extends V
      ? [N, Exclude<V, undefined>]
      : never
    : never;
/** An object of the `[name, value]` pairs `RequiredFields` or `OptionalFields` give. */
export type FieldValues<P> = {
  readonly [K in P extends [infer N extends string, unknown] ? N : never]: P extends [K, infer V] ? V : never;
};

export function sizeOf<C>(f: AnyField, ctx: C): number | "rest" {
  return typeof f.size === "function" ? f.size(ctx) : f.size;
}
