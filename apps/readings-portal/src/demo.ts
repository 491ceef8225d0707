import type { Portal, Principal } from "./portal.js";
import { addDays } from "./schedule.js";

export const DEMO = {
  operator: { userId: "operator", password: "demo-operator" },
  customer: { userId: "acme", password: "demo-customer" },
} as const;

/**
 * Demo data for a first start: an operator, a customer with a copier and a vending machine, a
 * year of monthly readings, and a reading day three days ahead so the scheduler has mail to send.
 * Does nothing when the operator exists already. The demo passwords are printed, so they are for
 * a demo only.
 */
export async function seedDemo(portal: Portal): Promise<boolean> {
  if (await portal.db.get(`SELECT user_id FROM accounts WHERE user_id = $1`, [DEMO.operator.userId]))
    return false;
  await portal.createOperator(DEMO.operator.userId, DEMO.operator.password);
  const op: Principal = { role: "operator", userId: DEMO.operator.userId };
  await portal.registry.addCustomer(op, {
    id: "ACME",
    name: "Acme Srl",
    email: "office@acme.example",
    userId: DEMO.customer.userId,
    password: DEMO.customer.password,
  });
  await portal.registry.addDevice(op, {
    model: "Copier MX-4071",
    serial: "MX4071-00123",
    counters: ["mono", "colour"],
    consumables: ["toner-black:mono:20000", "toner-colour:colour:8000"],
  });
  await portal.registry.addDevice(op, {
    model: "Snack vendor 6000",
    serial: "SV6000-0042",
    counters: ["vends"],
    consumables: [],
  });
  await portal.registry.addInstallation(op, {
    id: "ACME-COPIER",
    serial: "MX4071-00123",
    customerId: "ACME",
    site: "Acme, 2nd floor",
  });
  await portal.registry.addInstallation(op, {
    id: "ACME-VENDOR",
    serial: "SV6000-0042",
    customerId: "ACME",
    site: "Acme, canteen",
  });
  const today = portal.now().toISOString().slice(0, 10);
  const due = addDays(today, 3);
  const readingDay = Math.min(28, Number(due.slice(8)));
  const first = `${Number(today.slice(0, 4)) - 1}-${today.slice(5, 7)}-01`;
  await portal.registry.setContract(op, {
    installationId: "ACME-COPIER",
    period: "monthly",
    readingDay,
    start: first,
    fee: 4500,
    terms: "mono: 3000 included; 80/100 up to 10000; 60/100\ncolour: 300 included; 900/100",
  });
  await portal.registry.setContract(op, {
    installationId: "ACME-VENDOR",
    period: "quarterly",
    readingDay,
    start: first,
    fee: 12000,
    minimumCharge: 15000,
    terms: "vends: 2000 included; 5/1",
  });
  const rows = ["installation,date,mono,colour,vends,level:toner-black,level:toner-colour"];
  let mono = 120_000;
  let colour = 8_000;
  let vends = 30_000;
  let black = 100;
  let col = 100;
  for (let m = 0; m < 12; m++) {
    const date = new Date(Date.UTC(Number(first.slice(0, 4)), Number(first.slice(5, 7)) - 1 + m, readingDay))
      .toISOString()
      .slice(0, 10);
    if (date >= today) break;
    const monthMono = 2600 + ((m * 937) % 2400);
    const monthColour = 250 + ((m * 211) % 300);
    mono += monthMono;
    colour += monthColour;
    vends += 700 + ((m * 53) % 200);
    black -= Math.round((monthMono / 20000) * 100);
    col -= Math.round((monthColour / 8000) * 100);
    if (black < 10) black = 100;
    if (col < 10) col = 100;
    rows.push(`ACME-COPIER,${date},${mono},${colour},,${m === 0 ? 100 : black},${m === 0 ? 100 : col}`);
    rows.push(`ACME-VENDOR,${date},,,${vends},,`);
  }
  await portal.imports.csv(op, rows.join("\n"));
  return true;
}
