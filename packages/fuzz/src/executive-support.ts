import { type CreditBlock, ExecutiveError } from "@vendkit/executive";
import type { Input } from "./harness.js";

/** The only error the Executive package may throw at its callers. */
export const EXECUTIVE_ERRORS = [ExecutiveError] as const;

/** A credit block from the fuzzer's bytes, in range or not (the package must refuse it typed). */
export function creditFrom(i: Input): CreditBlock | undefined {
  const pick = i.u8();
  if (pick === 0) return undefined;
  return { count: i.u16(), baseUnit: i.u8(), decimals: pick & 0x07, exactOnly: (pick & 0x80) !== 0 };
}

/** A credit block in the ranges the wire carries (count 16 bits, base unit a byte, 0-3 decimals). */
export function validCreditFrom(i: Input): CreditBlock | undefined {
  const pick = i.u8();
  if (pick === 0) return undefined;
  return { count: i.u16(), baseUnit: i.u8(), decimals: pick & 0x03, exactOnly: (pick & 0x80) !== 0 };
}
