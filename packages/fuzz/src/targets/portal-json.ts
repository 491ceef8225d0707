/**
 * Any body to every POST of the readings portal (but /logout), at the handler (Fastify's `inject`), signed in as
 * the demo's operator with the session's CSRF token, so the bodies reach the handlers. The body is
 * the fuzzer's text, sent as JSON or as a form (the first byte's top bit), on a portal seeded with
 * the demo's customer, devices, installations and readings. The portal promises a 4xx naming what
 * is wrong for anything a client sends: never a 5xx.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDb } from "../../../../apps/readings-portal/src/db.js";
import { DEMO, seedDemo } from "../../../../apps/readings-portal/src/demo.js";
import { portalApp } from "../../../../apps/readings-portal/src/http.js";
import { Portal } from "../../../../apps/readings-portal/src/portal.js";
import { finding } from "../harness.js";
import { type InjectApp, postRoutes, sessionOf } from "../inject.js";

/** Jazzer runs this target awaiting each input (a request is asynchronous). */
export const mode = "async";

const text = new TextDecoder();

interface Route {
  readonly url: string;
  readonly headers: Record<string, string>;
}

/**
 * A session signed in through the login form, as request headers: its cookies, and the CSRF token
 * of a form it is then shown at `home` (a token is bound to the session it was made for).
 */
async function signIn(
  app: InjectApp,
  account: { userId: string; password: string },
  home: string,
): Promise<Record<string, string>> {
  const page = await app.inject({ method: "GET", url: "/login" });
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (csrf === undefined) throw new Error("the login page carries no CSRF token");
  const cookie = sessionOf(page.headers["set-cookie"]);
  const login = await app.inject({
    method: "POST",
    url: "/login",
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({ csrf, ...account }).toString(),
  });
  if (login.statusCode !== 303) throw new Error(`${account.userId} could not sign in: ${login.statusCode}`);
  const session = `${cookie}; ${sessionOf(login.headers["set-cookie"])}`;
  const form = await app.inject({ method: "GET", url: home, headers: { cookie: session } });
  const token = /name="csrf" value="([^"]+)"/.exec(form.body)?.[1];
  if (token === undefined) throw new Error(`${home} shows ${account.userId} no CSRF token`);
  return { cookie: session, "x-csrf-token": token };
}

/** The demo customer's copier. */
const COPIER = "ACME-COPIER";

async function rig(): Promise<{ app: InjectApp; routes: Route[] }> {
  const dir = mkdtempSync(join(tmpdir(), "fuzz-portal-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  const portal = await Portal.open({
    db: openDb(join(dir, "portal.sqlite")),
    mailer: { send: async () => {}, close: () => {} },
    baseUrl: "http://127.0.0.1:0",
    operatorEmail: "operator@portal.example",
    now: () => new Date("2026-11-30T09:00:00Z"),
  });
  await seedDemo(portal);
  const app = await portalApp(portal);
  await app.ready();
  const operator = await signIn(app, DEMO.operator, "/operator/manage");
  const customer = await signIn(app, DEMO.customer, `/customer/installations/${COPIER}`);
  // every POST but /logout, which would end the session the other inputs need; a customer's
  // route on the demo customer's copier in the customer's session, an invoice's on invoice 2026/1
  const routes = postRoutes(app, true)
    .filter((url) => url !== "/logout")
    .map((url) =>
      url.startsWith("/customer/")
        ? { url: url.replace(":id", COPIER), headers: customer }
        : { url: url.replace(":year", "2026").replace(":sequence", "1"), headers: operator },
    );
  return { app, routes };
}

let ready: Promise<{ app: InjectApp; routes: Route[] }> | undefined;

export async function fuzz(data: Uint8Array): Promise<void> {
  ready ??= rig();
  const { app, routes } = await ready;
  const pick = data[0] ?? 0;
  const { url, headers } = routes[(pick & 0x7f) % routes.length] as Route;
  const res = await app.inject({
    method: "POST",
    url,
    headers: {
      ...headers,
      "content-type": pick & 0x80 ? "application/x-www-form-urlencoded" : "application/json",
    },
    payload: text.decode(data.subarray(1)),
  });
  if (res.statusCode >= 500) finding(`POST ${url} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
}
