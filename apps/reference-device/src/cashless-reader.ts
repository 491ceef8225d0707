import { CashlessPeripheral } from "@vendkit/mdb";

/**
 * The reference device's MDB cashless reader (level 3 at 0x10), the same whether the VMC is
 * simulated or on a real bus. MiZip's UPDATE CREDIT (manual 4.2.9) is on, so a recharge with
 * the key in is shown to the VMC at once.
 */
export function referenceReader(): CashlessPeripheral {
  return new CashlessPeripheral({
    address: 0x10,
    identity: {
      manufacturer: "VKT",
      serial: "000000000001",
      model: "REFERENCE",
      version: 0x0100,
      level: 3,
      currency: 0x1978,
      scale: 1,
      decimals: 2,
      maxResponseTime: 5,
      configOptions: 0,
      features: 0,
    },
    customisations: { updateCredit: true },
  });
}
