import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { billingCsv } from "./billing-run.js";
import { HTTP_STATUS, PortalError } from "./errors.js";
import * as pages from "./pages.js";
import type { Portal, Principal } from "./portal.js";

const SESSION = "portal_session";
const PRE = "portal_pre";
const FORM_LIMIT = 64 * 1024;
const FILE_LIMIT = 8 * 1024 * 1024;
/** A zip of a route's audits: what it inflates to is limited by `ARCHIVE_LIMITS`. */
const ARCHIVE_LIMIT = 64 * 1024 * 1024;

function cookies(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

const cookie = (name: string, value: string, maxAge?: number) =>
  `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax${maxAge === undefined ? "" : `; Max-Age=${maxAge}`}`;

async function body(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Past the limit the rest is read and dropped, so the client gets the 413 rather than a reset.
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  if (size > limit) throw new PortalError("TOO_LARGE", `the upload is over ${limit} bytes`);
  return Buffer.concat(chunks);
}

async function form(req: IncomingMessage): Promise<Record<string, string>> {
  const type = req.headers["content-type"] ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded"))
    throw new PortalError("BAD_INPUT", "forms are sent as application/x-www-form-urlencoded");
  return Object.fromEntries(new URLSearchParams((await body(req, FORM_LIMIT)).toString("utf8")));
}

const int = (v: string | undefined, what: string): number => {
  if (v === undefined || !/^-?\d{1,15}$/.test(v.trim()))
    throw new PortalError("BAD_INPUT", `${what} must be a whole number`);
  return Number(v);
};

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  token?: string;
  who?: Principal;
}

/**
 * The portal's web face: server-rendered pages, sessions in a signed HttpOnly cookie, a CSRF
 * token bound to the session on every form (the login form's bound to a pre-session cookie), and
 * every refusal a page (or JSON for the import call) with the error's message.
 */
export function portalHandler(portal: Portal) {
  const send = (
    ctx: Ctx,
    status: number,
    content: string,
    type = "text/html; charset=utf-8",
    extra: Record<string, string | string[]> = {},
  ) => {
    ctx.res.writeHead(status, {
      "content-type": type,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "no-referrer",
      ...extra,
    });
    ctx.res.end(content);
  };
  const redirect = (ctx: Ctx, to: string, setCookie?: string[]) => {
    ctx.res.writeHead(303, { location: to, ...(setCookie ? { "set-cookie": setCookie } : {}) });
    ctx.res.end();
  };
  const csrf = (ctx: Ctx) => portal.csrf(ctx.token as string);
  const operator = (ctx: Ctx): Principal => {
    if (ctx.who?.role !== "operator")
      throw new PortalError(ctx.who ? "FORBIDDEN" : "UNAUTHENTICATED", "log in as the operator");
    return ctx.who;
  };
  const signedIn = (ctx: Ctx): Principal => {
    if (!ctx.who) throw new PortalError("UNAUTHENTICATED", "please log in");
    return ctx.who;
  };
  const checked = async (ctx: Ctx) => {
    const values = await form(ctx.req);
    portal.checkCsrf(ctx.token ?? "", values.csrf);
    delete values.csrf;
    return values;
  };
  const manage = async (ctx: Ctx, errors: readonly string[] = [], done?: string) => {
    const who = operator(ctx);
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
    };
    send(ctx, errors.length > 0 ? 400 : 200, pages.managePage(who, csrf(ctx), data, errors, done));
  };
  const registry = async (
    ctx: Ctx,
    action: (values: Record<string, string>, who: Principal) => Promise<string>,
  ) => {
    const who = operator(ctx);
    const values = await checked(ctx);
    try {
      await manage(ctx, [], await action(values, who));
    } catch (e) {
      if (!(e instanceof PortalError) || e.code === "FORBIDDEN") throw e;
      await manage(ctx, e.details.length > 0 ? e.details : [e.message]);
    }
  };

  const customerInstallation = async (ctx: Ctx, id: string) => {
    const who = signedIn(ctx);
    const inst = await portal.visibleInstallation(who, id);
    const readings = await portal.readingsFor(who, id);
    const last = readings[readings.length - 1];
    if (ctx.req.method === "GET")
      return send(ctx, 200, pages.readingForm(who, csrf(ctx), inst, {}, [], last));
    const values = await checked(ctx);
    const step = values.step;
    delete values.step;
    try {
      if (step === "confirm") {
        const stored = await portal.confirm(who, id, values);
        return redirect(ctx, `/customer/receipts/${stored.receipt}`);
      }
      return send(
        ctx,
        200,
        pages.reviewPage(who, csrf(ctx), inst, await portal.review(who, id, values), values),
      );
    } catch (e) {
      if (!(e instanceof PortalError) || e.code === "NOT_FOUND") throw e;
      return send(
        ctx,
        HTTP_STATUS[e.code],
        pages.readingForm(who, csrf(ctx), inst, values, e.details.length > 0 ? e.details : [e.message], last),
      );
    }
  };

  const routes = async (ctx: Ctx) => {
    const { req, url } = ctx;
    const path = url.pathname;
    const method = req.method ?? "GET";
    if (method === "GET" && path === "/") {
      return redirect(ctx, ctx.who ? (ctx.who.role === "operator" ? "/operator" : "/customer") : "/login");
    }
    if (path === "/login") {
      const pre = cookies(req)[PRE] ?? randomBytes(18).toString("base64url");
      const setPre = [cookie(PRE, pre)];
      if (method === "GET")
        return send(ctx, 200, pages.loginPage(portal.csrf(pre)), undefined, { "set-cookie": setPre });
      const values = await form(req);
      portal.checkCsrf(pre, values.csrf);
      try {
        const who = await portal.login(values.userId ?? "", values.password ?? "");
        return redirect(ctx, who.role === "operator" ? "/operator" : "/customer", [
          cookie(SESSION, portal.session(who)),
          cookie(PRE, "", 0),
        ]);
      } catch (e) {
        if (!(e instanceof PortalError)) throw e;
        return send(ctx, 401, pages.loginPage(portal.csrf(pre), e.message), undefined, {
          "set-cookie": setPre,
        });
      }
    }
    if (method === "GET" && path.startsWith("/r/")) {
      const who = await portal.openLink(decodeURIComponent(path.slice(3)));
      const only = who.role === "customer" ? (who.only as string) : "";
      return redirect(ctx, `/customer/installations/${encodeURIComponent(only)}`, [
        cookie(SESSION, portal.session(who)),
      ]);
    }
    if (method === "POST" && path === "/logout") {
      await checked(ctx);
      return redirect(ctx, "/login", [cookie(SESSION, "", 0)]);
    }
    // The operator's pages.
    if (method === "GET" && path === "/operator") {
      const who = operator(ctx);
      return send(
        ctx,
        200,
        pages.boardPage(
          who,
          csrf(ctx),
          await portal.reports.board(who),
          portal.now().toISOString().slice(0, 10),
        ),
      );
    }
    if (method === "POST" && path === "/operator/scheduler") {
      const who = operator(ctx);
      await checked(ctx);
      const sent = await portal.reports.runScheduler();
      return send(
        ctx,
        200,
        pages.boardPage(
          who,
          csrf(ctx),
          await portal.reports.board(who),
          portal.now().toISOString().slice(0, 10),
          `Sent ${sent.requests} requests and ${sent.reminders} reminders.`,
        ),
      );
    }
    if (method === "GET" && path === "/operator/manage") return manage(ctx);
    if (method === "POST" && path === "/operator/customers")
      return registry(ctx, async (v, who) => {
        await portal.registry.addCustomer(who, {
          id: v.id ?? "",
          name: v.name ?? "",
          email: v.email ?? "",
          userId: v.userId ?? "",
          password: v.password ?? "",
        });
        return `Customer ${v.id} created.`;
      });
    if (method === "POST" && path === "/operator/devices")
      return registry(ctx, async (v, who) => {
        await portal.registry.addDevice(who, {
          model: v.model ?? "",
          serial: (v.serial ?? "").trim(),
          counters: (v.counters ?? "")
            .split(",")
            .map((s) => s.trim())
            .filter((s) => s !== ""),
          consumables: (v.consumables ?? "")
            .split(/\r?\n/)
            .map((s) => s.trim())
            .filter((s) => s !== ""),
        });
        return `Device ${v.serial} registered.`;
      });
    if (method === "POST" && path === "/operator/installations")
      return registry(ctx, async (v, who) => {
        await portal.registry.addInstallation(who, {
          id: v.id ?? "",
          serial: v.serial ?? "",
          customerId: v.customerId ?? "",
          site: v.site ?? "",
        });
        return `Installation ${v.id} created.`;
      });
    if (method === "POST" && path === "/operator/contracts")
      return registry(ctx, async (v, who) => {
        await portal.registry.setContract(who, {
          installationId: v.installationId ?? "",
          period: v.period ?? "",
          readingDay: int(v.readingDay, "the reading day"),
          start: v.start ?? "",
          fee: int(v.fee, "the fee"),
          ...(v.minimumCharge ? { minimumCharge: int(v.minimumCharge, "the minimum charge") } : {}),
          terms: v.terms ?? "",
        });
        return `Contract of ${v.installationId} saved.`;
      });
    if (method === "POST" && path === "/operator/replacements")
      return registry(ctx, async (v, who) => {
        await portal.registry.recordReplacement(who, {
          installationId: v.installationId ?? "",
          counter: (v.counter ?? "").trim(),
          oldFinal: int(v.oldFinal, "the old meter's final value"),
          newStart: int(v.newStart, "the new meter's starting value"),
        });
        return `Meter replacement of ${v.installationId} ${v.counter} recorded: the next reading carries it.`;
      });
    if (method === "GET" && path === "/operator/import") {
      const who = operator(ctx);
      return send(ctx, 200, pages.importPage(who, csrf(ctx), await portal.installationsFor(who)));
    }
    if (method === "POST" && path === "/operator/import") {
      const who = operator(ctx);
      portal.checkCsrf(ctx.token ?? "", req.headers["x-csrf-token"] as string | undefined);
      const kind = url.searchParams.get("kind");
      const bytes = await body(req, kind === "evadts-zip" ? ARCHIVE_LIMIT : FILE_LIMIT);
      const results =
        kind === "evadts"
          ? [await portal.imports.evadts(who, bytes, url.searchParams.get("installation") ?? undefined)]
          : kind === "evadts-zip"
            ? await portal.imports.archive(who, bytes)
            : kind === "csv"
              ? await portal.imports.csv(who, bytes.toString("utf8"))
              : undefined;
      if (!results) throw new PortalError("BAD_INPUT", 'kind is "csv", "evadts" or "evadts-zip"');
      return send(ctx, 200, JSON.stringify({ results }), "application/json");
    }
    if (method === "GET" && (path === "/operator/billing" || path === "/operator/billing.csv")) {
      const who = operator(ctx);
      const month = url.searchParams.get("month") ?? portal.now().toISOString().slice(0, 7);
      const run = await portal.reports.billing(who, month);
      if (path.endsWith(".csv"))
        return send(ctx, 200, billingCsv(run), "text/csv; charset=utf-8", {
          "content-disposition": `attachment; filename="billing-${month}.csv"`,
        });
      return send(ctx, 200, pages.billingPage(who, csrf(ctx), run));
    }
    // The customer's pages.
    if (method === "GET" && path === "/customer") {
      const who = signedIn(ctx);
      const items = await Promise.all(
        (await portal.installationsFor(who)).map(async (installation) => {
          const readings = await portal.readingsFor(who, installation.id);
          const last = readings[readings.length - 1];
          return { installation, ...(last ? { last } : {}) };
        }),
      );
      return send(ctx, 200, pages.customerHome(who, csrf(ctx), items));
    }
    const inst = /^\/customer\/installations\/([^/]+)$/.exec(path);
    if (inst && (method === "GET" || method === "POST"))
      return customerInstallation(ctx, decodeURIComponent(inst[1] as string));
    const receipt = /^\/customer\/receipts\/([^/]+)$/.exec(path);
    if (receipt && method === "GET") {
      const who = signedIn(ctx);
      const { reading, installation } = await portal.receipt(who, decodeURIComponent(receipt[1] as string));
      return send(ctx, 200, pages.receiptPage(who, csrf(ctx), installation, reading));
    }
    throw new PortalError("NOT_FOUND", `no page ${path}`);
  };

  return async (req: IncomingMessage, res: ServerResponse) => {
    const ctx: Ctx = { req, res, url: new URL(req.url ?? "/", "http://portal.invalid") };
    try {
      const token = cookies(req)[SESSION];
      if (token) {
        try {
          ctx.who = portal.principal(token);
          ctx.token = token;
        } catch {
          // An expired or forged session is no session: the page asks to log in.
        }
      }
      await routes(ctx);
    } catch (e) {
      if (res.headersSent) return res.end();
      if (e instanceof PortalError) {
        if (e.code === "UNAUTHENTICATED" && req.method === "GET") return redirect(ctx, "/login");
        const status = HTTP_STATUS[e.code];
        if (ctx.url.pathname === "/operator/import")
          return send(ctx, status, JSON.stringify({ code: e.code, message: e.message }), "application/json");
        return send(
          ctx,
          status,
          pages.errorPage(status, e.message, ctx.who, ctx.token && portal.csrf(ctx.token)),
        );
      }
      console.error(e);
      return send(ctx, 500, pages.errorPage(500, "the portal failed on this request; it is logged"));
    }
  };
}

export async function servePortal(portal: Portal, port: number, host = "127.0.0.1"): Promise<Server> {
  const server = createServer(portalHandler(portal));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
