import type { Server } from "node:http";
import fastifyCookie from "@fastify/cookie";
import fastifyCsrf from "@fastify/csrf-protection";
import fastifyFormbody from "@fastify/formbody";
import fastifyMultipart from "@fastify/multipart";
import fastifyRateLimit from "@fastify/rate-limit";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from "fastify";
import { type Static, type TObject, Type } from "typebox";
import { billingCsv } from "./billing-run.js";
import { HTTP_STATUS, PortalError } from "./errors.js";
import type { FiscalData } from "./fiscal.js";
import { Empty, form, optionalText, text } from "./form-schemas.js";
import { MONTH, READING_FORM } from "./input-checks.js";
import { invoiceRoutes } from "./invoice-routes.js";
import * as pages from "./pages.js";
import type { Portal, Principal } from "./portal.js";

const SESSION = "portal_session";
const FORM_LIMIT = 64 * 1024;
const FILE_LIMIT = 8 * 1024 * 1024;
/** A zip of a route's audits: what it inflates to is limited by `ARCHIVE_LIMITS`. */
const ARCHIVE_LIMIT = 64 * 1024 * 1024;
const IMPORT = "/operator/import";
/** What a CSRF token is bound to before login (the plugin takes an empty one for none at all). */
const NO_SESSION = "no-session";

// What each form and query carries, declared once: a request that does not match is refused with
// the field named (a page, or JSON for the import call), before any handler runs. The portal's
// own rules (a device needs a model...) stay in the registry, which names each field's problem.
const LoginForm = form({
  userId: text(100),
  password: text(200),
  next: Type.Optional(Type.String({ pattern: READING_FORM.source })),
});
const CustomerForm = form({ id: text(), name: text(), email: text(), userId: text(), password: text() });
const DeviceForm = form({ model: text(), serial: text(), counters: text(2000), consumables: text(2000) });
const InstallationForm = form({ id: text(), serial: text(), customerId: text(), site: text() });
const ContractForm = form({
  installationId: text(),
  period: text(),
  readingDay: text(20),
  start: text(20),
  fee: text(20),
  minimumCharge: optionalText(20),
  terms: text(4000),
});
const ReplacementForm = form({
  installationId: text(),
  counter: text(),
  oldFinal: text(20),
  newStart: text(20),
});
const fiscalFields = {
  name: text(),
  vatNumber: text(20),
  taxCode: text(20),
  recipientCode: text(20),
  pec: text(),
  street: text(),
  postcode: text(20),
  city: text(),
  province: text(20),
  country: text(10),
};
const LabForm = form(fiscalFields);
const CustomerFiscalForm = form({ customerId: text(), ...fiscalFields });
/** A reading: `step` and one field per counter and consumable, whatever the device has. */
const ReadingForm = Type.Object(
  { csrf: Type.Optional(text(400)), step: Type.Optional(text(20)) },
  { additionalProperties: text(40) },
);
const ImportQuery = Type.Object(
  {
    kind: Type.Union([Type.Literal("csv"), Type.Literal("evadts"), Type.Literal("evadts-zip")]),
    installation: Type.Optional(text()),
    /** The reading date of audits that carry none (ID5); empty for none. */
    date: Type.Optional(Type.String({ pattern: "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$" })),
  },
  { additionalProperties: false },
);
const MonthQuery = Type.Object(
  { month: Type.Optional(Type.String({ pattern: MONTH.source })) },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: text() });

/** A fiscal form as `FiscalData`: an empty optional field is no value. */
const fiscalData = (v: Static<typeof LabForm>): FiscalData => ({
  name: v.name.trim(),
  ...(v.vatNumber.trim() ? { vatNumber: v.vatNumber.trim() } : {}),
  ...(v.taxCode.trim() ? { taxCode: v.taxCode.trim().toUpperCase() } : {}),
  ...(v.recipientCode.trim() ? { recipientCode: v.recipientCode.trim().toUpperCase() } : {}),
  ...(v.pec.trim() ? { pec: v.pec.trim() } : {}),
  street: v.street.trim(),
  postcode: v.postcode.trim(),
  city: v.city.trim(),
  province: v.province.trim().toUpperCase(),
  country: v.country.trim().toUpperCase(),
});

const int = (v: string | undefined, what: string): number => {
  if (v === undefined || !/^-?\d{1,15}$/.test(v.trim()))
    throw new PortalError("BAD_INPUT", `${what} must be a whole number`);
  return Number(v);
};

declare module "fastify" {
  interface FastifyRequest {
    /** The signed-in principal and its session token, when the session cookie holds a good one. */
    who: Principal | undefined;
    sessionToken: string | undefined;
  }
}

/**
 * The portal's web face on Fastify: server-rendered pages, the session in a signed HttpOnly cookie,
 * a CSRF token bound to the session on every form and on the import call (`@fastify/csrf-protection`,
 * its secret in a cookie), login attempts throttled (`@fastify/rate-limit`), uploads through
 * `@fastify/multipart` with their size limits, every form and query declared as a schema. Every
 * refusal is a page (JSON for the import call) with the error's message.
 */
export async function portalApp(portal: Portal) {
  const app = Fastify({
    bodyLimit: FORM_LIMIT,
    // a reading link's token is a path parameter of a few hundred characters
    routerOptions: { maxParamLength: 2048 },
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  await app.register(fastifyMultipart, { limits: { files: 1, fields: 10, fileSize: ARCHIVE_LIMIT } });
  await app.register(fastifyCsrf, {
    cookieOpts: { path: "/", sameSite: "lax", httpOnly: true },
    getToken: (req: FastifyRequest) =>
      (req.body as { csrf?: string } | undefined)?.csrf ??
      (req.headers["x-csrf-token"] as string | undefined),
    // a token is good for the session it was made for only (before login: for no session)
    getUserInfo: (req: FastifyRequest) => req.sessionToken ?? NO_SESSION,
    csrfOpts: { hmacKey: portal.csrfKey },
  });
  await app.register(fastifyRateLimit, { global: false });
  app.decorateRequest("who", undefined);
  app.decorateRequest("sessionToken", undefined);

  app.addHook("onRequest", async (req) => {
    const token = req.cookies[SESSION];
    if (!token) return;
    try {
      req.who = portal.principal(token);
      req.sessionToken = token;
    } catch {
      // An expired or forged session is no session: the page asks to log in.
    }
  });
  // every state change carries its session's token: forms in their body, the import call in a header
  app.addHook("preHandler", (req, reply, done) => {
    if (req.method !== "POST") return done();
    app.csrfProtection(req, reply, done);
  });
  app.addHook("onSend", async (_req, reply) => {
    reply.headers({
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "no-referrer",
    });
  });

  const csrf = (req: FastifyRequest, reply: FastifyReply) =>
    reply.generateCsrf({ userInfo: req.sessionToken ?? NO_SESSION });
  const html = (reply: FastifyReply, status: number, content: string) =>
    reply.code(status).type("text/html; charset=utf-8").send(content);
  const sessionCookie = (reply: FastifyReply, value: string, maxAge?: number) =>
    reply.setCookie(SESSION, value, {
      path: "/",
      httpOnly: true,
      sameSite: "lax",
      ...(maxAge === undefined ? {} : { maxAge }),
    });
  const operator = (req: FastifyRequest): Principal => {
    if (req.who?.role !== "operator")
      throw new PortalError(req.who ? "FORBIDDEN" : "UNAUTHENTICATED", "log in as the operator");
    return req.who;
  };
  const signedIn = (req: FastifyRequest): Principal => {
    if (!req.who) throw new PortalError("UNAUTHENTICATED", "please log in");
    return req.who;
  };
  const today = () => portal.now().toISOString().slice(0, 10);

  const manage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    errors: readonly string[] = [],
    done?: string,
    typed?: Parameters<typeof pages.managePage>[5],
  ) => {
    const who = operator(req);
    const installations = await portal.installationsFor(who);
    const contracts = new Map(
      await Promise.all(
        installations.map(async (i) => [i.id, await portal.registry.contractOf(who, i.id)] as const),
      ),
    );
    const data = {
      customers: await portal.registry.customers(who),
      devices: await portal.registry.devices(who),
      installations,
      contracts,
      lab: await portal.registry.lab(who),
    };
    return html(
      reply,
      errors.length > 0 ? 400 : 200,
      pages.managePage(who, csrf(req, reply), data, errors, done, typed),
    );
  };
  /**
   * A registry form (`form` is its id on the page): done, the page says so; refused, the page
   * lists each field's problem and shows the form again as it was typed.
   */
  const registry =
    <V extends object>(form: string, action: (values: V, who: Principal) => Promise<string>) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      const who = operator(req);
      const values = req.body as V;
      try {
        return await manage(req, reply, [], await action(values, who));
      } catch (e) {
        if (!(e instanceof PortalError) || e.code === "FORBIDDEN") throw e;
        const { password: _never, ...typed } = values as Record<string, string | undefined>;
        return manage(req, reply, e.details.length > 0 ? e.details : [e.message], undefined, {
          form,
          values: typed,
        });
      }
    };

  /** A registry form's route: its schema, its id on the page, what it does. */
  const registryForm = <S extends TObject>(
    path: string,
    schema: S,
    form: string,
    action: (values: Static<S>, who: Principal) => Promise<string>,
  ) => app.post(path, { schema: { body: schema } }, registry<Static<S>>(form, action));

  app.get("/", (req, reply) =>
    reply.redirect(req.who ? (req.who.role === "operator" ? "/operator" : "/customer") : "/login", 303),
  );
  // where a reading link sends its customer after the login (a form of this portal, nothing else)
  app.get(
    "/login",
    {
      schema: {
        querystring: Type.Object({ next: Type.Optional(Type.String({ pattern: READING_FORM.source })) }),
      },
    },
    (req, reply) => html(reply, 200, pages.loginPage(csrf(req, reply), undefined, "", req.query.next)),
  );
  app.post(
    "/login",
    { schema: { body: LoginForm }, config: { rateLimit: { max: 10, timeWindow: "1 minute" } } },
    async (req, reply) => {
      try {
        const who = await portal.login(req.body.userId, req.body.password);
        sessionCookie(reply, portal.session(who));
        const next = req.body.next;
        if (who.role === "customer" && next !== undefined) return reply.redirect(next, 303);
        return reply.redirect(who.role === "operator" ? "/operator" : "/customer", 303);
      } catch (e) {
        if (!(e instanceof PortalError)) throw e;
        return html(reply, 401, pages.loginPage(csrf(req, reply), e.message, req.body.userId, req.body.next));
      }
    },
  );
  // The circular's rule (R5): the reading form is reached through the mailed link AND with the
  // customer's own credentials. The link (checked: genuine, not expired) leads to the form when
  // that customer is signed in, otherwise to the login, which then goes on to the form.
  app.get("/r/:token", { schema: { params: Type.Object({ token: text(2000) }) } }, async (req, reply) => {
    const link = await portal.openLink(req.params.token);
    if (link.role !== "customer" || link.only === undefined)
      throw new PortalError("BAD_TOKEN", "not a reading link");
    const form = `/customer/installations/${encodeURIComponent(link.only)}`;
    if (req.who?.role === "customer" && req.who.customerId === link.customerId)
      return reply.redirect(form, 303);
    return reply.redirect(`/login?next=${encodeURIComponent(form)}`, 303);
  });
  app.post("/logout", { schema: { body: Empty } }, (_req, reply) => {
    sessionCookie(reply, "", 0);
    return reply.redirect("/login", 303);
  });

  // The operator's pages.
  app.get("/operator", async (req, reply) => {
    const who = operator(req);
    return html(reply, 200, pages.boardPage(who, csrf(req, reply), await portal.reports.board(who), today()));
  });
  app.post("/operator/scheduler", { schema: { body: Empty } }, async (req, reply) => {
    const who = operator(req);
    const sent = await portal.reports.runScheduler();
    const said = `Sent ${sent.requests} requests and ${sent.reminders} reminders.`;
    return html(
      reply,
      200,
      pages.boardPage(who, csrf(req, reply), await portal.reports.board(who), today(), said),
    );
  });
  app.get("/operator/manage", (req, reply) => manage(req, reply));
  registryForm("/operator/customers", CustomerForm, "new-customer", async (v, who) => {
    const { csrf: _token, ...customer } = v;
    await portal.registry.addCustomer(who, customer);
    return `Customer ${v.id} created.`;
  });
  registryForm("/operator/devices", DeviceForm, "new-device", async (v, who) => {
    await portal.registry.addDevice(who, {
      model: v.model,
      serial: v.serial.trim(),
      counters: v.counters
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== ""),
      consumables: v.consumables
        .split(/\r?\n/)
        .map((s) => s.trim())
        .filter((s) => s !== ""),
    });
    return `Device ${v.serial} registered.`;
  });
  registryForm("/operator/installations", InstallationForm, "new-installation", async (v, who) => {
    const { csrf: _token, ...installation } = v;
    await portal.registry.addInstallation(who, installation);
    return `Installation ${v.id} created.`;
  });
  registryForm("/operator/contracts", ContractForm, "contract", async (v, who) => {
    await portal.registry.setContract(who, {
      installationId: v.installationId,
      period: v.period,
      readingDay: int(v.readingDay, "the reading day"),
      start: v.start,
      fee: int(v.fee, "the fee"),
      ...(v.minimumCharge ? { minimumCharge: int(v.minimumCharge, "the minimum charge") } : {}),
      terms: v.terms,
    });
    return `Contract of ${v.installationId} saved.`;
  });
  registryForm("/operator/lab", LabForm, "lab", async (v, who) => {
    await portal.registry.setLab(who, fiscalData(v));
    return "The lab's fiscal data saved.";
  });
  registryForm("/operator/customer-fiscal", CustomerFiscalForm, "customer-fiscal", async (v, who) => {
    await portal.registry.setCustomerFiscal(who, v.customerId, fiscalData(v));
    return `The fiscal data of ${v.customerId} saved.`;
  });
  registryForm("/operator/replacements", ReplacementForm, "replacement", async (v, who) => {
    await portal.registry.recordReplacement(who, {
      installationId: v.installationId,
      counter: v.counter.trim(),
      oldFinal: int(v.oldFinal, "the old meter's final value"),
      newStart: int(v.newStart, "the new meter's starting value"),
    });
    return `Meter replacement of ${v.installationId} ${v.counter} recorded: the next reading carries it.`;
  });
  app.get(IMPORT, async (req, reply) => {
    const who = operator(req);
    return html(reply, 200, pages.importPage(who, csrf(req, reply), await portal.installationsFor(who)));
  });
  // one file a request (a folder's worth is sent file by file, each with its own result)
  app.post(IMPORT, { schema: { querystring: ImportQuery } }, async (req, reply) => {
    const who = operator(req);
    const { kind, installation, date } = req.query;
    const limit = kind === "evadts-zip" ? ARCHIVE_LIMIT : FILE_LIMIT;
    const upload = await req.file({ limits: { fileSize: limit, files: 1 } });
    if (upload === undefined) throw new PortalError("BAD_INPUT", "the upload holds no file");
    const bytes = await upload.toBuffer();
    const results =
      kind === "evadts"
        ? [await portal.imports.evadts(who, bytes, installation, date || undefined)]
        : kind === "evadts-zip"
          ? await portal.imports.archive(who, bytes, date || undefined)
          : await portal.imports.csv(who, bytes.toString("utf8"));
    return reply.type("application/json").send({ results });
  });
  const billing = (csvFile: boolean) => async (req: FastifyRequest, reply: FastifyReply) => {
    const who = operator(req);
    const month = (req.query as Static<typeof MonthQuery>).month ?? portal.now().toISOString().slice(0, 7);
    const run = await portal.reports.billing(who, month);
    if (csvFile)
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="billing-${month}.csv"`)
        .send(billingCsv(run));
    return html(reply, 200, pages.billingPage(who, csrf(req, reply), run));
  };
  app.get("/operator/billing", { schema: { querystring: MonthQuery } }, billing(false));
  app.get("/operator/billing.csv", { schema: { querystring: MonthQuery } }, billing(true));

  invoiceRoutes(app, { portal, operator, signedIn, csrf, html });

  // The customer's pages.
  app.get("/customer", async (req, reply) => {
    const who = signedIn(req);
    const items = await Promise.all(
      (await portal.installationsFor(who)).map(async (installation) => {
        const readings = await portal.readingsFor(who, installation.id);
        const last = readings[readings.length - 1];
        return { installation, ...(last ? { last } : {}) };
      }),
    );
    return html(reply, 200, pages.customerHome(who, csrf(req, reply), items));
  });
  const installation = async (req: FastifyRequest, id: string) => {
    const who = signedIn(req);
    const inst = await portal.visibleInstallation(who, id);
    const readings = await portal.readingsFor(who, id);
    return { who, inst, last: readings[readings.length - 1] };
  };
  app.get("/customer/installations/:id", { schema: { params: IdParams } }, async (req, reply) => {
    const { who, inst, last } = await installation(req, req.params.id);
    return html(reply, 200, pages.readingForm(who, csrf(req, reply), inst, {}, [], last));
  });
  app.post(
    "/customer/installations/:id",
    { schema: { params: IdParams, body: ReadingForm } },
    async (req, reply) => {
      const { who, inst, last } = await installation(req, req.params.id);
      const { csrf: _token, step, ...values } = req.body as Record<string, string>;
      try {
        if (step === "confirm") {
          const stored = await portal.confirm(who, inst.id, values);
          return reply.redirect(`/customer/receipts/${stored.receipt}`, 303);
        }
        const review = await portal.review(who, inst.id, values);
        return html(reply, 200, pages.reviewPage(who, csrf(req, reply), inst, review, values));
      } catch (e) {
        if (!(e instanceof PortalError) || e.code === "NOT_FOUND") throw e;
        const said = e.details.length > 0 ? e.details : [e.message];
        return html(
          reply,
          HTTP_STATUS[e.code],
          pages.readingForm(who, csrf(req, reply), inst, values, said, last),
        );
      }
    },
  );
  app.get("/customer/receipts/:id", { schema: { params: IdParams } }, async (req, reply) => {
    const who = signedIn(req);
    const { reading, installation: inst } = await portal.receipt(who, req.params.id);
    return html(reply, 200, pages.receiptPage(who, csrf(req, reply), inst, reading));
  });

  app.setNotFoundHandler((req) => {
    throw new PortalError("NOT_FOUND", `no page ${req.url.split("?")[0]}`);
  });
  app.setErrorHandler((e: FastifyError, req, reply) => {
    const refusal = portalRefusal(e);
    if (refusal === undefined) {
      req.log.error(e);
      console.error(e);
      return html(reply, 500, pages.errorPage(500, "the portal failed on this request; it is logged"));
    }
    const [status, code, message] = refusal;
    if (code === "UNAUTHENTICATED" && req.method === "GET") return reply.redirect("/login", 303);
    if (req.url.startsWith(IMPORT)) {
      const field = e instanceof PortalError ? e.field : undefined;
      return reply
        .code(status)
        .type("application/json")
        .send({ code, message, ...(field === undefined ? {} : { field }) });
    }
    const token = req.sessionToken ? csrf(req, reply) : undefined;
    return html(reply, status, pages.errorPage(status, message, req.who, token));
  });
  return app;
}

/** A refusal as [status, code, message]: the portal's own, a schema's, a plugin's; else undefined. */
function portalRefusal(e: FastifyError): [number, string, string] | undefined {
  if (e instanceof PortalError) return [HTTP_STATUS[e.code], e.code, e.message];
  if (e.validation !== undefined) {
    const first = e.validation[0];
    const params = first?.params as { additionalProperty?: string; missingProperty?: string } | undefined;
    const field = [
      ...(first?.instancePath ?? "").split("/").filter((p) => p !== ""),
      ...(params?.missingProperty ? [params.missingProperty] : []),
      ...(params?.additionalProperty ? [params.additionalProperty] : []),
    ].join(".");
    const why = params?.additionalProperty ? "is not a field of this form" : (first?.message ?? e.message);
    return [400, "BAD_INPUT", `${field || e.validationContext}: ${why}`];
  }
  if (e.code?.startsWith("FST_CSRF"))
    return [403, "CSRF", "the form is stale or was not sent from this portal; reload the page"];
  if (e.statusCode === 413 || e.code === "FST_REQ_FILE_TOO_LARGE" || e.code === "FST_FILES_LIMIT")
    return [413, "TOO_LARGE", "the upload is over the size this import takes"];
  if (e.code === "FST_INVALID_MULTIPART_CONTENT_TYPE")
    return [400, "BAD_INPUT", "an import is a file sent as multipart/form-data"];
  if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500)
    return [e.statusCode, e.code ?? "BAD_INPUT", e.message];
  return undefined;
}

export async function servePortal(portal: Portal, port: number, host = "127.0.0.1"): Promise<Server> {
  const app = await portalApp(portal);
  await app.listen({ port, host });
  return app.server;
}
