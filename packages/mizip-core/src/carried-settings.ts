import { type Holder, holderOf, type Identity } from "@vendkit/mifare-purse";
import type { PricingConfig } from "@vendkit/pricing";
import { type SystemParameters, setParameter, validateParameters } from "./parameters.js";
import type { Carried } from "./payment-types.js";

/** The settings a reader keeps after a special key or a formatting: nothing, or its new parameters (and pricing). */
export interface KeptSettings {
  readonly parameters: SystemParameters;
  readonly pricing?: PricingConfig;
}

/** The highest key number 40115 holds; formatting past it starts again at 1. */
export const LAST_KEY_NUMBER = 9_999_999;

/**
 * What a reader keeps after a special key was read (manual 4.10.11, 4.12, 7.2), from the
 * reader's `current` parameters and what the key carried:
 * - a setup key's settings and price tables, except this reader's identity (machine code and
 *   its size, reader code), its bus (30000) and the setting of its clock (the time zone and
 *   formats do come); a 500-key black list here stays, since the setup key does not carry it;
 * - a black-list key's mode and list;
 * - after a data key's backup re-read, BACKUP (40116) back OFF.
 * Undefined when nothing changes. A setup key whose settings do not hold here throws the
 * first `ParameterError` found, and nothing is kept.
 */
export function settingsAfterKey(current: SystemParameters, carried: Carried): KeptSettings | undefined {
  switch (carried.kind) {
    case "setup": {
      const from = carried.parameters;
      const next: SystemParameters = {
        ...from,
        numeric: {
          ...from.numeric,
          protocol: current.numeric.protocol,
          machineCodeSize: current.numeric.machineCodeSize,
        },
        machineCode: current.machineCode,
        readerCode: current.readerCode,
        blackList: from.numeric.blackList === 2 ? current.blackList : from.blackList,
        // the time zone and formats travel; how far this reader's clock is set stays its own
        clock: { ...from.clock, offset: current.clock.offset },
      };
      const problem = validateParameters(next)[0];
      if (problem !== undefined) throw problem;
      return { parameters: next, pricing: carried.pricing };
    }
    case "black-list":
      return {
        parameters: {
          ...current,
          numeric: { ...current.numeric, blackList: carried.mode },
          blackList: carried.keys,
        },
      };
    case "data":
      return carried.backup ? { parameters: afterBackup(current) } : undefined;
  }
}

/** Manual 7.2: after a backup re-read, BACKUP (40116) goes back to OFF by itself. */
export function afterBackup(current: SystemParameters): SystemParameters {
  return setParameter(current, 40116, 0);
}

/**
 * Key formatting in the reader (manual 9.5.2): the holder a key is rewritten with, and the
 * parameters after it. The key takes this reader's customer and department codes (its operator
 * code is the purse system's); with PROGRAM. N. CHIAVE ON (40101) it takes the number in 40115,
 * which moves on to the next (after 9999999, 1), otherwise it keeps its number.
 */
export function formatting(
  current: SystemParameters,
  identity: Identity,
): { readonly holder: Holder; readonly parameters: SystemParameters } {
  const p = current.numeric;
  const numbered = p.formatProgramKeyNumber === 1;
  const keyNumber = numbered ? p.formatKeyNumber : identity.keyNumber;
  return {
    holder: {
      ...holderOf(identity),
      keyNumber,
      customerCode: p.customerCode,
      departmentCode: p.departmentCode,
    },
    parameters: numbered
      ? setParameter(current, 40115, keyNumber >= LAST_KEY_NUMBER ? 1 : keyNumber + 1)
      : current,
  };
}
