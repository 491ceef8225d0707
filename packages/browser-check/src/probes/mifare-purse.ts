import { aesCmac, crc32, EMPTY_STATE, PurseSystem, SimulatedCard, toHex } from "@vendkit/mifare-purse";
import { ascii } from "./support.js";

export async function probe(): Promise<unknown> {
  // RFC 4493, example 2
  const key = Uint8Array.from([
    0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6, 0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c,
  ]);
  const message = Uint8Array.from([
    0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96, 0xe9, 0x3d, 0x7e, 0x11, 0x73, 0x93, 0x17, 0x2a,
  ]);
  const system = new PurseSystem({ masterKey: key, operatorCode: 12_345_678, format: 1 });
  const card = new SimulatedCard(Uint8Array.of(0x04, 0xa1, 0x5c, 0x72));
  const holder = {
    keyNumber: 4711,
    customerCode: 1,
    departmentCode: 1,
    priceLevel: 1,
    keyFunction: "sale",
    rechargeValue: 0,
  } as const;
  await system.format(card, holder, { ...EMPTY_STATE, credit: 500 });
  const view = await system.read(card);
  await system.commit(card, view, { ...view.state, credit: 380 });
  const after = await system.read(card);
  return { cmac: toHex(aesCmac(key, message)), crc: crc32(ascii("123456789")), credit: after.state.credit };
}
