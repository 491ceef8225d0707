import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A script's session with the programmer console, as its page has one: the session cookie and
 * CSRF token from `GET /api/session`, sent with every POST. The tests use it; so can a
 * technician's script.
 */
export interface ConsoleClient {
  readonly base: string;
  get(path: string): Promise<Response>;
  /** A JSON POST with the session's cookie and token. */
  post(path: string, body?: unknown): Promise<Response>;
}

export async function consoleClient(server: Server | string): Promise<ConsoleClient> {
  const base =
    typeof server === "string" ? server : `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const session = await fetch(`${base}/api/session`);
  if (!session.ok) throw new Error(`the console refused a session: ${session.status}`);
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const cookie = session.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  return {
    base,
    get: (path) => fetch(`${base}${path}`, { headers: { cookie } }),
    post: (path, body = {}) =>
      fetch(`${base}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie, "x-csrf-token": csrfToken },
        body: JSON.stringify(body),
      }),
  };
}
