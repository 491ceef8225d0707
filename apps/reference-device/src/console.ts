import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import {
  CollectionRefused,
  formatTransaction,
  lineCount,
  menuOf,
  NUMERIC_PARAMETERS,
  ParameterError,
  PasswordRefused,
  PaymentError,
  S,
  V,
} from "@vendkit/mizip-core";
import { CONSOLE_PAGE } from "./console-page.js";
import { type Device, DeviceSetupError, SPECIAL_KEYS, type SpecialKind } from "./device.js";
import { CashRefused } from "./device-errors.js";
import type { DeviceSettings } from "./settings.js";

/**
 * The programmer console over HTTP on loopback (manual ch. 9): the page at `/` and its JSON API.
 * Every change goes through the same checks as the programmer's keypad: parameter ranges by
 * number (400 with the number), the password where the manual asks for it (403), no
 * programming with a key in (409).
 */
export function serveConsole(device: Device, port: number, host = "127.0.0.1"): Promise<Server> {
  const server = createServer((req, res) => {
    route(device, req, res).catch((e: unknown) => fail(res, e));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}

const json = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));

function fail(res: ServerResponse, e: unknown): void {
  if (e instanceof ParameterError)
    json(res, 400, { code: e.code, parameter: e.parameter, message: e.message });
  else if (e instanceof PasswordRefused) json(res, 403, { code: e.code, message: e.message });
  else if (
    e instanceof DeviceSetupError ||
    e instanceof PaymentError ||
    e instanceof CollectionRefused ||
    e instanceof CashRefused
  )
    json(res, 409, { code: e.code, message: e.message });
  else if (e instanceof SyntaxError) json(res, 400, { code: "BAD_REQUEST", message: e.message });
  else json(res, 500, { code: "INTERNAL", message: e instanceof Error ? e.message : String(e) });
}

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = "";
  for await (const chunk of req) text += chunk;
  const parsed: unknown = JSON.parse(text || "{}");
  if (typeof parsed !== "object" || parsed === null) throw new SyntaxError("a JSON object is expected");
  return parsed as Record<string, unknown>;
}

const num = (v: unknown, what: string): number => {
  if (typeof v !== "number" || !Number.isInteger(v)) throw new SyntaxError(`${what} must be a whole number`);
  return v;
};
const optionalNum = (v: unknown, what: string) => (v === undefined || v === "" ? undefined : num(v, what));

function specialKind(v: unknown): SpecialKind {
  const found = SPECIAL_KEYS.find((k) => k.kind === v);
  if (found === undefined)
    throw new SyntaxError(`kind is one of ${SPECIAL_KEYS.map((k) => k.kind).join(", ")}`);
  return found.kind;
}

async function route(device: Device, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://console");
  const at = `${req.method} ${url.pathname}`;
  switch (at) {
    case "GET /":
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(CONSOLE_PAGE);
      return;
    case "GET /api/state":
      json(res, 200, {
        ...(await device.state()),
        inserted: device.insertedIndex,
        insertedSpecial: device.insertedSpecial,
        keyReport: device.pay.keyReport ?? null,
        readerState: device.pay.state,
      });
      return;
    case "GET /api/parameters":
      json(
        res,
        200,
        NUMERIC_PARAMETERS.map((d) => ({
          ...d,
          menu: menuOf(d.number),
          value: device.settings.params.numeric[d.name],
        })),
      );
      return;
    case "POST /api/parameters": {
      const b = await body(req);
      const audit = await device.settings.setParameter(
        num(b.number, "number"),
        num(b.value, "value"),
        optionalNum(b.password, "password"),
      );
      // a protocol change collects the statistics first (manual 4.2): say where they went
      json(res, 200, audit === undefined ? { ok: true } : { ok: true, audit });
      return;
    }
    case "GET /api/clock":
      json(res, 200, {
        ...device.settings.params.clock,
        shown: device.settings.clockText,
        now: device.clock(),
      });
      return;
    case "POST /api/clock": {
      // manual 8.1: the time zone, the date and hour formats, the date and time (wall clock)
      const b = await body(req);
      const text = (v: unknown, what: string) => {
        if (v !== undefined && typeof v !== "string") throw new SyntaxError(`${what} must be text`);
        return v as string | undefined;
      };
      const t = b.dateTime as Record<string, unknown> | undefined;
      if (t !== undefined && (typeof t !== "object" || t === null))
        throw new SyntaxError("dateTime must be {year, month, day, hour, minute}");
      const changes = Object.fromEntries(
        Object.entries({
          timeZone: text(b.timeZone, "timeZone"),
          dateFormat: text(b.dateFormat, "dateFormat"),
          hourFormat: text(b.hourFormat, "hourFormat"),
        }).filter(([, v]) => v !== undefined),
      );
      await device.settings.setClock({
        ...changes,
        ...(t === undefined
          ? {}
          : {
              dateTime: {
                year: num(t.year, "year"),
                month: num(t.month, "month"),
                day: num(t.day, "day"),
                hour: num(t.hour, "hour"),
                minute: num(t.minute, "minute"),
              },
            }),
      } as Parameters<DeviceSettings["setClock"]>[0]);
      json(res, 200, { ok: true, shown: device.settings.clockText });
      return;
    }
    case "GET /api/codes": {
      const p = device.settings.params;
      json(res, 200, {
        machineCode: p.machineCode,
        readerCode: p.readerCode,
        blackListMode: p.numeric.blackList,
        blackList: p.blackList,
      });
      return;
    }
    case "POST /api/codes": {
      const b = await body(req);
      const text = (v: unknown, what: string) => {
        if (v !== undefined && typeof v !== "string") throw new SyntaxError(`${what} must be text`);
        return v as string | undefined;
      };
      const list = b.blackList;
      if (list !== undefined && (!Array.isArray(list) || !list.every((k) => Number.isInteger(k))))
        throw new SyntaxError("blackList must be a list of key numbers");
      await device.settings.setCodes({
        machineCode: text(b.machineCode, "machineCode"),
        readerCode: text(b.readerCode, "readerCode"),
        blackList: list as number[] | undefined,
      });
      json(res, 200, { ok: true });
      return;
    }
    case "GET /api/extra": {
      const { conversion, limits, bonus1, bonus2, loyalty, promotions, happyHours, outOfService } =
        device.settings.pricing;
      json(res, 200, { conversion, limits, bonus1, bonus2, loyalty, promotions, happyHours, outOfService });
      return;
    }
    case "POST /api/extra":
      await device.settings.setPricing(await body(req));
      json(res, 200, { ok: true });
      return;
    case "GET /api/prices": {
      const p = device.settings.pricing;
      json(res, 200, {
        lines: p.lines,
        names: p.names.slice(0, p.lines),
        cash: p.cash.slice(0, p.lines),
        keys: p.keys.map((k) => ({ mode: k.mode, prices: k.prices.slice(0, p.lines) })),
      });
      return;
    }
    case "POST /api/prices": {
      const b = await body(req);
      const table = b.table === "cash" ? "cash" : num(b.table, "table");
      if (table !== "cash" && (table < 0 || table > 3))
        throw new SyntaxError("table is cash or a key level 0..3");
      await device.settings.setPrice(
        table as "cash" | 0 | 1 | 2 | 3,
        num(b.line, "line"),
        num(b.price, "price"),
      );
      json(res, 200, { ok: true });
      return;
    }
    case "POST /api/names": {
      const b = await body(req);
      if (typeof b.name !== "string") throw new SyntaxError("name must be a string");
      await device.settings.setName(num(b.line, "line"), b.name);
      json(res, 200, { ok: true });
      return;
    }
    case "POST /api/keys/insert": {
      const outcome = await device.insertKey(num((await body(req)).index, "index"));
      json(res, 200, outcome);
      return;
    }
    case "POST /api/keys/format": {
      const b = await body(req);
      const keyNumber = await device.formatKey(num(b.index, "index"), {
        credit: optionalNum(b.credit, "credit"),
        password: optionalNum(b.password, "password"),
      });
      json(res, 200, { keyNumber, next: device.settings.params.numeric.formatKeyNumber });
      return;
    }
    case "POST /api/keys/remove":
      await device.removeKey();
      json(res, 200, { ok: true });
      return;
    case "POST /api/keys/modify": {
      const b = await body(req);
      const landed = await device.programmerSetKey(
        {
          bonus1Tokens: optionalNum(b.bonus1Tokens, "bonus1Tokens"),
          bonus2Tokens: optionalNum(b.bonus2Tokens, "bonus2Tokens"),
          loyaltyPoints: optionalNum(b.loyaltyPoints, "loyaltyPoints"),
        },
        optionalNum(b.password, "password"),
      );
      json(res, 200, { landed });
      return;
    }
    case "POST /api/keys/recharge": {
      const b = await body(req);
      const credit = await device.programmerRecharge(
        num(b.amount, "amount"),
        optionalNum(b.password, "password"),
      );
      json(res, 200, { credit });
      return;
    }
    case "POST /api/special-keys/load": {
      const b = await body(req);
      const kind = specialKind(b.kind);
      if (kind === "data") throw new SyntaxError("a data key is loaded by inserting it (it collects)");
      if (kind === "setup") await device.loadSpecialKey(kind);
      else {
        const keys = b.keys;
        if (!Array.isArray(keys) || !keys.every((k) => Number.isInteger(k)))
          throw new SyntaxError("keys must be a list of key numbers");
        if (b.mode !== 1 && b.mode !== 2) throw new SyntaxError("mode is 1 (50 keys) or 2 (500 keys)");
        await device.loadSpecialKey(kind, { mode: b.mode, keys: keys as number[] });
      }
      json(res, 200, { ok: true });
      return;
    }
    case "POST /api/special-keys/insert": {
      const outcome = await device.insertSpecialKey(specialKind((await body(req)).kind));
      // what the key carried is now the device's settings or collection: say what, not all of it
      json(res, 200, outcome.ok ? { ...outcome, carried: outcome.carried?.kind } : outcome);
      return;
    }
    case "GET /api/special-keys/data": {
      const audit = await device.readDataKey();
      res
        .writeHead(200, {
          "content-type": "application/octet-stream",
          "content-disposition": 'attachment; filename="data-key.eva"',
        })
        .end(Buffer.from(audit));
      return;
    }
    case "POST /api/coin":
      await device.cash.insertCoin(num((await body(req)).type, "type"));
      json(res, 200, { ok: true });
      return;
    case "POST /api/bill":
      await device.cash.insertBill(num((await body(req)).type, "type"));
      json(res, 200, { ok: true });
      return;
    case "POST /api/select": {
      const amount = await device.select(num((await body(req)).item, "item"));
      json(res, 200, { amount: amount ?? null });
      return;
    }
    case "GET /api/statistics": {
      const names = [...Object.entries(S), ...Object.entries(V)];
      const counters = names.map(([name, counter]) => ({
        name,
        counter,
        ...device.pay.statistics.get(counter),
      }));
      const lines = [];
      for (let line = 1; line <= Math.min(device.settings.pricing.lines, 100); line++) {
        const count = (m: "cash" | 0) => device.pay.statistics.get(lineCount(m, line) as string).historic;
        lines.push({ line, cash: count("cash"), key: count(0) });
      }
      // the Executive VMC's own audit pairs, raw: address, last value, times read
      json(res, 200, { counters, lines, vmcAuditPairs: device.audits.vmcAuditPairs });
      return;
    }
    case "POST /api/statistics/reset":
      device.audits.resetHistoric();
      json(res, 200, { ok: true });
      return;
    case "GET /api/maxibox": {
      const key = num(Number(url.searchParams.get("key")), "key");
      const t = device.pay.maxiBox.keyTransactions(key);
      json(res, 200, {
        recharges: t.recharges,
        sales: t.sales,
        lines: t.entries.map((e) =>
          formatTransaction(
            e,
            device.settings.params.numeric.decimalPoint,
            device.settings.params.numeric.separator,
            device.settings.params.clock.timeZone,
          ),
        ),
      });
      return;
    }
    case "GET /api/audit": {
      // a collection: the period data is cleared once the whole file has gone out (manual 7)
      const taken = device.audits.collect();
      res.writeHead(200, {
        "content-type": "application/octet-stream",
        "content-length": taken.bytes.length,
        "content-disposition": 'attachment; filename="audit.eva"',
      });
      res.end(Buffer.from(taken.bytes), () => device.audits.confirm(taken));
      return;
    }
    default:
      json(res, 404, { code: "NOT_FOUND", message: at });
  }
}
