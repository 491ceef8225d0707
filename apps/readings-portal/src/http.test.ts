import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { openDb } from "./db.js";
import { OPERATOR, SAMPLE_CUSTOMER, SAMPLE_LAB, served, twoCustomers } from "./test-support.js";

/** A file as the import page sends it: multipart/form-data, one file. */
function upload(content: string | Uint8Array, name = "readings.csv"): FormData {
  const form = new FormData();
  form.append("file", new Blob([content]), name);
  return form;
}

/** A browser's cookie jar, reduced to what the portal sets. */
class Client {
  private jar = new Map<string, string>();
  constructor(private readonly base: string) {}
  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(this.base + path, {
      ...init,
      redirect: "manual",
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join("; "),
      },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const [k, v] = (pair as string).split("=") as [string, string];
      if (v === "") this.jar.delete(k);
      else this.jar.set(k, v);
    }
    return res;
  }
  async csrf(path: string): Promise<string> {
    const page = await (await this.request(path)).text();
    return /name="csrf" value="([^"]+)"/.exec(page)?.[1] as string;
  }
  post(path: string, form: Record<string, string>) {
    return this.request(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });
  }
  async login(userId: string, password: string): Promise<Response> {
    return this.post("/login", { csrf: await this.csrf("/login"), userId, password });
  }
}

const withServer = async (run: (base: string, rig: Awaited<ReturnType<typeof served>>) => Promise<void>) => {
  const rig = await served(openDb(join(mkdtempSync(join(tmpdir(), "portal-http-")), "portal.sqlite")));
  try {
    await twoCustomers(rig.portal);
    await rig.portal.imports.csv(
      OPERATOR,
      "installation,date,mono,colour\nACME-1,2026-02-28,1000,100\nBETA-1,2026-02-28,2000,200",
    );
    await run(rig.base, rig);
  } finally {
    await rig.close();
  }
};

describe("portal over HTTP", () => {
  it("logs in with a CSRF-protected form and sets an HttpOnly, SameSite session cookie", () =>
    withServer(async (base) => {
      const c = new Client(base);
      expect((await c.request("/operator")).headers.get("location")).toBe("/login");
      expect((await c.post("/login", { userId: "acme", password: "acme-password" })).status).toBe(403);
      const wrong = await c.login("acme", "nope-nope-nope");
      expect(wrong.status).toBe(401);
      expect(await wrong.text()).toContain("unknown user id or wrong password");
      const ok = await c.login("acme", "acme-password");
      expect(ok.status).toBe(303);
      expect(ok.headers.get("location")).toBe("/customer");
      const session = ok.headers.getSetCookie().find((h) => h.startsWith("portal_session="));
      expect(session).toMatch(/HttpOnly/);
      expect(session).toMatch(/SameSite=Lax/);
      const home = await (await c.request("/customer")).text();
      expect(home).toContain("ACME office");
      expect(home).not.toContain("BETA");
    }));

  it("never serves or takes another customer's installation, and forms need their session's CSRF token", () =>
    withServer(async (base, rig) => {
      const acme = new Client(base);
      const beta = new Client(base);
      await acme.login("acme", "acme-password");
      await beta.login("beta", "beta-password");
      expect((await acme.request("/customer/installations/BETA-1")).status).toBe(404);
      const token = await acme.csrf("/customer/installations/ACME-1");
      const theirs = await acme.post("/customer/installations/BETA-1", {
        csrf: token,
        step: "confirm",
        mono: "3000",
        colour: "300",
      });
      expect(theirs.status).toBe(404);
      expect((await acme.request("/operator")).status).toBe(403);
      expect((await acme.request("/operator/billing.csv?month=2026-03")).status).toBe(403);
      // No token, or beta's token on acme's session: refused, nothing stored.
      const form = { step: "confirm", mono: "1500", colour: "150" };
      expect((await acme.post("/customer/installations/ACME-1", form)).status).toBe(403);
      const betaToken = await beta.csrf("/customer");
      expect((await acme.post("/customer/installations/ACME-1", { ...form, csrf: betaToken })).status).toBe(
        403,
      );
      expect(await rig.portal.readingsFor(OPERATOR, "ACME-1")).toHaveLength(1);
      const done = await acme.post("/customer/installations/ACME-1", { ...form, csrf: token });
      expect(done.status).toBe(303);
      const receiptPath = done.headers.get("location") as string;
      expect(await (await acme.request(receiptPath)).text()).toContain("Thank you");
      expect((await beta.request(receiptPath)).status).toBe(404);
      expect(await rig.portal.readingsFor(OPERATOR, "ACME-1")).toHaveLength(2);
    }));

  it("a reading link leads to the customer's login, then to the form (the circular's R5); bad and expired links are refused", () =>
    withServer(async (base, rig) => {
      const c = new Client(base);
      const link = rig.portal.readingLink("ACME-1", "2026-03-28");
      // the link alone opens no session: it leads to the login, which goes on to the form
      const opened = await c.request(link.slice(base.length));
      expect(opened.status).toBe(303);
      expect(opened.headers.get("location")).toBe("/login?next=%2Fcustomer%2Finstallations%2FACME-1");
      expect(opened.headers.getSetCookie().some((h) => h.startsWith("portal_session="))).toBe(false);
      expect((await c.request("/customer/installations/ACME-1")).headers.get("location")).toBe("/login");
      const login = await (await c.request("/login?next=%2Fcustomer%2Finstallations%2FACME-1")).text();
      const token = /name="csrf" value="([^"]+)"/.exec(login)?.[1] as string;
      const signedIn = await c.post("/login", {
        csrf: token,
        userId: "acme",
        password: "acme-password",
        next: "/customer/installations/ACME-1",
      });
      expect(signedIn.headers.get("location")).toBe("/customer/installations/ACME-1");
      expect(await (await c.request("/customer/installations/ACME-1")).text()).toContain("Counter “mono”");
      // signed in as that customer, the link goes straight to the form
      expect((await c.request(link.slice(base.length))).headers.get("location")).toBe(
        "/customer/installations/ACME-1",
      );
      // another customer's login does not open ACME's form, and a next outside the portal is refused
      const beta = new Client(base);
      await beta.login("beta", "beta-password");
      expect((await beta.request(link.slice(base.length))).headers.get("location")).toMatch(
        /^\/login\?next=/,
      );
      expect((await beta.request("/customer/installations/ACME-1")).status).toBe(404);
      expect((await new Client(base).request("/login?next=https%3A%2F%2Fevil.example")).status).toBe(400);
      expect((await new Client(base).request(`${link.slice(base.length)}x`)).status).toBe(403);
      rig.clock.now = new Date("2026-05-01T00:00:00Z");
      const expired = await new Client(base).request(link.slice(base.length));
      expect(expired.status).toBe(403);
      expect(await expired.text()).toContain("the link has expired");
    }));

  it("the operator's registry forms show each field's problem; imports need the CSRF header", () =>
    withServer(async (base, rig) => {
      rig.clock.now = new Date("2026-03-29T09:00:00Z"); // the day of the reading imported below has come
      const op = new Client(base);
      await op.login("op", "operator-password");
      const token = await op.csrf("/operator/manage");
      const bad = await op.post("/operator/devices", {
        csrf: token,
        model: "",
        serial: "S 1",
        counters: "",
        consumables: "",
      });
      expect(bad.status).toBe(400);
      const page = await bad.text();
      expect(page).toContain("the device needs a model");
      expect(page).toContain("a device counts something");
      const good = await op.post("/operator/devices", {
        csrf: token,
        model: "Vendor",
        serial: "SV-9",
        counters: "vends",
        consumables: "",
      });
      expect(await good.text()).toContain("Device SV-9 registered.");
      const replacement = { csrf: token, installationId: "ACME-1", counter: "mono", newStart: "0" };
      const noFinal = await op.post("/operator/replacements", { ...replacement, oldFinal: "lots" });
      expect(noFinal.status).toBe(400);
      expect(await noFinal.text()).toContain("the old meter&#39;s final value must be a whole number");
      const recorded = await op.post("/operator/replacements", { ...replacement, oldFinal: "1200" });
      expect(await recorded.text()).toContain("Meter replacement of ACME-1 mono recorded");
      const csv = "installation,date,mono,colour\nACME-1,2026-03-28,1600,130\n";
      expect(
        (await op.request("/operator/import?kind=csv", { method: "POST", body: upload(csv) })).status,
      ).toBe(403);
      const imported = await op.request("/operator/import?kind=csv", {
        method: "POST",
        headers: { "x-csrf-token": token },
        body: upload(csv),
      });
      expect(((await imported.json()) as { results: unknown }).results).toMatchObject([
        { line: 2, outcome: "accepted" },
      ]);
      const big = await op.request("/operator/import?kind=csv", {
        method: "POST",
        headers: { "x-csrf-token": token },
        body: upload("x".repeat(9 * 1024 * 1024)),
      });
      expect(big.status).toBe(413);
      // a zip of audits: one result per file; what is not a zip is refused with its reason
      const archive = await op.request("/operator/import?kind=evadts-zip", {
        method: "POST",
        headers: { "x-csrf-token": token },
        body: upload(zipSync({ "day/readme.txt": new TextEncoder().encode("no audit") }), "day.zip"),
      });
      expect(((await archive.json()) as { results: unknown }).results).toMatchObject([
        { file: "day/readme.txt", outcome: "refused" },
      ]);
      const notZip = await op.request("/operator/import?kind=evadts-zip", {
        method: "POST",
        headers: { "x-csrf-token": token },
        body: upload("DXS*plain text", "day.zip"),
      });
      expect(notZip.status).toBe(400);
      const billing = await op.request("/operator/billing.csv?month=2026-03");
      expect(billing.headers.get("content-disposition")).toBe('attachment; filename="billing-2026-03.csv"');
      // The import took the replacement: 200 pages on the old meter, 1600 on the new one.
      expect(await billing.text()).toContain(
        "ACME,ACME-1,MX-1,2026-02-28,2026-03-28,overage,mono,1800,1000,800,800",
      );
      expect((await op.request("/operator/billing?month=march")).status).toBe(400);
    }));

  it("answers a form or query that does not match its schema with a 400 naming the field, and throttles logins", () =>
    withServer(async (base) => {
      const op = new Client(base);
      await op.login("op", "operator-password");
      const token = await op.csrf("/operator/manage");
      const device = { csrf: token, model: "Vendor", serial: "SV-1", counters: "vends", consumables: "" };
      const extra = await op.post("/operator/devices", { ...device, owner: "me" });
      expect(extra.status).toBe(400);
      expect(await extra.text()).toContain("owner: is not a field of this form");
      const { model: _model, ...noModel } = device;
      const missing = await op.post("/operator/devices", noModel);
      expect(missing.status).toBe(400);
      expect(await missing.text()).toContain("model");
      expect((await op.request("/operator/billing?month=2026-13")).status).toBe(400);
      const kind = await op.request("/operator/import?kind=pdf", {
        method: "POST",
        headers: { "x-csrf-token": token },
        body: upload("x"),
      });
      expect(kind.status).toBe(400);
      expect(((await kind.json()) as { message: string }).message).toMatch(/^kind: /);
      // ten login attempts a minute from one address, then 429
      const guesser = new Client(base);
      const statuses = [];
      for (let k = 0; k < 11; k++) statuses.push((await guesser.login("op", `guess-${k}-password`)).status);
      expect(statuses.slice(0, 9).every((s) => s === 401)).toBe(true);
      expect(statuses[10]).toBe(429);
    }));

  it("keeps what was typed after a refusal, and shows the minimum charge so fee + overage + minimum = total", () =>
    withServer(async (base, rig) => {
      rig.clock.now = new Date("2026-03-29T09:00:00Z");
      const c = new Client(base);
      const wrong = await c.login("acme", "nope-nope-nope");
      expect(await wrong.text()).toContain('name="userId" autocomplete="username" value="acme"');
      const op = new Client(base);
      await op.login("op", "operator-password");
      const token = await op.csrf("/operator/manage");
      const bad = await op.post("/operator/devices", {
        csrf: token,
        model: "",
        serial: "SV-7",
        counters: "vends, cups",
        consumables: "beans:cups:5000",
      });
      expect(bad.status).toBe(400);
      const page = await bad.text();
      for (const kept of [
        'name="serial" value="SV-7"',
        'name="counters" placeholder="mono, colour" value="vends, cups"',
      ])
        expect(page).toContain(kept);
      expect(page).toContain(">beans:cups:5000</textarea>");
      // a password typed into a refused form is never sent back
      const customer = await op.post("/operator/customers", {
        csrf: token,
        id: "GAMMA",
        name: "Gamma",
        email: "not-an-address",
        userId: "gamma",
        password: "gamma-password-1",
      });
      const again = await customer.text();
      expect(again).toContain('name="email" type="email" value="not-an-address"');
      expect(again).not.toContain("gamma-password-1");
      // BETA-1 at a minimum charge above what it used: the page shows the top-up as its own column
      await op.post("/operator/contracts", {
        csrf: token,
        installationId: "BETA-1",
        period: "monthly",
        readingDay: "28",
        start: "2026-01-28",
        fee: "5000",
        minimumCharge: "20000",
        terms: "mono: 1000 included; 1/1\ncolour: 100 included; 10/1",
      });
      await rig.portal.imports.csv(OPERATOR, "installation,date,mono,colour\nBETA-1,2026-03-28,2500,250\n");
      const billing = await (await op.request("/operator/billing?month=2026-03")).text();
      expect(billing).toContain("<th>Fee</th><th>Overage</th><th>Minimum</th><th>Total</th>");
      const row = /<tr><td>BETA-1<\/td>[\s\S]*?<\/tr>/.exec(billing)?.[0] ?? "";
      const amounts = [...row.matchAll(/<td(?: class="minimum")?>([0-9.,]+)<\/td>/g)].map((m) =>
        Math.round(Number((m[1] as string).replace(/,/g, "")) * 100),
      );
      const [fee, overage, minimum, total] = amounts.slice(-4) as [number, number, number, number];
      expect(minimum).toBeGreaterThan(0);
      expect(fee + overage + minimum).toBe(total);
      expect(total).toBe(20000);
    }));

  it("takes the lab's and a customer's fiscal data from the registry page, a message per wrong field", () =>
    withServer(async (base) => {
      const op = new Client(base);
      await op.login("op", "operator-password");
      const token = await op.csrf("/operator/manage");
      const lab = {
        csrf: token,
        name: "Copie Rapide Srl",
        vatNumber: "01234567890",
        taxCode: "",
        recipientCode: "",
        pec: "",
        street: "Via Roma 1",
        postcode: "20121",
        city: "Milano",
        province: "mi",
        country: "IT",
      };
      const bad = await op.post("/operator/lab", lab);
      expect(bad.status).toBe(400);
      const page = await bad.text();
      expect(page).toContain("VAT number: this VAT number&#39;s check digit is wrong");
      expect(page).toContain('name="vatNumber" value="01234567890"'); // kept as typed
      const good = await op.post("/operator/lab", { ...lab, vatNumber: "01234567897" });
      const saved = await good.text();
      expect(saved).toContain("The lab&#39;s fiscal data saved.");
      expect(saved).toContain('name="province" value="MI"'); // as stored
      const acme = await op.post("/operator/customer-fiscal", {
        ...lab,
        customerId: "ACME",
        name: "Acme Srl",
        vatNumber: "",
        taxCode: "RSSMRA85T10A562S",
        recipientCode: "m5uxcr1",
      });
      expect(await acme.text()).toContain("The fiscal data of ACME saved.");
    }));

  it("issues a month's invoices from the billing page; the operator downloads XML, PDF and a zip, a customer its own only", () =>
    withServer(async (base, rig) => {
      rig.clock.now = new Date("2026-03-29T09:00:00Z");
      await rig.portal.imports.csv(
        OPERATOR,
        "installation,date,mono,colour\nACME-1,2026-03-28,1600,130\nBETA-1,2026-03-28,2900,260\n",
      );
      await rig.portal.registry.setLab(OPERATOR, SAMPLE_LAB);
      await rig.portal.registry.setCustomerFiscal(OPERATOR, "ACME", SAMPLE_CUSTOMER);
      await rig.portal.registry.setCustomerFiscal(OPERATOR, "BETA", { ...SAMPLE_CUSTOMER, name: "Beta Srl" });
      const op = new Client(base);
      await op.login("op", "operator-password");
      const token = await op.csrf("/operator/billing?month=2026-03");
      const issued = await op.post("/operator/invoices", { csrf: token, month: "2026-03" });
      expect(await issued.text()).toContain("Issued 2026/1, 2026/2.");
      const xml = await op.request("/invoices/2026/1.xml");
      expect(xml.headers.get("content-disposition")).toBe('attachment; filename="IT01234567897_26001.xml"');
      expect(await xml.text()).toContain("<TipoDocumento>TD01</TipoDocumento>");
      const pdf = await op.request("/invoices/2026/1.pdf");
      expect([pdf.headers.get("content-type"), (await pdf.text()).slice(0, 5)]).toEqual([
        "application/pdf",
        "%PDF-",
      ]);
      const zip = unzipSync(new Uint8Array(await (await op.request("/invoices.zip")).arrayBuffer()));
      expect(Object.keys(zip).sort()).toEqual([
        "IT01234567897_26001.xml",
        "IT01234567897_26002.xml",
        "invoice-2026-1.pdf",
        "invoice-2026-2.pdf",
      ]);
      // the customer sees its own invoice only; the other answers as a missing one
      const acme = new Client(base);
      await acme.login("acme", "acme-password");
      const mine = await (await acme.request("/invoices")).text();
      const acmeNumber = /<td>(2026\/\d)<\/td><td>2026-03-29<\/td><td>ACME<\/td>/.exec(mine)?.[1];
      expect(acmeNumber).toBeDefined();
      expect(mine).not.toContain("<td>BETA</td>");
      const other = acmeNumber === "2026/1" ? "2026/2" : "2026/1";
      expect((await acme.request(`/invoices/${other}.xml`)).status).toBe(404);
      expect((await acme.request(`/invoices/${acmeNumber}.pdf`)).status).toBe(200);
      expect((await acme.request("/invoices.zip")).status).toBe(403);
      // a credit note from the list cancels an invoice
      const list = await op.csrf("/invoices");
      const note = await op.post("/invoices/2026/1/credit-note", { csrf: list });
      expect(await note.text()).toContain("Issued credit note 2026/3.");
    }));
});
