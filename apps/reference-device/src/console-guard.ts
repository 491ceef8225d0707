import { randomBytes } from "node:crypto";
import fastifyCookie from "@fastify/cookie";
import fastifyCsrf from "@fastify/csrf-protection";
import fastifyRateLimit from "@fastify/rate-limit";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Login } from "./console-schemas.js";
import type { Device } from "./device.js";

/** The names a browser may call this console by: loopback, and the address it listens on. */
function allowedHost(header: string | undefined, host: string, port: number): boolean {
  if (header === undefined) return false;
  const names = new Set(["127.0.0.1", "localhost", "[::1]", host.includes(":") ? `[${host}]` : host]);
  return [...names].some((name) => header === `${name}:${port}` || (port === 80 && header === name));
}

/** A console session: its cookie names it; `password` is the 009 it logged in with. */
interface Session {
  readonly id: string;
  password: number | undefined;
}

declare module "fastify" {
  interface FastifyRequest {
    consoleSession: Session;
  }
}

const SESSION_COOKIE = "vendkit_console";
const MAX_SESSIONS = 1000;

function refuse(reply: FastifyReply, code: string, message: string): FastifyReply {
  return reply.code(403).send({ code, message });
}

/**
 * What keeps the console to the technician's own browser (see console.ts): the Host and Origin
 * checks, the session cookie, the CSRF token on every POST, the login with the programmer password
 * (009) when one is set, with `GET /api/session` and `POST /api/login`. Registered before the
 * console's routes; gives them the password a guarded operation gets and the session's state.
 */
export async function guardConsole(fastify: FastifyInstance, device: Device, host: string) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const sessions = new Map<string, Session>();
  const currentPassword = () => device.settings.params.numeric.password;
  /** Whether the session may change things: no password is set, or it logged in with this one. */
  const loggedIn = (s: Session) => currentPassword() === 0 || s.password === currentPassword();
  /** The password a guarded operation gets: the one typed, or the one the session logged in with. */
  const passwordFor = (req: FastifyRequest, typed: number | undefined) =>
    typed ?? (req.consoleSession.password === currentPassword() ? req.consoleSession.password : undefined);
  const sessionState = (s: Session) => ({ passwordSet: currentPassword() !== 0, loggedIn: loggedIn(s) });

  await app.register(fastifyCookie);
  await app.register(fastifyCsrf, {
    cookieOpts: { path: "/", sameSite: "strict", httpOnly: true },
    getToken: (req: FastifyRequest) => req.headers["x-csrf-token"] as string | undefined,
    // a token is good for the session it was made for only
    getUserInfo: (req: FastifyRequest) => req.consoleSession.id,
    csrfOpts: { hmacKey: randomBytes(32) },
  });
  await app.register(fastifyRateLimit, { global: false });
  app.decorateRequest("consoleSession", undefined as unknown as Session);

  // the plugins are loaded (awaited above): cookies are parsed when these run, in this order
  app.addHook("onRequest", async (req, reply) => {
    if (!allowedHost(req.headers.host, host, req.socket.localPort ?? 0))
      return refuse(
        reply,
        "FOREIGN_HOST",
        `this console does not answer to the name ${req.headers.host ?? "(none)"}`,
      );
    const named = sessions.get(req.cookies[SESSION_COOKIE] ?? "");
    if (named !== undefined) req.consoleSession = named;
    else {
      req.consoleSession = { id: randomBytes(18).toString("base64url"), password: undefined };
      sessions.set(req.consoleSession.id, req.consoleSession);
      // a client that never keeps its cookie makes a session a request: keep the newest only
      if (sessions.size > MAX_SESSIONS) sessions.delete(sessions.keys().next().value as string);
      reply.setCookie(SESSION_COOKIE, req.consoleSession.id, {
        path: "/",
        sameSite: "strict",
        httpOnly: true,
      });
    }
    if (req.method === "GET" || req.method === "HEAD") return;
    const origin = req.headers.origin;
    if (
      (origin !== undefined && origin !== `http://${req.headers.host}`) ||
      req.headers["sec-fetch-site"] === "cross-site"
    )
      return refuse(reply, "CROSS_SITE", `a change from another site (${origin ?? "cross-site"}) is refused`);
  });
  app.addHook("onRequest", (req, reply, done) => {
    if (req.method === "GET" || req.method === "HEAD" || reply.sent) done();
    else app.csrfProtection(req, reply, done);
  });
  app.addHook("onRequest", async (req, reply) => {
    if (req.method === "GET" || req.method === "HEAD" || reply.sent || req.url === "/api/login") return;
    if (!loggedIn(req.consoleSession))
      return reply
        .code(401)
        .send({ code: "LOGIN_REQUIRED", message: "log in with the programmer password (009) first" });
  });

  app.get("/api/session", (req, reply) => ({
    csrfToken: reply.generateCsrf({ userInfo: req.consoleSession.id }),
    ...sessionState(req.consoleSession),
  }));
  // manual 4.9.3: the programmer password, asked once a session; five tries a minute
  app.post(
    "/api/login",
    { schema: { body: Login }, config: { rateLimit: { max: 5, timeWindow: "1 minute" } } },
    async (req) => {
      if (req.body.password !== currentPassword())
        throw Object.assign(new Error("that is not the programmer password (009)"), {
          statusCode: 403,
          code: "WRONG_PASSWORD",
        });
      req.consoleSession.password = req.body.password;
      return { ok: true };
    },
  );

  return { passwordFor, sessionState };
}
