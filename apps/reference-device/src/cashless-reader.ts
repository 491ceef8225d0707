import { CashlessPeripheral, DEFAULT_TIMING } from "@vendkit/mdb";
import type { SystemParameters } from "@vendkit/mizip-core";

/**
 * The reference device's MDB cashless reader at 0x10, the same whether the VMC is simulated or
 * on a real bus, configured by the MDB protocol parameters (manual 4.2): reader level (30010),
 * max response time (30011), inter-byte time (30012), country or currency code (30013), decimal
 * point (30004), the scale factor (30003, the base coin: money goes on the bus in units of it) and the
 * customisations OUT OF SEQUENCE, REVALUE NO ACK and UPDATE CREDIT (30014, bits 0-2). The VMC
 * reads them at its next SETUP: a change takes effect when the device starts again.
 */
export function referenceReader(numeric: SystemParameters["numeric"]): CashlessPeripheral {
  return new CashlessPeripheral({
    address: 0x10,
    identity: {
      manufacturer: "VKT",
      serial: "000000000001",
      model: "REFERENCE",
      version: 0x0100,
      level: (numeric.mdbLevel + 1) as 1 | 2 | 3,
      currency: numeric.mdbCountryCode,
      scale: numeric.baseCoin,
      decimals: numeric.decimalPoint,
      maxResponseTime: numeric.mdbMaxResponseTime,
      configOptions: 0,
      features: 0,
    },
    timing: { ...DEFAULT_TIMING, interByte: numeric.mdbInterByteTime },
    customisations: {
      outOfSequence: (numeric.mdbCustomisations & 1) !== 0,
      revalueNoAck: (numeric.mdbCustomisations & 2) !== 0,
      updateCredit: (numeric.mdbCustomisations & 4) !== 0,
    },
  });
}

/** Money as the bus carries it: whole units of the scale factor (30003), rounded down. */
export const toBus = (money: number, scale: number): number => Math.floor(money / scale);
/** A bus amount as money. */
export const fromBus = (units: number, scale: number): number => units * scale;

/**
 * What a session announces for `credit` (money): its funds in bus units, or unknown when a key
 * may go below zero (40111 ON, manual 4.10.1): its credit is then no limit on a vend, so the
 * reader says it does not know (MDB §7.4.4) and the payment system decides each vend.
 */
export function announcedFunds(
  credit: number,
  session: "key" | "cash",
  scale: number,
  negativeCredit: boolean,
): number | "unknown" {
  return negativeCredit && session === "key" ? "unknown" : toBus(Math.max(0, credit), scale);
}
