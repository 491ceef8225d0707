/**
 * A message declared once: its type name, the bytes that identify it (`head`), and its fields in
 * order, each a value of this module (size, how it reads and writes). From that one value follow
 * the message's TypeScript type (`MessageOf`), its length rule, its decoder and its encoder
 * (`MessageTable`), so a new message is one line in a table and a reader finds the code for a
 * command by its name. Decoding never throws: a problem is a `MessageProblem` naming the message
 * and the byte offset. `C` is what a length may depend on (MDB's negotiated money size).
 */

import {
  type AnyField,
  FieldProblem,
  type FieldValues,
  type OptionalFields,
  type RequiredFields,
  sizeOf,
} from "./fields.js";

export interface MessageDef<T extends string, F extends readonly AnyField[]> {
  readonly type: T;
  readonly head: readonly number[];
  readonly fields: F;
}

/** A message: its type, the bytes that say it is that message, then its fields. */
export function message<T extends string, const F extends readonly AnyField[]>(
  type: T,
  head: readonly number[],
  ...fields: F
): MessageDef<T, F> {
  return { type, head, fields };
}

// a field whose value may be undefined is an optional one (optionalUint); its context is any
/** The plain object a message definition decodes to (and encodes from); `K` names its type. */
export type MessageOf<D, K extends string = "type"> =
  D extends MessageDef<infer T, infer F>
    ? { readonly [P in K]: T } & FieldValues<RequiredFields<F[number]>> &
        Partial<FieldValues<OptionalFields<F[number]>>>
    : never;

/** UNKNOWN_MESSAGE, WRONG_LENGTH, or the code of a field's `FieldProblem`. */
export type MessageProblemCode = string;

/** Why bytes are not a message of the table: which message (when it could tell), where, what. */
export interface MessageProblem {
  readonly ok: false;
  readonly code: MessageProblemCode;
  /** The message the head named; undefined when the head names none. */
  readonly message: string | undefined;
  /** The byte where the problem is. */
  readonly offset: number;
  readonly detail: string;
}

/**
 * A protocol's messages, each declared once. `length(bytes)` tells a block's length as soon as
 * its head is in; `decode` and `encode` follow the same definitions.
 */
export class MessageTable<
  D extends MessageDef<string, readonly AnyField[]>,
  C = unknown,
  K extends string = "type",
> {
  private readonly byType = new Map<string, D>();
  /** The definitions by their head's first byte, longest head first. */
  private readonly byFirst = new Map<number, D[]>();
  private readonly key: K;
  private readonly trailing: "refuse" | "ignore";

  constructor(
    /** The protocol's name, for messages. */
    readonly name: string,
    readonly defs: readonly D[],
    options: {
      /** The property that names a message's type (default "type"). */
      readonly key?: K;
      /** Bytes after the last field: a WRONG_LENGTH (default), or left unread. */
      readonly trailing?: "refuse" | "ignore";
    } = {},
  ) {
    this.key = options.key ?? ("type" as K);
    this.trailing = options.trailing ?? "refuse";
    for (const d of defs) {
      if (this.byType.has(d.type)) throw new RangeError(`${name}: ${d.type} declared twice`);
      if (d.head.length === 0) throw new RangeError(`${name}: ${d.type} has no head`);
      this.byType.set(d.type, d);
      const list = this.byFirst.get(d.head[0] as number) ?? [];
      list.push(d);
      list.sort((a, b) => b.head.length - a.head.length);
      this.byFirst.set(d.head[0] as number, list);
    }
  }

  /** The definition whose head starts `bytes` (the longest head wins). */
  identify(bytes: ArrayLike<number>): D | undefined {
    const candidates = this.byFirst.get(bytes[0] as number);
    if (candidates === undefined) return undefined;
    // longest head first: the first that matches wins
    for (const d of candidates) {
      if (d.head.length > bytes.length) continue;
      let i = 1;
      while (i < d.head.length && bytes[i] === d.head[i]) i++;
      if (i === d.head.length) return d;
    }
    return undefined;
  }

  /** The whole message's length once its head is in (undefined while it cannot tell, or for "rest"). */
  length(bytes: ArrayLike<number>, ctx: C): number | undefined {
    const d = this.identify(bytes);
    if (d === undefined) return undefined;
    let n = d.head.length;
    for (const f of d.fields) {
      const size = sizeOf(f, ctx);
      if (size === "rest") return undefined;
      n += size;
    }
    return n;
  }

  decode(
    bytes: ArrayLike<number>,
    ctx: C,
  ): { readonly ok: true; readonly message: MessageOf<D, K> } | MessageProblem {
    const d = this.identify(bytes);
    if (d === undefined)
      return {
        ok: false,
        code: "UNKNOWN_MESSAGE",
        message: undefined,
        offset: 0,
        detail: `${this.name}: no message starts ${Array.from(bytes).slice(0, 2).map(hex).join(" ") || "(nothing)"}`,
      };
    const out: Record<string, unknown> = { [this.key]: d.type };
    const problem = readFields(
      `${this.name} ${d.type}`,
      d.type,
      d.fields,
      bytes,
      d.head.length,
      ctx,
      out,
      this.trailing,
    );
    return problem ?? { ok: true, message: out as MessageOf<D, K> };
  }

  encode(m: MessageOf<D, K>, ctx: C): Uint8Array {
    const type = (m as Record<string, unknown>)[this.key] as string;
    const d = this.byType.get(type);
    if (d === undefined) throw new RangeError(`${this.name}: no message ${type}`);
    return writeFields(d.fields, m as Record<string, unknown>, ctx, d.head);
  }
}

const hex = (b: number) => b.toString(16).padStart(2, "0");

/** Reads `fields` from `from` into `out`; a problem names `type` and the byte. */
function readFields<C>(
  what: string,
  type: string,
  fields: readonly AnyField[],
  bytes: ArrayLike<number>,
  from: number,
  ctx: C,
  out: Record<string, unknown>,
  trailing: "refuse" | "ignore",
): MessageProblem | undefined {
  const wrong = (offset: number, detail: string): MessageProblem => ({
    ok: false,
    code: "WRONG_LENGTH",
    message: type,
    offset,
    detail: `${what}: ${detail}`,
  });
  let at = from;
  for (const f of fields) {
    const want = sizeOf(f, ctx);
    const size = want === "rest" ? bytes.length - at : want;
    if (f.optional && size === 0) continue;
    if (at + size > bytes.length)
      return wrong(
        at,
        `${f.name || "a reserved byte"} needs ${size} bytes at ${at}, the message has ${bytes.length}`,
      );
    if (f.name !== "")
      try {
        out[f.name] = f.read(bytes, at, size);
      } catch (e) {
        if (!(e instanceof FieldProblem)) throw e;
        return { ok: false, code: e.code, message: type, offset: e.offset, detail: `${what}: ${e.message}` };
      }
    at += size;
  }
  if (at !== bytes.length && trailing === "refuse") return wrong(at, `${bytes.length} bytes, ${at} expected`);
  return undefined;
}

/** The message's bytes: `head`, then `fields` of `values`, in one buffer sized first. */
function writeFields<C>(
  fields: readonly AnyField[],
  values: Record<string, unknown>,
  ctx: C,
  head: readonly number[],
): Uint8Array {
  const sizes = fields.map((f) => {
    const want = sizeOf(f, ctx);
    return want === "rest" ? (values[f.name] as ArrayLike<number>).length : want;
  });
  const out = new Uint8Array(head.length + sizes.reduce((a, b) => a + b, 0));
  out.set(head);
  let at = head.length;
  fields.forEach((f, k) => {
    const size = sizes[k] as number;
    if (f.optional && size === 0) return;
    f.write(values[f.name], out, at, size);
    at += size;
  });
  return out;
}

/**
 * A body with no head of its own, declared once: a reply whose meaning comes from the command
 * it answers (an MDB changer's SETUP, TUBE STATUS...). Its type, decoder and encoder follow as a
 * table's do.
 */
export class Layout<const F extends readonly AnyField[], C = unknown> {
  readonly fields: F;
  constructor(
    /** What it is, for problems. */
    readonly name: string,
    ...fields: F
  ) {
    this.fields = fields;
  }

  decode(
    bytes: ArrayLike<number>,
    ctx: C,
    trailing: "refuse" | "ignore" = "refuse",
  ): { readonly ok: true; readonly value: LayoutOf<F> } | MessageProblem {
    const out: Record<string, unknown> = {};
    const problem = readFields(this.name, this.name, this.fields, bytes, 0, ctx, out, trailing);
    return problem ?? { ok: true, value: out as LayoutOf<F> };
  }

  encode(value: LayoutOf<F>, ctx: C): Uint8Array {
    return writeFields(this.fields, value as Record<string, unknown>, ctx, []);
  }
}

/** The plain object a layout decodes to. */
export type LayoutOf<F extends readonly AnyField[]> = FieldValues<RequiredFields<F[number]>> &
  Partial<FieldValues<OptionalFields<F[number]>>>;
