import type { ClassicReader, PurseSystem } from "@vendkit/mifare-purse";
import { defaultConfig, type PricingConfig, validateConfig } from "@vendkit/pricing";
import { deflateSync, inflateSync } from "fflate";
import { defaultParameters, type SystemParameters, setupKeyCopy, validateParameters } from "./parameters.js";

/**
 * What a setup or black-list key carries (our encoding, version 1, under the MAC and CRC of
 * `@vendkit/mifare-purse`'s special-key data area):
 * - setup key (manual 4.10.11): every parameter but a 500-key black list, and the prices and
 *   EXTRA settings, as deflated JSON;
 * - black-list key (4.12): the list mode (1 = 50 keys, 2 = 500 keys, which only such a key or a
 *   Maxi Key may set) and the key numbers: version, mode, count (uint16 LE), then uint32 LE each.
 * A data key (7.3.4) carries a collection's EVA-DTS audit, deflated (`dataKeyAudit` reads it).
 */
export type SpecialKeyContent =
  | { readonly kind: "setup"; readonly parameters: SystemParameters; readonly pricing: PricingConfig }
  | { readonly kind: "black-list"; readonly mode: 1 | 2; readonly keys: readonly number[] };

/** A special key whose data this system cannot use; `err` is the error counter it feeds. */
export class SpecialKeyRefused extends Error {
  override readonly name = "SpecialKeyRefused";
  readonly code = "SPECIAL_KEY_REFUSED";
  readonly err = 10;
}

const VERSION = 1;

/**
 * The bytes a setup or black-list key carries. Throws `SpecialKeyRefused` for content that the
 * programmer would refuse (the checks `decodeSpecialKey` makes), so no key is written that a
 * system would refuse, and no key number is cut to fit its 32 bits.
 */
export function encodeSpecialKey(content: SpecialKeyContent): Uint8Array {
  if (content.kind === "setup") {
    const parameters = setupKeyCopy(content.parameters);
    checkSetup(parameters, content.pricing);
    const json = JSON.stringify({ v: VERSION, parameters, pricing: content.pricing });
    return deflateSync(new TextEncoder().encode(json));
  }
  checkBlackList(content.mode, content.keys);
  const out = new Uint8Array(4 + 4 * content.keys.length);
  const v = new DataView(out.buffer);
  out[0] = VERSION;
  out[1] = content.mode;
  v.setUint16(2, content.keys.length, true);
  content.keys.forEach((k, i) => {
    v.setUint32(4 + 4 * i, k, true);
  });
  return out;
}

/**
 * The content of a setup or black-list key, checked as the programmer checks what it sets
 * (`validateParameters`, `validateConfig`): anything else is refused whole with
 * `SpecialKeyRefused`, so a system never takes half of a key's settings.
 */
export function decodeSpecialKey(kind: "setup" | "black-list", data: Uint8Array): SpecialKeyContent {
  if (kind === "black-list") {
    if (data.length < 4 || data[0] !== VERSION)
      throw new SpecialKeyRefused("not a black list of this version");
    const v = new DataView(data.buffer, data.byteOffset, data.length);
    const mode = data[1];
    const count = v.getUint16(2, true);
    if ((mode !== 1 && mode !== 2) || data.length !== 4 + 4 * count)
      throw new SpecialKeyRefused(`black list mode ${mode} with ${count} keys in ${data.length} bytes`);
    const keys = Array.from({ length: count }, (_, i) => v.getUint32(4 + 4 * i, true));
    checkBlackList(mode, keys);
    return { kind, mode, keys };
  }
  let parsed: { v?: unknown; parameters?: SystemParameters; pricing?: PricingConfig };
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(inflateSync(data)));
  } catch {
    throw new SpecialKeyRefused("the setup key's settings do not read");
  }
  const { parameters, pricing } = parsed;
  if (parsed.v !== VERSION || typeof parameters !== "object" || typeof pricing !== "object")
    throw new SpecialKeyRefused("not settings of this version");
  checkSetup(parameters, pricing);
  return { kind, parameters, pricing };
}

/** The programmer's own rules for a list: the mode's capacity, key numbers 1..9999999. */
function checkBlackList(mode: number, keys: readonly number[]): void {
  if (mode !== 1 && mode !== 2) throw new SpecialKeyRefused(`black list mode ${mode} is not 1 or 2`);
  const base = defaultParameters();
  const problem = validateParameters({
    ...base,
    numeric: { ...base.numeric, blackList: mode },
    blackList: keys,
  })[0];
  if (problem !== undefined) throw new SpecialKeyRefused(`black list: ${problem.message}`);
}

/** Settings a system can take whole: valid parameters, and a pricing of the right shape and values. */
function checkSetup(parameters: SystemParameters, pricing: PricingConfig): void {
  const bad = validateParameters(parameters)[0];
  if (bad !== undefined) throw new SpecialKeyRefused(`parameter ${bad.parameter}: ${bad.message}`);
  const odd = shapeProblem(defaultConfig(), pricing, "pricing");
  if (odd !== undefined) throw new SpecialKeyRefused(odd);
  let finding: ReturnType<typeof validateConfig>[number] | undefined;
  try {
    finding = validateConfig(pricing)[0];
  } catch (e) {
    // lists of the wrong length (4 key levels, 100 lines...) are past what the shape tells
    if (!(e instanceof TypeError)) throw e;
    throw new SpecialKeyRefused(`the pricing does not read: ${e.message}`);
  }
  if (finding !== undefined) throw new SpecialKeyRefused(finding.message);
}

/**
 * Where `value` does not have the shape of `template` (the same keys, lists where it has lists,
 * the same kinds of values; list items like its first), so that `validateConfig`, which checks
 * values, only ever sees a pricing's shape.
 */
function shapeProblem(template: unknown, value: unknown, path: string): string | undefined {
  if (Array.isArray(template)) {
    if (!Array.isArray(value)) return `${path} is not a list`;
    const first = template[0];
    if (first === undefined) return undefined;
    for (let i = 0; i < value.length; i++) {
      const problem = shapeProblem(first, value[i], `${path}[${i}]`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  if (typeof template === "object" && template !== null) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return `${path} is not a record`;
    for (const [key, inner] of Object.entries(template)) {
      const problem = shapeProblem(inner, (value as Record<string, unknown>)[key], `${path}.${key}`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  return typeof value === typeof template ? undefined : `${path} is not a ${typeof template}`;
}

/**
 * The EVA-DTS audit a data key carries (manual 7.3.4), as the operator's office reads it with
 * the system's `PurseSystem`. Throws PurseError (not readable, not this operator's) or
 * SpecialKeyRefused (not a data key, or no audit on it).
 */
export async function dataKeyAudit(purses: PurseSystem, reader: ClassicReader): Promise<Uint8Array> {
  const view = await purses.read(reader);
  if (view.identity.keyFunction !== "data") throw new SpecialKeyRefused(`a ${view.identity.keyFunction} key`);
  const data = await purses.readPayload(reader, view);
  try {
    return inflateSync(data);
  } catch {
    throw new SpecialKeyRefused("the data key's audit does not read");
  }
}
