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

const USAGE = `usage: npm run portal -- [options]   (or: node apps/readings-portal/dist/main.js [options])

The readings portal (meter readings and overage billing of rented equipment, the Ripro circular),
with demo data unless --no-demo.

  --data DIR        where portal.sqlite and the demo mailbox live (default ./data)
  --port N          HTTP port (default $PORT or 8090)
  --mail-port N     the loopback SMTP server that keeps mail as .eml files (default 2525),
                    when SMTP_URL is not set
  --no-demo         start without the demo operator, customer and installations
  --help            this text

environment: DATABASE_URL (PostgreSQL; default SQLite in --data), SMTP_URL, PORTAL_BASE_URL,
PORTAL_MAIL_FROM, OPERATOR_EMAIL, PORTAL_SECRET`;

/** A command-line mistake: one line on stderr, exit 2. */
function usageError(message: string): never {
  console.error(`${message} (see --help)`);
  process.exit(2);
}

const values = (() => {
  try {
    return parseArgs({
      options: {
        data: { type: "string", default: "./data" },
        port: { type: "string", default: process.env.PORT ?? "8090" },
        "mail-port": { type: "string", default: "2525" },
        "no-demo": { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    }).values;
  } catch (e) {
    return usageError(e instanceof Error ? e.message : String(e));
  }
})();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
for (const name of ["port", "mail-port"] as const)
  if (!/^[0-9]{1,5}$/.test(values[name]) || Number(values[name]) > 65_535)
    usageError(`--${name} ${values[name]}: a port is a number 0..65535`);
/** Says which port is taken and how to choose another, instead of a stack trace. */
const inUse =
  (port: string, option: string) =>
  (e: unknown): never => {
    if ((e as { code?: string }).code === "EADDRINUSE") {
      console.error(`port ${port} is in use (another portal?): choose another with --${option} N`);
      process.exit(1);
    }
    throw e;
  };

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
  const sink = await startMailSink({ port: Number(values["mail-port"]), dir: mailbox }).catch(
    inUse(values["mail-port"], "mail-port"),
  );
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
const server = await servePortal(portal, port).catch(inUse(values.port, "port"));
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
