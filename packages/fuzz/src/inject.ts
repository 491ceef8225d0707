/** What the HTTP targets share: an app driven by `inject`, its POST routes, a session's cookie. */
export interface InjectApp {
  inject(options: {
    method: "GET" | "POST";
    url: string;
    headers?: Record<string, string>;
    payload?: string;
  }): Promise<{
    statusCode: number;
    body: string;
    headers: Record<string, string | string[] | number | undefined>;
    json(): unknown;
  }>;
  printRoutes(options: { method: "POST"; commonPrefix: false }): string;
}

/**
 * Every POST route of an app, from its own route table (so a route added is fuzzed too); those
 * with path parameters (`:id`) only when asked for.
 */
export function postRoutes(app: InjectApp, withParameters = false): string[] {
  const routes = app
    .printRoutes({ method: "POST", commonPrefix: false })
    .split("\n")
    .map((line) => /(\/\S*) \(POST\)/.exec(line)?.[1])
    .filter((r): r is string => r !== undefined && (withParameters || !r.includes(":")))
    .sort();
  if (routes.length === 0) throw new Error("the app lists no POST route");
  return routes;
}

/** The `name=value` pairs of Set-Cookie headers, as a Cookie header. */
export function sessionOf(setCookie: string | string[] | number | undefined): string {
  const all = Array.isArray(setCookie) ? setCookie : setCookie === undefined ? [] : [String(setCookie)];
  return all.map((c) => c.split(";")[0]).join("; ");
}
