import type { SystemParameters } from "./parameters.js";

/**
 * The bus a reader speaks, as parameter 30000 names it (manual 4.2, 4.3): Executive master,
 * Executive master driving an Executive changer (RENDIRESTO, 4.3.2: 30000 = 0 with 20001 VALIDATOR
 * TYPE "changer"), Executive slave, or MDB. 30000 is where the protocol lives; like the original
 * after a power cycle, a reader applies a change at its next start.
 */
export type Protocol = "mdb" | "executive-master" | "executive-rendiresto" | "executive-slave";

/** 30000 for each protocol: 0 Executive master (RENDIRESTO too), 1 Executive slave, 2 MDB. */
export const PROTOCOL_PARAMETER: Readonly<Record<Protocol, number>> = {
  mdb: 2,
  "executive-master": 0,
  "executive-rendiresto": 0,
  "executive-slave": 1,
};

/** 20001 VALIDATOR TYPE "changer" (RENDIRESTO EXE with 30000 = 0, manual 4.6.2, 4.6.4). */
export const CHANGER_VALIDATOR = 4;

/** The protocol the parameters name: 30000, and 20001 = changer for RENDIRESTO under Executive master. */
export function protocolOf(params: SystemParameters): Protocol {
  const n = params.numeric;
  if (n.protocol === 2) return "mdb";
  if (n.protocol === 1) return "executive-slave";
  return n.validatorType === CHANGER_VALIDATOR ? "executive-rendiresto" : "executive-master";
}

/**
 * The parameters naming `protocol`: 30000, and 20001 set to the changer for RENDIRESTO; leaving
 * RENDIRESTO for plain Executive master puts 20001 back to `defaults`' validator type.
 */
export function withProtocol(
  params: SystemParameters,
  protocol: Protocol,
  defaults: SystemParameters,
): SystemParameters {
  const n = params.numeric;
  const validatorType =
    protocol === "executive-rendiresto"
      ? CHANGER_VALIDATOR
      : protocol === "executive-master" && n.validatorType === CHANGER_VALIDATOR
        ? defaults.numeric.validatorType
        : n.validatorType;
  return { ...params, numeric: { ...n, protocol: PROTOCOL_PARAMETER[protocol], validatorType } };
}
