import { Bus, creditBlock, ExecutiveMaster, VmcSimulator as ExecutiveVmc } from "@vendkit/executive";

export async function probe(): Promise<unknown> {
  const master = new ExecutiveMaster();
  const vmc = new ExecutiveVmc({ priceSystem: "prices-on-vmc", prices: [70], baseCoin: 10, vendMs: 300 });
  master.display(creditBlock(250, 10, 2));
  const bus = new Bus(master, vmc);
  bus.run(0, 500);
  vmc.press(1);
  const events = bus.run(501, 3000, (evs) => {
    for (const e of evs) if (e.kind === "vend-request") master.approve();
  });
  return { shown: vmc.shown, delivered: vmc.delivered, events: events.map((e) => e.kind) };
}
