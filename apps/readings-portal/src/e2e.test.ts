import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildAudit, write } from "@vendkit/evadts";
import { chromiumFor } from "@vendkit/test-support";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { parseCsv } from "./csv.js";
import { openDb } from "./db.js";
import {
  OPERATOR,
  SAMPLE_CUSTOMER,
  SAMPLE_LAB,
  served,
  twoCustomers,
  validateFatturaPa,
  xmllintFor,
} from "./test-support.js";

const executablePath = chromiumFor("the readings portal's browser tests");

const launch = () =>
  chromium.launch({
    executablePath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });

const portalOn = () => served(openDb(join(mkdtempSync(join(tmpdir(), "portal-e2e-")), "portal.sqlite")));

describe.skipIf(!executablePath)("readings portal in headless Chromium", () => {
  it("customer: from the request e-mail's link to the receipt", async () => {
    const rig = await portalOn();
    const browser = await launch();
    try {
      await twoCustomers(rig.portal);
      await rig.portal.imports.csv(
        OPERATOR,
        "installation,date,mono,colour,level:toner\nACME-1,2026-02-28,1000,100,90",
      );
      rig.clock.now = new Date("2026-03-26T08:00:00Z");
      await rig.portal.reports.runScheduler();
      const mail = (await rig.mailCount(2)).find((m) => JSON.stringify(m.to).includes("acme@"));
      const link = /(http:\/\/127\.0\.0\.1:\d+\/r\/\S+)/.exec(mail?.text ?? "")?.[1] as string;
      expect(link).toBeDefined();

      const page = await browser.newPage();
      page.setDefaultTimeout(10_000);
      // the link leads to the login (the circular's R5: link and personal credentials)
      await page.goto(link);
      await page.getByLabel("User id").fill("acme");
      await page.getByLabel("Password").fill("acme-password");
      await page.getByRole("button", { name: "Log in" }).click();
      await page.getByLabel("Counter “mono”").fill("500");
      await page.getByLabel("Counter “colour”").fill("140");
      await page.getByRole("button", { name: "Review" }).click();
      await expect
        .poll(() => page.getByRole("alert").textContent())
        .toContain('counter "mono" went back by 500 with no meter replacement recorded');
      await page.getByLabel("Counter “mono”").fill("1800");
      await page.getByLabel("Level of toner (%)").fill("85");
      await page.getByRole("button", { name: "Review" }).click();
      await page.getByRole("heading", { name: "Please confirm" }).waitFor();
      await page.getByRole("button", { name: "Confirm" }).click();
      const receipt = await page.locator("#receipt").textContent();
      expect(receipt).toMatch(/^R-[0-9A-F]{10}$/);
      const stored = await rig.portal.readingsFor(OPERATOR, "ACME-1");
      expect(stored[1]).toMatchObject({
        receipt,
        date: "2026-03-26",
        counters: { mono: 1800, colour: 140 },
        consumables: { toner: 85 },
      });
      // The link's session reaches nothing else.
      const other = await page.goto(link.replace(/\/r\/.*/, "/customer/installations/BETA-1"));
      expect(other?.status()).toBe(404);
      const operatorMail = (await rig.mailCount(4)).find(
        (m) => m.subject?.includes(receipt as string) && m.subject.startsWith("Reading"),
      );
      expect(operatorMail?.attachments[0]?.content.toString()).toContain("ACME-1,2026-03-26,1800,140,85");
    } finally {
      await browser.close();
      await rig.close();
    }
  });

  it("operator: registry, import and the billing export", async () => {
    const rig = await portalOn();
    const browser = await launch();
    try {
      await rig.portal.createOperator("op", "operator-password");
      const page = await browser.newPage();
      await page.goto(`${rig.base}/`);
      await page.getByLabel("User id").fill("op");
      await page.getByLabel("Password").fill("operator-password");
      await page.getByRole("button", { name: "Log in" }).click();
      await page.getByRole("heading", { name: "Readings board" }).waitFor();

      await page.getByRole("link", { name: "Registry" }).click();
      const customer = page.locator("#new-customer");
      await customer.getByLabel("Code").fill("ACME");
      await customer.getByLabel("Name").fill("Acme Srl");
      await customer.getByLabel("E-mail").fill("acme@customer.example");
      await customer.getByLabel("User id").fill("acme");
      await customer.getByLabel("Password").fill("acme-password");
      await customer.getByRole("button").click();
      await expect.poll(() => page.getByRole("status").textContent()).toBe("Customer ACME created.");
      const device = page.locator("#new-device");
      await device.getByLabel("Model").fill("Copier");
      await device.getByLabel("Serial").fill("MX-1");
      await device.getByLabel("Counters").fill("mono, colour");
      await device.getByRole("button").click();
      await expect.poll(() => page.getByRole("status").textContent()).toBe("Device MX-1 registered.");
      const inst = page.locator("#new-installation");
      await inst.getByLabel("Code").fill("ACME-1");
      await inst.getByLabel("Site").fill("office");
      await inst.getByRole("button").click();
      await expect.poll(() => page.getByRole("status").textContent()).toBe("Installation ACME-1 created.");
      const contract = page.locator("#contract");
      await contract.getByLabel("Reading day").fill("28");
      await contract.getByLabel("Start").fill("2026-01-28");
      await contract.getByLabel("Fee per period").fill("5000");
      await contract.getByLabel("Terms").fill("mono: 1000 included; 2/1\ncolour: 50 included; 10/1");
      await contract.getByRole("button").click();
      await expect.poll(() => page.getByRole("status").textContent()).toBe("Contract of ACME-1 saved.");

      await page.getByRole("link", { name: "Import" }).click();
      const csv = join(mkdtempSync(join(tmpdir(), "portal-csv-")), "readings.csv");
      writeFileSync(
        csv,
        "installation,date,mono,colour\nACME-1,2026-01-28,100,10\nACME-1,2026-02-28,1600,90\nACME-1,2026-02-29,1,1\n",
      );
      await page.getByLabel("File").setInputFiles(csv);
      await page.getByRole("button", { name: "Import" }).click();
      await page.locator("#results tbody tr").nth(2).waitFor();
      expect(await page.locator("#results tbody tr td:nth-child(4)").allTextContents()).toEqual([
        "accepted",
        "accepted",
        "refused",
      ]);
      // a folder's worth of audits: several files at once, one row each, by file name
      const folder = mkdtempSync(join(tmpdir(), "portal-audits-"));
      for (const name of ["one.eva", "two.eva"]) writeFileSync(join(folder, name), "no audit in here\r\n");
      await page.getByLabel("Kind").selectOption("evadts");
      await page.getByLabel("File").setInputFiles([join(folder, "one.eva"), join(folder, "two.eva")]);
      await page.getByRole("button", { name: "Import" }).click();
      await expect
        .poll(() => page.locator("#results tbody tr td:nth-child(1)").allTextContents())
        .toEqual(["one.eva", "two.eva"]);
      // an audit without a date (ID5): the form asks for the reading date, and takes it
      const undated = join(folder, "undated.eva");
      writeFileSync(
        undated,
        write(
          buildAudit(
            [
              { tag: "ID1", elements: ["MX-1", "COPIER"] },
              { tag: "VA1", elements: ["0", "9", "0", "0"] },
            ],
            {
              communicationId: "VKT0000001",
            },
          ),
        ),
      );
      expect(await page.isVisible("#date-field")).toBe(false);
      await page.getByLabel("File").setInputFiles(undated);
      await page.getByRole("button", { name: "Import" }).click();
      await page.locator("#date-field.error").waitFor();
      expect(await page.textContent("#import-error")).toContain("the audit has no date (ID5)");
      await page.getByLabel("Reading date").fill("2026-03-28");
      await page.getByRole("button", { name: "Import" }).click();
      await page.locator("#import-error").waitFor({ state: "hidden" });
      // the date went with it: what stops the reading now is the copier's counters, not the date
      const message = await page.locator("#results tbody tr td:nth-child(6)").first().textContent();
      expect(message).not.toContain("ID5");
      expect(await page.locator("#results tbody tr td:nth-child(3)").first().textContent()).toBe(
        "2026-03-28",
      );

      await page.getByRole("link", { name: "Billing" }).click();
      await page.getByLabel("Periods ending in").fill("2026-02");
      await page.getByRole("button", { name: "Show" }).click();
      await page.getByRole("heading", { name: "Billing 2026-02" }).waitFor();
      expect(await page.locator("svg.chart rect").count()).toBe(2);
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.locator("#billing-csv").click(),
      ]);
      expect(download.suggestedFilename()).toBe("billing-2026-02.csv");
      const rows = parseCsv(readFileSync((await download.path()) as string, "utf8"));
      // 1500 mono pages: 500 over at 2 each; 80 colour: 30 over at 10 each.
      expect(rows.slice(1).map((r) => r.join(","))).toEqual([
        "ACME,ACME-1,MX-1,2026-01-28,2026-02-28,fee,,,,,5000",
        "ACME,ACME-1,MX-1,2026-01-28,2026-02-28,overage,mono,1500,1000,500,1000",
        "ACME,ACME-1,MX-1,2026-01-28,2026-02-28,overage,colour,80,50,30,300",
      ]);

      // the month's invoices: issued from the billing page, downloaded, valid FatturaPA
      await rig.portal.registry.setLab(OPERATOR, SAMPLE_LAB);
      await rig.portal.registry.setCustomerFiscal(OPERATOR, "ACME", SAMPLE_CUSTOMER);
      await page.getByRole("button", { name: "Issue the invoices of 2026-02" }).click();
      await expect.poll(() => page.getByRole("status").textContent()).toMatch(/^Issued \d{4}\/1\.$/);
      const [xml] = await Promise.all([
        page.waitForEvent("download"),
        page.locator("#invoices a", { hasText: "XML" }).first().click(),
      ]);
      expect(xml.suggestedFilename()).toMatch(/^IT01234567897_\d{2}001\.xml$/);
      const text = readFileSync((await xml.path()) as string, "utf8");
      expect(text).toContain("<ImportoTotaleDocumento>76.86</ImportoTotaleDocumento>"); // 63.00 and 22 %
      if (xmllintFor("the e2e invoice's schema check"))
        expect(validateFatturaPa(text)).toMatchObject({ ok: true });
    } finally {
      await browser.close();
      await rig.close();
    }
  });
});
