/**
 * Any body to every POST of the programmer console, at the handler (Fastify's `inject`: the
 * schema check, the guard and the handler, no socket), with a live session's cookie and CSRF token
 * so the bodies reach the handlers. The body is the fuzzer's text sent as JSON (malformed or not).
 * The console promises a 4xx naming what is wrong for anything a client sends: never a 5xx.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { consoleApp } from "../../../../apps/reference-device/src/console.js";
import { Device } from "../../../../apps/reference-device/src/device.js";
import { finding } from "../harness.js";
import { type InjectApp, postRoutes, sessionOf } from "../inject.js";

/** Jazzer runs this target awaiting each input (a request is asynchronous). */
export const mode = "async";

const HOST = "127.0.0.1:0";
const text = new TextDecoder();

interface Rig {
  readonly app: InjectApp;
  readonly routes: readonly string[];
  readonly headers: Record<string, string>;
}

async function rig(): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), "fuzz-console-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  const device = await Device.open(dir);
  const app = await consoleApp(device);
  await app.ready();
  const session = await app.inject({ method: "GET", url: "/api/session", headers: { host: HOST } });
  const { csrfToken } = session.json() as { csrfToken: string };
  return {
    app,
    routes: postRoutes(app),
    headers: { host: HOST, cookie: sessionOf(session.headers["set-cookie"]), "x-csrf-token": csrfToken },
  };
}

let ready: Promise<Rig> | undefined;

export async function fuzz(data: Uint8Array): Promise<void> {
  ready ??= rig();
  const { app, routes, headers } = await ready;
  const url = routes[(data[0] ?? 0) % routes.length] as string;
  const res = await app.inject({
    method: "POST",
    url,
    headers: { ...headers, "content-type": "application/json" },
    payload: text.decode(data.subarray(1)),
  });
  if (res.statusCode >= 500) finding(`POST ${url} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
}
