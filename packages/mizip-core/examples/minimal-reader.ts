/**
 * A working MDB key reader from three vendkit packages and nothing else: mizip-core (the payment
 * system), @vendkit/mdb (the cashless device at 0x10, here in front of the MDB VMC simulator) and
 * @vendkit/mifare-purse (the keys). Memory is in RAM; time is an argument. It sells from a key,
 * then takes a coin at the reader's own acceptor onto the key.
 *
 *   npx tsx packages/mizip-core/examples/minimal-reader.ts
 */
import { type CashlessEvent, CashlessPeripheral, VmcSimulator } from "@vendkit/mdb";
import { EMPTY_STATE, PurseSystem, SimulatedCard } from "@vendkit/mifare-purse";
import { defaultConfig } from "@vendkit/pricing";
import { defaultParameters, MemoryStorage, PaymentSystem } from "../src/index.js";

export async function minimalReader(): Promise<{ sold: number | undefined; credit: number; log: string[] }> {
  const log: string[] = [];
  let now = Date.UTC(2026, 10, 29, 9, 0);

  // the reader on the bus, and a VMC (level 3) driving it
  const reader = new CashlessPeripheral({
    address: 0x10,
    identity: {
      manufacturer: "VKT",
      serial: "000000000042",
      model: "MINIMAL",
      version: 0x0100,
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
  const vmc = new VmcSimulator(reader, { vmcLevel: 3, onEvent: (e) => events.push(e) });
  vmc.initialise();

  // the payment system: prices on the VMC (30002 = 0), key level 0 pays 10 less than cash
  const parameters = defaultParameters();
  const pricing = defaultConfig();
  const cash = pricing.cash.map((p, i) => (i === 0 ? 100 : p));
  const key0 = cash.map((p) => Math.max(0, p - 10));
  const masterKey = Uint8Array.from({ length: 16 }, (_, i) => i * 17);
  const purses = new PurseSystem({ masterKey, operatorCode: parameters.numeric.operatorCode, format: 1 });
  let inSession = false;
  const pay = new PaymentSystem({
    storage: new MemoryStorage(),
    purses,
    parameters,
    pricing: { ...pricing, cash, keys: [{ mode: "on", prices: key0 }, ...pricing.keys.slice(1)] as never },
    ports: {
      // the credit the VMC shows: a session while there is some, none otherwise
      display: (credit) => {
        if (credit === undefined) {
          if (inSession && reader.cancelSession()) vmc.endSession();
          inSession = false;
        } else if (!inSession) {
          inSession = reader.beginSession(credit);
          vmc.pollFor(["begin-session"]);
        } else if (reader.updateCredit(credit)) {
          vmc.pollFor(["session-cancel-request"]);
          vmc.endSession();
          vmc.pollFor(["begin-session"]);
        }
      },
    },
  });
  await pay.powerUp(now);

  // a key with 5.00, formatted with this system's codes
  const card = new SimulatedCard(Uint8Array.of(0x04, 0x11, 0x22, 0x33));
  await purses.format(
    card,
    {
      keyNumber: 1,
      customerCode: 1,
      departmentCode: 1,
      priceLevel: 0,
      keyFunction: "sale",
      rechargeValue: 0,
    },
    { ...EMPTY_STATE, credit: 500 },
  );
  card.insert();
  const inserted = await pay.insertKey(card, now);
  log.push(`key in: ${inserted.ok ? `credit ${inserted.credit}` : "refused"}`);

  // the customer chooses selection 1 at 1.00 on the machine
  now += 1000;
  events.length = 0;
  vmc.send({ type: "vend-request", price: 100, item: 1 });
  const request = events.find((e) => e.type === "vend-request");
  let sold: number | undefined;
  if (request?.type === "vend-request") {
    const decision = await pay.vendRequest({ price: request.price, line: request.item }, now);
    if (decision.approved) reader.approveVend(decision.amount);
    else reader.denyVend();
    const answer = vmc.pollFor(["vend-approved", "vend-denied"]);
    if (answer?.type === "vend-approved") {
      vmc.send({ type: "vend-success", item: 1 });
      await pay.vendSuccess(now);
      sold = answer.amount;
    }
  }
  log.push(`selection 1: ${sold === undefined ? "denied" : `sold for ${sold}`}`);

  // a 2.00 coin at the reader's acceptor goes onto the key, if the acceptor takes coins now
  now += 1000;
  if (pay.acceptance.coins === true) await pay.coin(200, now);
  log.push(`coin 200: ${pay.acceptance.coins === true ? "taken" : pay.acceptance.coins}`);
  const credit = pay.keyCredit ?? 0;
  log.push(`key credit ${credit}`);
  await pay.removeKey(now);
  return { sold, credit, log };
}

if (process.argv[1]?.endsWith("minimal-reader.ts")) {
  const { log } = await minimalReader();
  for (const line of log) console.log(line);
}
