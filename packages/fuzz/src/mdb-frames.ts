import { CashlessPeripheral, type CoinChangerMaster, checksum, MODE } from "@vendkit/mdb";
import type { Input } from "./harness.js";

/** A VMC's block to `address` as words: the mode bit on the first, its checksum after the data. */
export function masterBlock(address: number, payload: Uint8Array): number[] {
  const bytes = [address, ...payload.subarray(1)];
  if (payload.length > 0) bytes[0] = address | ((payload[0] as number) & 0x07);
  return [MODE | (bytes[0] as number), ...bytes.slice(1), checksum(bytes)];
}

/** A peripheral's reply as words: a bare ACK for no bytes, else data, then CHK with the mode bit. */
export function peripheralReply(payload: Uint8Array): number[] {
  if (payload.length === 0) return [MODE];
  return [...payload, MODE | checksum(payload)];
}

/** What a VMC asks of its changer driver, chosen by the fuzzer. */
export const CHANGER_DRIVER_COMMANDS: readonly ((m: CoinChangerMaster, i: Input) => void)[] = [
  (m, i) => m.enableCoins(i.u16()),
  (m, i) => m.dispense(i.u8(), i.u8()),
  (m, i) => m.payout(i.u16()),
  (m) => m.diagnose(),
  (m, i) => m.manualReport(i.u8() & 1 ? "fill" : "payout"),
  (m, i) => {
    m.dispensePlan(i.u16());
    m.changeAvailable();
  },
];

/**
 * A cashless device at `level`, its options from a byte: bit 7 the second address (0x60), bit 6
 * the customisations, bits 5-0 the configuration options and features it announces.
 */
export function cashlessReader(
  level: 1 | 2 | 3,
  options: number,
): { reader: CashlessPeripheral; address: 0x10 | 0x60 } {
  const address = options & 0x80 ? 0x60 : 0x10;
  const reader = new CashlessPeripheral({
    address,
    identity: {
      manufacturer: "VKT",
      serial: "000000000001",
      model: "FUZZ",
      version: 1,
      level,
      currency: 0x1978,
      scale: 1,
      decimals: 2,
      maxResponseTime: 5,
      configOptions: options & 0x3f,
      features: options & 0x3f,
    },
    customisations: { outOfSequence: !!(options & 0x40), updateCredit: !!(options & 0x40) },
  });
  return { reader, address };
}
