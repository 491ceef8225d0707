import type { Server } from "node:http";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import {
  COUNTER_UNITS,
  CollectionRefused,
  formatTransaction,
  lineCount,
  menuOf,
  NUMERIC_PARAMETERS,
  PARAMETER_LABELS,
  ParameterError,
  PasswordRefused,
  PaymentError,
  STATISTICS_COUNTERS as S,
  VENDKIT_COUNTERS as V,
  wallClock,
} from "@vendkit/mizip-core";
import Fastify, { type FastifyError, type FastifyReply } from "fastify";
import { guardConsole } from "./console-guard.js";
import { CONSOLE_PAGE } from "./console-page.js";
import {
  CashType,
  Empty,
  FormatKey,
  KeyIndex,
  LoadSpecialKey,
  MaxiBoxQuery,
  ModifyKey,
  Recharge,
  Selection,
  SetClock,
  SetCodes,
  SetExtra,
  SetName,
  SetParameter,
  SetPrice,
  SpecialKind,
} from "./console-schemas.js";
import { type Device, DeviceSetupError } from "./device.js";
import { CashRefused } from "./device-errors.js";

/**
 * The programmer console over HTTP on loopback (manual ch. 9): the page at `/` and its JSON API.
 * Every change goes through the same checks as the programmer's keypad: parameter ranges by
 * number (400 with the number), the password where the manual asks for it (403), no
 * programming with a key in (409). Every body and query is declared in console-schemas.ts: what
 * does not match is a 400 naming the field.
 *
 * Only the technician's own browser may change anything: a request must name this console as its
 * Host (a foreign name is a DNS-rebinding page), a POST must come from no other Origin and carry
 * the CSRF token of the console's session (the page holds it; `GET /api/session` gives it to a
 * script, with its cookie). Everything that changes state, the audit collection included, is a POST.
 *
 * With a programmer password (009) other than 0, a session logs in once with it (`POST
 * /api/login`, five attempts a minute) before it may change anything, and its guarded operations
 * (manual 4.9.3) then need no retyping: the console gives the password the session logged in with.
 */
export async function serveConsole(device: Device, port: number, host = "127.0.0.1"): Promise<Server> {
  const app = await consoleApp(device, host);
  await app.listen({ port, host });
  return app.server;
}

/** How often the live status is looked at for a change, in ms. */
const STATUS_EVERY = 250;

/**
 * The console as a Fastify app, not listening: what `serveConsole` serves, and what a test or the
 * fuzz targets drive with `inject` (requests at the handlers, no socket). Its Host check expects
 * `127.0.0.1:<port>` with port 0 under `inject`.
 */
export async function consoleApp(device: Device, host = "127.0.0.1") {
  const app = Fastify({
    // bodies are checked as sent: no type coercion, and a property the schema does not know is
    // refused rather than dropped
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    bodyLimit: 64 * 1024,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setErrorHandler((e: FastifyError, _req, reply) => fail(reply, e));
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({ code: "NOT_FOUND", message: `${req.method} ${req.url.split("?")[0]}` });
  });

  const { passwordFor, sessionState } = await guardConsole(app, device, host);

  app.get("/", (req, reply) => {
    const token = reply.generateCsrf({ userInfo: req.consoleSession.id });
    reply
      .type("text/html; charset=utf-8")
      .send(CONSOLE_PAGE.replace("<head>", `<head><meta name="csrf-token" content="${token}">`));
  });
  app.get("/api/state", async (req) => ({
    ...(await device.state()),
    session: sessionState(req.consoleSession),
    inserted: device.insertedIndex,
    insertedSpecial: device.insertedSpecial,
    keyReport: device.pay.keyReport ?? null,
    readerState: device.pay.state,
  }));
  // the status line, live (server-sent events): what the reader is doing, the cash credit, the
  // key in; sent when it changes (looked at every STATUS_EVERY ms), with a comment now and then so
  // that a proxy keeps the stream open
  const status = () => ({
    readerState: device.pay.state,
    machineCredit: device.pay.machineCredit,
    keyCredit: device.pay.keyCredit,
    inserted: device.insertedIndex,
    insertedSpecial: device.insertedSpecial,
  });
  app.get("/api/events", (req, reply) => {
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-store",
      connection: "keep-alive",
    });
    let last = "";
    let quiet = 0;
    const look = () => {
      const now = JSON.stringify(status());
      if (now !== last) {
        last = now;
        quiet = 0;
        out.write(`event: status\ndata: ${now}\n\n`);
      } else if (++quiet * STATUS_EVERY >= 15_000) {
        quiet = 0;
        out.write(": still here\n\n");
      }
    };
    look();
    const timer = setInterval(look, STATUS_EVERY);
    req.raw.once("close", () => clearInterval(timer));
  });
  app.get("/api/parameters", () =>
    NUMERIC_PARAMETERS.map((d) => ({
      ...d,
      menu: menuOf(d.number),
      menuIt: menuOf(d.number, "it"),
      // the manual's names (Italian and English), the unit, what each choice means, the section
      ...PARAMETER_LABELS.get(d.number),
      value: device.settings.params.numeric[d.name],
    })),
  );
  app.post("/api/parameters", { schema: { body: SetParameter } }, async (req) => {
    const { body } = req;
    const audit = await device.settings.setParameter(
      body.number,
      body.value,
      passwordFor(req, body.password),
    );
    // who sets the password knows it: this session stays logged in
    if (body.number === 9) req.consoleSession.password = body.value;
    // a protocol change collects the statistics first (manual 4.2): say where they went
    return audit === undefined ? { ok: true } : { ok: true, audit };
  });

  app.get("/api/clock", () => ({
    ...device.settings.params.clock,
    shown: device.settings.clockText,
    now: device.clock(),
  }));
  // manual 8.1: the time zone, the date and hour formats, the date and time (wall clock)
  app.post("/api/clock", { schema: { body: SetClock } }, async ({ body }) => {
    await device.settings.setClock(body as Parameters<Device["settings"]["setClock"]>[0]);
    return { ok: true, shown: device.settings.clockText };
  });

  app.get("/api/codes", () => {
    const p = device.settings.params;
    return {
      machineCode: p.machineCode,
      readerCode: p.readerCode,
      blackListMode: p.numeric.blackList,
      blackList: p.blackList,
    };
  });
  app.post("/api/codes", { schema: { body: SetCodes } }, async ({ body }) => {
    await device.settings.setCodes(body);
    return { ok: true };
  });

  app.get("/api/extra", () => {
    const { conversion, limits, bonus1, bonus2, loyalty, promotions, happyHours, outOfService } =
      device.settings.pricing;
    return { conversion, limits, bonus1, bonus2, loyalty, promotions, happyHours, outOfService };
  });
  app.post("/api/extra", { schema: { body: SetExtra } }, async ({ body }) => {
    await device.settings.setPricing(body);
    return { ok: true };
  });

  app.get("/api/prices", () => {
    const p = device.settings.pricing;
    return {
      lines: p.lines,
      names: p.names.slice(0, p.lines),
      cash: p.cash.slice(0, p.lines),
      keys: p.keys.map((k) => ({ mode: k.mode, prices: k.prices.slice(0, p.lines) })),
    };
  });
  app.post("/api/prices", { schema: { body: SetPrice } }, async ({ body }) => {
    await device.settings.setPrice(body.table as "cash" | 0 | 1 | 2 | 3, body.line, body.price);
    return { ok: true };
  });
  app.post("/api/names", { schema: { body: SetName } }, async ({ body }) => {
    await device.settings.setName(body.line, body.name);
    return { ok: true };
  });

  app.post("/api/keys/insert", { schema: { body: KeyIndex } }, ({ body }) => device.insertKey(body.index));
  app.post("/api/keys/format", { schema: { body: FormatKey } }, async (req) => {
    const { body } = req;
    const keyNumber = await device.formatKey(body.index, {
      credit: body.credit,
      password: passwordFor(req, body.password),
    });
    return { keyNumber, next: device.settings.params.numeric.formatKeyNumber };
  });
  app.post("/api/keys/remove", { schema: { body: Empty } }, async () => {
    await device.removeKey();
    return { ok: true };
  });
  app.post("/api/keys/modify", { schema: { body: ModifyKey } }, async (req) => {
    const { password, ...changes } = req.body;
    return { landed: await device.programmerSetKey(changes, passwordFor(req, password)) };
  });
  app.post("/api/keys/recharge", { schema: { body: Recharge } }, async (req) => ({
    credit: await device.programmerRecharge(req.body.amount, passwordFor(req, req.body.password)),
  }));

  app.post("/api/special-keys/load", { schema: { body: LoadSpecialKey } }, async ({ body }) => {
    if (body.kind === "data") throw badRequest("kind", "a data key is loaded by inserting it (it collects)");
    if (body.kind === "setup") await device.loadSpecialKey("setup");
    else {
      if (body.mode === undefined) throw badRequest("mode", "mode is 1 (50 keys) or 2 (500 keys)");
      if (body.keys === undefined) throw badRequest("keys", "keys must be a list of key numbers");
      await device.loadSpecialKey(body.kind, { mode: body.mode, keys: body.keys });
    }
    return { ok: true };
  });
  app.post("/api/special-keys/insert", { schema: { body: SpecialKind } }, async ({ body }) => {
    const outcome = await device.insertSpecialKey(body.kind);
    // what the key carried is now the device's settings or collection: say what, not all of it
    return outcome.ok ? { ...outcome, carried: outcome.carried?.kind } : outcome;
  });
  app.get("/api/special-keys/data", async (_req, reply) => {
    const audit = await device.readDataKey();
    return reply
      .type("application/octet-stream")
      .header("content-disposition", 'attachment; filename="data-key.eva"')
      .send(Buffer.from(audit));
  });

  app.post("/api/coin", { schema: { body: CashType } }, async ({ body }) => {
    await device.cash.insertCoin(body.type);
    return { ok: true };
  });
  app.post("/api/bill", { schema: { body: CashType } }, async ({ body }) => {
    await device.cash.insertBill(body.type);
    return { ok: true };
  });
  app.post("/api/select", { schema: { body: Selection } }, async ({ body }) => ({
    amount: (await device.select(body.item)) ?? null,
  }));

  app.get("/api/statistics", () => {
    const names = [...Object.entries(S), ...Object.entries(V)] as [keyof typeof COUNTER_UNITS, string][];
    const counters = names.map(([name, counter]) => ({
      name,
      counter,
      unit: COUNTER_UNITS[name],
      ...device.pay.statistics.get(counter),
    }));
    const lines = [];
    for (let line = 1; line <= Math.min(device.settings.pricing.lines, 100); line++) {
      const count = (m: "cash" | 0) => device.pay.statistics.get(lineCount(m, line) as string).historic;
      lines.push({ line, cash: count("cash"), key: count(0) });
    }
    // sales per hour of the day, in the reader's time zone, from what the Maxi Box keeps (4.15)
    const hours = Array.from({ length: 24 }, () => 0);
    const zone = device.settings.params.clock.timeZone;
    for (const e of device.pay.maxiBox.entries())
      if (e.kind === "sale" && e.error === undefined) {
        const hour = wallClock(e.at, zone).hour;
        hours[hour] = (hours[hour] ?? 0) + 1;
      }
    // the Executive VMC's own audit pairs, raw: address, last value, times read
    return { counters, lines, hours, vmcAuditPairs: device.audits.vmcAuditPairs };
  });
  app.post("/api/statistics/reset", { schema: { body: Empty } }, () => {
    device.audits.resetHistoric();
    return { ok: true };
  });

  app.get("/api/maxibox", { schema: { querystring: MaxiBoxQuery } }, ({ query }) => {
    const t = device.pay.maxiBox.keyTransactions(Number(query.key));
    const p = device.settings.params;
    return {
      recharges: t.recharges,
      sales: t.sales,
      lines: t.entries.map((e) =>
        formatTransaction(e, p.numeric.decimalPoint, p.numeric.separator, p.clock.timeZone),
      ),
    };
  });

  // a collection: the period data is cleared once the whole file has gone out (manual 7), so a
  // download cut short clears nothing
  app.post("/api/audit", { schema: { body: Empty } }, (_req, reply) => {
    const taken = device.audits.collect();
    reply.raw.once("finish", () => device.audits.confirm(taken));
    return reply
      .type("application/octet-stream")
      .header("content-length", taken.bytes.length)
      .header("content-disposition", 'attachment; filename="audit.eva"')
      .send(Buffer.from(taken.bytes));
  });

  return app;
}

/** A refusal the handler makes itself, shaped as a schema refusal: the field and why. */
function badRequest(field: string, message: string): Error {
  return Object.assign(new Error(message), { statusCode: 400, code: "BAD_REQUEST", field });
}

/** The field a schema refusal is about, as a technician reads it: `happyHours.bands.0.discount`. */
function fieldOf(e: FastifyError): string {
  const first = e.validation?.[0];
  if (first === undefined) return "";
  const params = first.params as { missingProperty?: string; additionalProperty?: string };
  const path = first.instancePath.split("/").filter((p) => p !== "");
  const named = params.missingProperty ?? params.additionalProperty;
  if (named !== undefined) path.push(named);
  return path.join(".");
}

function fail(reply: FastifyReply, e: FastifyError): FastifyReply {
  const send = (status: number, body: object) => reply.code(status).send(body);
  if (e.validation !== undefined) {
    const field = fieldOf(e);
    const first = e.validation[0];
    const extra = (first?.params as { additionalProperty?: string } | undefined)?.additionalProperty;
    const why = extra !== undefined ? "is not a setting this takes" : (first?.message ?? e.message);
    return send(400, { code: "BAD_REQUEST", field, message: `${field || e.validationContext}: ${why}` });
  }
  if (e instanceof ParameterError)
    return send(400, { code: e.code, parameter: e.parameter, message: e.message });
  if (e instanceof PasswordRefused) return send(403, { code: e.code, message: e.message });
  if (
    e instanceof DeviceSetupError ||
    e instanceof PaymentError ||
    e instanceof CollectionRefused ||
    e instanceof CashRefused
  )
    return send(409, { code: e.code, message: e.message });
  const status = e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : 500;
  const field = (e as { field?: string }).field;
  return send(status, {
    code: status === 500 ? "INTERNAL" : e.code,
    ...(field === undefined ? {} : { field }),
    message: e.message,
  });
}
