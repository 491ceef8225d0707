import { billPeriod, type Contract } from "@vendkit/metering";
import { fromBase64, type Inputs } from "./support.js";

export async function probe(input: Inputs): Promise<unknown> {
  const cases = JSON.parse(new TextDecoder().decode(fromBase64(input.bills))) as {
    name: string;
    contract: Contract;
    usage: Record<string, number>;
    bill: unknown;
  }[];
  return cases.map((c) => JSON.stringify(billPeriod(c.contract, c.usage)) === JSON.stringify(c.bill));
}
