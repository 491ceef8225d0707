import { type CashlessEvent, CashlessPeripheral, VmcSimulator as MdbVmc } from "@vendkit/mdb";

export async function probe(): Promise<unknown> {
  const reader = new CashlessPeripheral({
    address: 0x10,
    identity: {
      manufacturer: "VKT",
      serial: "000000004711",
      model: "PROBE",
      version: 1,
      level: 3,
      currency: 0x1978,
      scale: 1,
      decimals: 2,
      maxResponseTime: 5,
      configOptions: 0,
      features: 0,
    },
  });
  const events: CashlessEvent[] = [];
  const vmc = new MdbVmc(reader, { onEvent: (e) => events.push(e) });
  const { config } = vmc.initialise({ max: 500, min: 10 });
  reader.beginSession(250);
  const session = vmc.poll();
  vmc.send({ type: "vend-request", price: 120, item: 3 });
  reader.approveVend(120);
  const approved = vmc.pollFor(["vend-approved"]);
  vmc.send({ type: "vend-success", item: 3 });
  return { config, session, approved, ended: vmc.endSession(), events: events.map((e) => e.type) };
}
