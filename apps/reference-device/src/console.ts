import { createServer, type Server } from "node:http";
import type { Device } from "./device.js";

const money = (n: number | undefined) => (n === undefined ? "—" : (n / 100).toFixed(2));
const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The device's status over HTTP on loopback: `GET /api/state` as JSON and `GET /` as a page
 * (keys and their credit, cash credit, the main counters). Read-only; the programmer's menus
 * of manual ch. 9 are not served yet.
 */
export function serveStatus(device: Device, port: number, host = "127.0.0.1"): Promise<Server> {
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method !== "GET") {
        res.writeHead(405, { allow: "GET" }).end();
        return;
      }
      const state = await device.state();
      if (req.url === "/api/state") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(state));
      } else if (req.url === "/") {
        const rows = state.keys
          .map((k) => `<tr><td>${escapeHtml(k.uid)}</td><td>${money(k.credit)}</td></tr>`)
          .join("");
        const stats = Object.entries(state.statistics)
          .map(([name, n]) => `<tr><td>${escapeHtml(name)}</td><td>${n}</td></tr>`)
          .join("");
        res
          .writeHead(200, { "content-type": "text/html; charset=utf-8" })
          .end(
            `<!doctype html><title>vendkit reference device</title><h1>vendkit reference device</h1>` +
              `<p>Cash credit: <b id="cash">${money(state.machineCredit)}</b></p>` +
              `<h2>Keys</h2><table id="keys"><tr><th>UID</th><th>credit</th></tr>${rows}</table>` +
              `<h2>Statistics (historic)</h2><table id="stats">${stats}</table>` +
              `<p>Maxi Box entries: ${state.maxiBoxEntries}. Key writes pending: ${state.pendingKeyWrites}.</p>`,
          );
      } else res.writeHead(404).end();
    })().catch((e: unknown) => {
      res.writeHead(500, { "content-type": "text/plain" }).end(String(e));
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}
