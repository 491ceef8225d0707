import {
  decodeSpecialKey,
  defaultParameters,
  encodeSpecialKey,
  formatAmount,
  parseAmount,
} from "@vendkit/mizip-core";
import { defaultConfig } from "@vendkit/pricing";

export async function probe(): Promise<unknown> {
  const content = { kind: "setup", parameters: defaultParameters(), pricing: defaultConfig() } as const;
  const key = encodeSpecialKey(content);
  const back = decodeSpecialKey("setup", key);
  return {
    same: JSON.stringify(back) === JSON.stringify(content),
    amounts: [formatAmount(12_345, 2, 0), parseAmount("123,45", 2, 0)],
  };
}
