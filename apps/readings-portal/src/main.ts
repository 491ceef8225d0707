import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { openDb } from "./db.js";
import { DEMO, seedDemo } from "./demo.js";
import { servePortal } from "./http.js";
import { startMailSink } from "./mail-sink.js";
import { smtpMailer } from "./mailer.js";
import { Portal } from "./portal.js";

const { values } = parseArgs({
  options: {
    data: { type: "string", default: "./data" },
    port: { type: "string", default: process.env.PORT ?? "8090" },
    "mail-port": { type: "string", default: "2525" },
    "no-demo": { type: "boolean", default: false },
  },
});

const data = resolve(values.data as string);
mkdirSync(data, { recursive: true });
const where = process.env.DATABASE_URL ?? join(data, "portal.sqlite");
const db = openDb(where);

// Without SMTP_URL the portal mails a loopback SMTP server of its own that keeps each message as
// an .eml file: the demo's customer and operator mailboxes.
let smtp = process.env.SMTP_URL;
let mailbox: string | undefined;
if (smtp === undefined) {
  mailbox = join(data, "mailbox");
  const sink = await startMailSink({ port: Number(values["mail-port"]), dir: mailbox });
  smtp = `smtp://127.0.0.1:${sink.port}`;
}
const port = Number(values.port);
const baseUrl = process.env.PORTAL_BASE_URL ?? `http://127.0.0.1:${port}`;
const portal = await Portal.open({
  db,
  mailer: smtpMailer(smtp, process.env.PORTAL_MAIL_FROM ?? "readings@portal.example"),
  baseUrl,
  operatorEmail: process.env.OPERATOR_EMAIL ?? "operator@portal.example",
  ...(process.env.PORTAL_SECRET ? { secret: process.env.PORTAL_SECRET } : {}),
  log: (line) => console.log(line),
});
const seeded = values["no-demo"] ? false : await seedDemo(portal);
const server = await servePortal(portal, port);
const address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const sendDue = async () => {
  const sent = await portal.reports.runScheduler();
  if (sent.requests + sent.reminders > 0)
    console.log(`scheduler: ${sent.requests} requests, ${sent.reminders} reminders mailed`);
};
await sendDue();
setInterval(
  () => void sendDue().catch((e: Error) => console.error(`scheduler: ${e.message}`)),
  3_600_000,
).unref();

console.log(`readings portal on ${address}
  database: ${db.kind === "sqlite" ? where : "PostgreSQL (DATABASE_URL)"}
  mail:     ${mailbox ? `${smtp}, kept in ${mailbox}` : "SMTP_URL"}${
    values["no-demo"]
      ? ""
      : `
  operator: ${address}/login  user "${DEMO.operator.userId}", password "${DEMO.operator.password}"${seeded ? " (demo data created)" : ""}
  customer: ${address}/login  user "${DEMO.customer.userId}", password "${DEMO.customer.password}"
            or the reading link mailed to office@acme.example${mailbox ? ` (in ${mailbox})` : ""}`
  }`);

const stop = () => {
  server.close();
  void db.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
