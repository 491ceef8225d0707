import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildAudit, write } from "@vendkit/evadts";
import { billPeriod } from "@vendkit/metering";
import { zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { billingCsv } from "./billing-run.js";
import { parseCsv } from "./csv.js";
import { PortalError } from "./errors.js";
import { migrate } from "./migrations.js";
import type { Principal } from "./portal.js";
import { backends, OPERATOR, type Rig, rig, SAMPLE_LAB, twoCustomers } from "./test-support.js";

const refused = async (p: Promise<unknown>, code: string) => {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(PortalError);
  expect((e as PortalError).code).toBe(code);
  return e as PortalError;
};

const HISTORY = [
  "installation,date,mono,colour,level:toner",
  "ACME-1,2026-01-28,10000,500,90",
  "ACME-1,2026-02-28,11500,600,83",
  "BETA-1,2026-01-28,20000,900,",
  "BETA-1,2026-02-28,20800,950,",
].join("\n");

const list = await backends("the portal's tests");

describe.each(list)("readings portal on $name", (backend) => {
  const withRig = async (run: (r: Rig) => Promise<void>) => {
    const r = await rig(await backend.open());
    try {
      await twoCustomers(r.portal);
      await run(r);
    } finally {
      await r.close();
    }
  };

  it("keeps each customer to its own installations, readings and receipts", () =>
    withRig(async ({ portal }) => {
      await portal.imports.csv(OPERATOR, HISTORY);
      const acme = await portal.login("acme", "acme-password");
      const beta = await portal.login("beta", "beta-password");
      expect((await portal.installationsFor(acme)).map((i) => i.id)).toEqual(["ACME-1"]);
      expect((await portal.installationsFor(beta)).map((i) => i.id)).toEqual(["BETA-1"]);
      await refused(portal.visibleInstallation(acme, "BETA-1"), "NOT_FOUND");
      await refused(portal.readingsFor(acme, "BETA-1"), "NOT_FOUND");
      await refused(portal.review(acme, "BETA-1", { mono: "21000", colour: "960" }), "NOT_FOUND");
      await refused(portal.confirm(acme, "BETA-1", { mono: "21000", colour: "960" }), "NOT_FOUND");
      // The same answer for another's installation and for none at all: nothing leaks.
      const other = await refused(portal.visibleInstallation(acme, "BETA-1"), "NOT_FOUND");
      const none = await refused(portal.visibleInstallation(acme, "NOPE-1"), "NOT_FOUND");
      expect(other.message.replace("BETA-1", "X")).toBe(none.message.replace("NOPE-1", "X"));
      const betaReceipt = (await portal.readingsFor(beta, "BETA-1"))[0]?.receipt as string;
      await refused(portal.receipt(acme, betaReceipt), "NOT_FOUND");
      expect((await portal.receipt(beta, betaReceipt)).reading.installationId).toBe("BETA-1");
      await refused(portal.reports.board(acme), "FORBIDDEN");
      await refused(portal.imports.csv(acme, HISTORY), "FORBIDDEN");
      await refused(portal.reports.billing(acme, "2026-02"), "FORBIDDEN");
      await refused(portal.registry.customers(acme), "FORBIDDEN");
      // A session survives its token round trip with the same scope, and a forged one does not.
      expect(portal.principal(portal.session(acme))).toEqual(acme);
      const forged = portal
        .session(beta)
        .replace(
          /^[^.]+/,
          Buffer.from(
            JSON.stringify({ purpose: "session", sub: "beta", role: "operator", exp: 9e15 }),
          ).toString("base64url"),
        );
      await refused(
        Promise.resolve().then(() => portal.principal(forged)),
        "BAD_TOKEN",
      );
    }));

  it("a reading link opens that installation only, for that purpose, until it expires", () =>
    withRig(async ({ portal, clock }) => {
      await portal.registry.addDevice(OPERATOR, {
        model: "Vendor",
        serial: "SV-1",
        counters: ["vends"],
        consumables: [],
      });
      await portal.registry.addInstallation(OPERATOR, {
        id: "ACME-2",
        serial: "SV-1",
        customerId: "ACME",
        site: "canteen",
      });
      const link = portal.readingLink("ACME-1", "2026-03-28");
      const token = link.split("/r/")[1] as string;
      const who = await portal.openLink(token);
      expect(who).toMatchObject({ role: "customer", customerId: "ACME", only: "ACME-1" });
      expect((await portal.installationsFor(who)).map((i) => i.id)).toEqual(["ACME-1"]);
      await refused(portal.visibleInstallation(who, "ACME-2"), "NOT_FOUND");
      await refused(portal.visibleInstallation(who, "BETA-1"), "NOT_FOUND");
      // Single-purpose: a link is not a session and a session is not a link.
      await refused(
        Promise.resolve().then(() => portal.principal(token)),
        "BAD_TOKEN",
      );
      await refused(portal.openLink(portal.session(who)), "BAD_TOKEN");
      const tampered = token.replace(
        /^[^.]+/,
        Buffer.from(JSON.stringify({ purpose: "reading-link", sub: "BETA-1", exp: 9e15 })).toString(
          "base64url",
        ),
      );
      await refused(portal.openLink(tampered), "BAD_TOKEN");
      await refused(portal.openLink("garbage"), "BAD_TOKEN");
      clock.now = new Date("2026-04-27T23:00:00Z");
      await expect(portal.openLink(token)).resolves.toMatchObject({ only: "ACME-1" });
      clock.now = new Date("2026-04-28T00:00:00Z");
      await refused(portal.openLink(token), "TOKEN_EXPIRED");
    }));

  it("review warns, confirm stores and mails a receipt and the operator's CSV, which imports again unchanged", () =>
    withRig(async ({ portal, mailCount }) => {
      await portal.imports.csv(OPERATOR, HISTORY);
      const acme = await portal.login("acme", "acme-password");
      const form = { mono: "12900", colour: "690", "level:toner": "20" };
      const review = await portal.review(acme, "ACME-1", form);
      expect(review.reading).toMatchObject({
        date: "2026-03-25",
        counters: { mono: 12900, colour: 690 },
        consumables: { toner: 20 },
      });
      // 1400 mono pages predict 7 points of toner; 63 fell.
      expect(review.warnings).toEqual([
        expect.stringContaining("toner: over-consumption, level fell 63 points"),
      ]);
      expect(await portal.readingsFor(acme, "ACME-1")).toHaveLength(2);
      const stored = await portal.confirm(acme, "ACME-1", form);
      expect(stored).toMatchObject({ source: "customer", findings: review.warnings });
      expect(stored.receipt).toMatch(/^R-[0-9A-F]{10}$/);
      const mails = await mailCount(2);
      const toOperator = mails.find((m) => m.subject?.startsWith("Reading ACME-1"));
      const toCustomer = mails.find((m) => m.subject?.startsWith("Receipt"));
      expect(toOperator?.text).toContain("over-consumption");
      expect(toCustomer?.text).toContain(stored.receipt);
      expect(JSON.stringify(toCustomer?.to)).toContain("acme@customer.example");
      const attachment = toOperator?.attachments[0];
      expect(attachment?.filename).toBe("reading-ACME-1-2026-03-25.csv");
      const csv = attachment?.content.toString("utf8") as string;
      expect(parseCsv(csv)).toEqual([
        ["installation", "date", "mono", "colour", "level:toner"],
        ["ACME-1", "2026-03-25", "12900", "690", "20"],
      ]);
      expect(await portal.imports.csv(OPERATOR, csv)).toEqual([
        {
          line: 2,
          installationId: "ACME-1",
          date: "2026-03-25",
          outcome: "unchanged",
          receipt: stored.receipt,
          messages: stored.findings,
        },
      ]);
      // Confirming twice in a day stores nothing new and mails nothing new.
      await portal.confirm(acme, "ACME-1", form);
      await refused(portal.review(acme, "ACME-1", form), "CONFLICT");
      expect(await portal.readingsFor(acme, "ACME-1")).toHaveLength(3);
      const different = await refused(portal.confirm(acme, "ACME-1", { ...form, mono: "13000" }), "CONFLICT");
      expect(different.message).toContain(stored.receipt);
      await new Promise((r) => setTimeout(r, 100));
      expect((await mailCount(2)).length).toBe(2);
    }));

  it("takes concurrent readings without losing or doubling one (PostgreSQL retries serialization failures)", () =>
    withRig(async ({ portal }) => {
      for (let i = 0; i < 12; i++) {
        await portal.registry.addDevice(OPERATOR, {
          model: "Vendor",
          serial: `SV-${i}`,
          counters: ["vends"],
          consumables: [],
        });
        await portal.registry.addInstallation(OPERATOR, {
          id: `ACME-V${i}`,
          serial: `SV-${i}`,
          customerId: "ACME",
          site: "hall",
        });
      }
      const acme = await portal.login("acme", "acme-password");
      // The customer's form and two imports of the same reading race for each installation.
      const row = (i: number) => `installation,date,vends\nACME-V${i},2026-03-25,${200 + i}`;
      const [confirmed, imports] = await Promise.all([
        Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            portal.confirm(acme, `ACME-V${i}`, { vends: String(200 + i) }),
          ),
        ),
        Promise.all(Array.from({ length: 24 }, (_, j) => portal.imports.csv(OPERATOR, row(j % 12)))),
      ]);
      for (let i = 0; i < 12; i++) {
        const readings = await portal.readingsFor(OPERATOR, `ACME-V${i}`);
        expect(readings.map((r) => [r.date, r.counters.vends, r.receipt])).toEqual([
          ["2026-03-25", 200 + i, confirmed[i]?.receipt],
        ]);
        const outcomes = imports.filter((_, j) => j % 12 === i).map((r) => r[0]?.outcome);
        expect(outcomes.every((o) => o === "accepted" || o === "unchanged")).toBe(true);
        expect(outcomes.filter((o) => o === "accepted").length).toBeLessThanOrEqual(1);
      }
    }));

  it("refuses a bad reading with a message per problem and stores nothing", () =>
    withRig(async ({ portal }) => {
      await portal.imports.csv(OPERATOR, HISTORY);
      const acme = await portal.login("acme", "acme-password");
      const badForm = await refused(
        portal.review(acme, "ACME-1", { mono: "12x", colour: "", "level:toner": "150" }),
        "BAD_INPUT",
      );
      expect(badForm.details).toEqual([
        '"mono": "12x" is not a whole number',
        'enter the "colour" counter',
        '"toner" level: "150" is not a percentage from 0 to 100',
      ]);
      const backwards = await refused(
        portal.confirm(acme, "ACME-1", { mono: "11000", colour: "700" }),
        "READING_REFUSED",
      );
      expect(backwards.details).toEqual([
        'counter "mono" went back by 500 with no meter replacement recorded',
      ]);
      expect(await portal.readingsFor(acme, "ACME-1")).toHaveLength(2);
      // a day that has not come (the clock says 2026-03-25), and one the calendar does not have
      const [future, impossible] = await portal.imports.csv(
        OPERATOR,
        "installation,date,mono,colour\nACME-1,2026-03-27,12000,800\nACME-1,2026-02-30,12000,800\n",
      );
      expect(future).toMatchObject({
        outcome: "refused",
        messages: ["2026-03-27 is in the future: a reading is of a day that has come"],
      });
      expect(impossible).toMatchObject({
        outcome: "refused",
        messages: ['"2026-02-30" is not a YYYY-MM-DD date'],
      });
      expect(await portal.readingsFor(acme, "ACME-1")).toHaveLength(2);
      const start = await refused(
        portal.registry.setContract(OPERATOR, {
          installationId: "ACME-1",
          period: "monthly",
          readingDay: 28,
          start: "2026-02-30",
          fee: 1000,
          terms: "mono: 1000 included; 1/1\ncolour: 100 included; 10/1",
        }),
        "BAD_INPUT",
      );
      expect(start.details).toEqual(["the start is a YYYY-MM-DD date of the calendar"]);
    }));

  it("a recorded meter replacement lets the next reading go lower, counts both meters' usage, and is used once", () =>
    withRig(async ({ portal, clock }) => {
      await portal.imports.csv(OPERATOR, HISTORY);
      const acme = await portal.login("acme", "acme-password");
      const below = await refused(
        portal.registry.recordReplacement(OPERATOR, {
          installationId: "ACME-1",
          counter: "mono",
          oldFinal: 11000,
          newStart: 0,
        }),
        "BAD_INPUT",
      );
      expect(below.details).toEqual(["the old meter's final value 11000 is below its last reading, 11500"]);
      await refused(
        portal.registry.recordReplacement(OPERATOR, {
          installationId: "ACME-1",
          counter: "scans",
          oldFinal: 1,
          newStart: 0,
        }),
        "BAD_INPUT",
      );
      await refused(
        portal.registry.recordReplacement(acme, {
          installationId: "ACME-1",
          counter: "mono",
          oldFinal: 11600,
          newStart: 0,
        }),
        "FORBIDDEN",
      );
      await portal.registry.recordReplacement(OPERATOR, {
        installationId: "ACME-1",
        counter: "mono",
        oldFinal: 11600,
        newStart: 0,
      });
      const review = await portal.review(acme, "ACME-1", { mono: "300", colour: "650" });
      expect(review.reading.replacements).toEqual({ mono: { oldFinal: 11600, newStart: 0 } });
      clock.now = new Date("2026-03-28T09:00:00Z");
      const stored = await portal.confirm(acme, "ACME-1", { mono: "300", colour: "650" });
      expect(stored.replacements).toEqual({ mono: { oldFinal: 11600, newStart: 0 } });
      // 100 pages on the old meter after the last reading, 300 on the new one.
      const march = (await portal.reports.billing(OPERATOR, "2026-03")).entries.find(
        (e) => e.installation.id === "ACME-1",
      );
      expect(march?.bill?.lines.find((l) => l.counter === "mono")?.usage).toBe(400);
      // Used once: the next reading is plain again, and backwards is refused again.
      clock.now = new Date("2026-04-28T09:00:00Z");
      await refused(portal.confirm(acme, "ACME-1", { mono: "200", colour: "700" }), "READING_REFUSED");
      expect(
        (await portal.confirm(acme, "ACME-1", { mono: "900", colour: "700" })).replacements,
      ).toBeUndefined();
    }));

  it("imports CSV rows each on its own: accepted, unchanged, refused with the line and the reason", () =>
    withRig(async ({ portal }) => {
      const first = await portal.imports.csv(OPERATOR, HISTORY);
      expect(first.map((r) => r.outcome)).toEqual(["accepted", "accepted", "accepted", "accepted"]);
      const again = await portal.imports.csv(
        OPERATOR,
        [
          "installation,date,mono,colour,level:toner",
          "ACME-1,2026-01-28,10000,500,90",
          "ACME-1,2026-02-28,11501,600,83",
          "NOPE-1,2026-03-01,1,1,",
          "BETA-1,2026-03-20,20900,abc,",
          "BETA-1,2026-03-21,20900,1000,",
          'BETA-1,"2026-03-22",20950,1010,,extra',
        ].join("\r\n"),
      );
      expect(again.map((r) => [r.line, r.outcome])).toEqual([
        [2, "unchanged"],
        [3, "refused"],
        [4, "refused"],
        [5, "refused"],
        [6, "accepted"],
        [7, "refused"],
      ]);
      expect(again[1]?.messages[0]).toContain("a different reading on 2026-02-28 is on file");
      expect(again[2]?.messages).toEqual(['no installation "NOPE-1"']);
      expect(again[3]?.messages).toEqual(['colour is "abc", not a whole count']);
      expect(again[5]?.messages).toEqual(["6 cells where the header has 5"]);
      await refused(portal.imports.csv(OPERATOR, "date,installation\n"), "BAD_INPUT");
      await refused(portal.imports.csv(OPERATOR, 'installation,date,mono\n"ACME-1,2026'), "BAD_INPUT");
    }));

  it("imports a zip of a route's audits, each onto its machine's installation, one result per file", () =>
    withRig(async ({ portal }) => {
      for (const serial of ["RT-0001", "RT-0002"]) {
        await portal.registry.addDevice(OPERATOR, {
          model: "Route machine",
          serial,
          counters: ["vends", "free"],
          consumables: [],
        });
        await portal.registry.addInstallation(OPERATOR, {
          id: `ROUTE-${serial}`,
          serial,
          customerId: "ACME",
          site: "hall",
        });
      }
      const audit = (serial: string, vends: number) =>
        write(
          buildAudit(
            [
              { tag: "ID1", elements: [serial, "MODEL"] },
              { tag: "ID5", elements: ["20260310", "0930"] },
              { tag: "VA1", elements: ["0", String(vends), "0", "0"] },
              { tag: "VA3", elements: ["0", "3", "0", "0"] },
            ],
            { communicationId: "ROUTE00001" },
          ),
        );
      const zip = zipSync({
        "route/RT-0001.eva": audit("RT-0001", 120),
        // the same machine and day with other counters, in the same transaction: refused alone
        "route/RT-0001-again.eva": audit("RT-0001", 121),
        "route/unknown.eva": audit("RT-9999", 5),
        "route/notes.txt": new TextEncoder().encode("not an audit"),
        "route/RT-0002.eva": audit("RT-0002", 80),
      });
      const results = await portal.imports.archive(OPERATOR, zip);
      expect(results.map((r) => [r.line, r.file, r.outcome, r.installationId ?? ""])).toEqual([
        [1, "route/RT-0001.eva", "accepted", "ROUTE-RT-0001"],
        [2, "route/RT-0001-again.eva", "refused", "ROUTE-RT-0001"],
        [3, "route/unknown.eva", "refused", ""],
        [4, "route/notes.txt", "refused", ""],
        [5, "route/RT-0002.eva", "accepted", "ROUTE-RT-0002"],
      ]);
      expect(results[1]?.messages.join()).toMatch(/a different reading/);
      expect(results[2]?.messages.join()).toMatch(/RT-9999/);
      expect((await portal.readingsFor(OPERATOR, "ROUTE-RT-0001"))[0]?.counters.vends).toBe(120);
      const [reading] = await portal.readingsFor(OPERATOR, "ROUTE-RT-0002");
      expect(reading).toMatchObject({ date: "2026-03-10", counters: { vends: 80, free: 3 } });
      // the same day again changes nothing
      expect((await portal.imports.archive(OPERATOR, zip)).map((r) => r.outcome)).toEqual([
        "unchanged",
        "refused",
        "refused",
        "refused",
        "unchanged",
      ]);
      await refused(portal.imports.archive(OPERATOR, new TextEncoder().encode("no zip")), "BAD_INPUT");

      // an audit without a date (ID5): refused naming the field that puts it right, then taken
      // with the date given
      const undated = write(
        buildAudit(
          [
            { tag: "ID1", elements: ["RT-0002", "MODEL"] },
            { tag: "VA1", elements: ["0", "95", "0", "0"] },
            { tag: "VA3", elements: ["0", "4", "0", "0"] },
          ],
          { communicationId: "ROUTE00001" },
        ),
      );
      const asked = await refused(portal.imports.evadts(OPERATOR, undated), "BAD_INPUT");
      expect([asked.message, asked.field]).toEqual([
        "the audit has no date (ID5); give the reading date",
        "date",
      ]);
      const [inZip] = await portal.imports.archive(OPERATOR, zipSync({ "late.eva": undated }));
      expect(inZip).toMatchObject({ outcome: "refused", field: "date" });
      expect(await portal.imports.evadts(OPERATOR, undated, undefined, "2026-03-20")).toMatchObject({
        outcome: "accepted",
        installationId: "ROUTE-RT-0002",
        date: "2026-03-20",
      });
    }));

  const audit = new URL("../../../../shared/data/evadts-real/animo.eva_dts", import.meta.url);
  if (!existsSync(audit))
    console.warn(`${fileURLToPath(audit)} is absent: the real Animo audit import test did NOT run`);
  it.skipIf(!existsSync(audit))(
    "imports an EVA-DTS audit onto the installation of its machine serial (real Animo audit)",
    () =>
      withRig(async ({ portal }) => {
        await portal.registry.addDevice(OPERATOR, {
          model: "Animo OPTIME",
          serial: "ANIKraftver",
          counters: ["vends", "free", "test"],
          consumables: [],
        });
        await portal.registry.addInstallation(OPERATOR, {
          id: "ACME-COFFEE",
          serial: "ANIKraftver",
          customerId: "ACME",
          site: "hall",
        });
        const bytes = readFileSync(audit);
        const result = await portal.imports.evadts(OPERATOR, bytes);
        expect(result).toMatchObject({
          installationId: "ACME-COFFEE",
          date: "2010-01-19",
          outcome: "accepted",
        });
        const [reading] = await portal.readingsFor(OPERATOR, "ACME-COFFEE");
        expect(reading).toMatchObject({ source: "evadts", counters: { vends: 8161, test: 29, free: 2322 } });
        expect((await portal.imports.evadts(OPERATOR, bytes)).outcome).toBe("unchanged");
        await refused(portal.imports.evadts(OPERATOR, new TextEncoder().encode("not an audit")), "BAD_INPUT");
      }),
  );
  if (!existsSync(audit))
    console.warn(`${audit.pathname} is absent: the real EVA-DTS import test did NOT run`);

  it("mails requests when readings fall due, reminders while they are missing, and stops", () =>
    withRig(async ({ portal, clock, mails, mailCount }) => {
      await portal.imports.csv(OPERATOR, HISTORY);
      clock.now = new Date("2026-03-24T08:00:00Z");
      expect(await portal.reports.runScheduler()).toEqual({ requests: 0, reminders: 0 });
      clock.now = new Date("2026-03-25T08:00:00Z");
      expect(await portal.reports.runScheduler()).toEqual({ requests: 2, reminders: 0 });
      expect(await portal.reports.runScheduler()).toEqual({ requests: 0, reminders: 0 });
      await mailCount(2);
      const toAcme = mails.find((m) => JSON.stringify(m.to).includes("acme@")) as (typeof mails)[number];
      expect(toAcme.subject).toBe("meter reading due 2026-03-28: Copier MX-1");
      const link = /http:\/\/portal\.test\/r\/(\S+)/.exec(toAcme.text ?? "")?.[1] as string;
      const who = (await portal.openLink(link)) as Principal & { role: "customer" };
      expect(who.only).toBe("ACME-1");
      const board = await portal.reports.board(OPERATOR);
      expect(board.map((r) => [r.installation.id, r.status, r.mails])).toEqual([
        ["ACME-1", "missing", 1],
        ["BETA-1", "missing", 1],
      ]);
      // ACME answers through the link; BETA keeps getting reminded, three times at most.
      clock.now = new Date("2026-03-27T10:00:00Z");
      await portal.confirm(who, "ACME-1", { mono: "11900", colour: "650", "level:toner": "81" });
      expect(await portal.reports.runScheduler()).toEqual({ requests: 0, reminders: 0 });
      clock.now = new Date("2026-03-28T08:00:00Z");
      expect(await portal.reports.runScheduler()).toEqual({ requests: 0, reminders: 1 });
      for (const day of ["03-31", "04-03", "04-06", "04-09"]) {
        clock.now = new Date(`2026-${day}T08:00:00Z`);
        await portal.reports.runScheduler();
      }
      const toBeta = (await mailCount(7)).filter((m) => JSON.stringify(m.to).includes("beta@"));
      expect(toBeta.map((m) => m.subject?.startsWith("Reminder"))).toEqual([false, true, true, true]);
      clock.now = new Date("2026-03-28T08:00:00Z");
      const statuses = (await portal.reports.board(OPERATOR)).map((r) => [
        r.installation.id,
        r.status,
        r.mails,
      ]);
      expect(statuses).toEqual([
        ["ACME-1", "received", 1],
        ["BETA-1", "missing", 4],
      ]);
    }));

  it("the board tells received, late and anomalous readings apart", () =>
    withRig(async ({ portal, clock }) => {
      await portal.imports.csv(OPERATOR, HISTORY);
      // (readings are imported once their day has come)
      clock.now = new Date("2026-03-30T12:00:00Z");
      await portal.imports.csv(
        OPERATOR,
        "installation,date,mono,colour,level:toner\nACME-1,2026-03-27,12000,610,81\nBETA-1,2026-03-30,21600,1000,",
      );
      expect((await portal.reports.board(OPERATOR)).map((r) => r.status)).toEqual(["received", "late"]);
      clock.now = new Date("2026-04-26T12:00:00Z");
      await portal.imports.csv(
        OPERATOR,
        "installation,date,mono,colour,level:toner\nACME-1,2026-04-25,30000,620,80",
      );
      const acme = (await portal.reports.board(OPERATOR))[0];
      expect(acme?.status).toBe("anomalous");
      // 18000 mono pages in 29 days against a usual 33.5 a day, and toner that hardly moved.
      expect(acme?.last?.findings).toEqual([
        '"mono" ran at 620.7/day, 18.6x its usual 33.5/day',
        "toner: under-consumption, level fell 1 points where the counters predict 90",
      ]);
    }));

  it("bills the periods ending in a month, exactly, with a line per amount in the CSV", () =>
    withRig(async ({ portal }) => {
      await portal.imports.csv(OPERATOR, HISTORY);
      const run = await portal.reports.billing(OPERATOR, "2026-02");
      const contract = await portal.registry.contractOf(OPERATOR, "ACME-1");
      expect(run.entries.map((e) => [e.installation.id, e.from, e.to])).toEqual([
        ["ACME-1", "2026-01-28", "2026-02-28"],
        ["BETA-1", "2026-01-28", "2026-02-28"],
      ]);
      expect(run.entries[0]?.bill).toEqual(billPeriod(contract as never, { mono: 1500, colour: 100 }));
      expect(run.entries[0]?.bill?.total).toBe(5000 + 500);
      expect(run.entries[1]?.bill?.total).toBe(5000);
      expect(run.total).toBe(10500);
      const rows = parseCsv(billingCsv(run));
      expect(rows[0]?.join(",")).toBe(
        "customer,installation,device,from,to,line,counter,usage,included,excess,amount",
      );
      expect(rows.slice(1).reduce((s, r) => s + Number(r[10] || 0), 0)).toBe(run.total);
      expect(rows.map((r) => r.join(","))).toContain(
        "ACME,ACME-1,MX-1,2026-01-28,2026-02-28,overage,mono,1500,1000,500,500",
      );
      const march = await portal.reports.billing(OPERATOR, "2026-03");
      expect(march.entries.map((e) => e.bill)).toEqual([undefined, undefined]);
      expect(
        parseCsv(billingCsv(march))
          .slice(1)
          .map((r) => r[5]),
      ).toEqual(["missing", "missing"]);
      await refused(portal.reports.billing(OPERATOR, "2026-13"), "BAD_INPUT");
    }));

  it("validates the registry's input with a message per field", () =>
    withRig(async ({ portal, db }) => {
      const customer = await refused(
        portal.registry.addCustomer(OPERATOR, {
          id: "bad id!",
          name: "",
          email: "nope",
          userId: "x",
          password: "short",
        }),
        "BAD_INPUT",
      );
      expect(customer.details).toHaveLength(4);
      await refused(
        portal.registry.addCustomer(OPERATOR, {
          id: "ACME",
          name: "A",
          email: "a@b.example",
          userId: "new",
          password: "long-enough-pw",
        }),
        "CONFLICT",
      );
      // The failed customer left no account behind (one transaction).
      expect(await db.get(`SELECT user_id FROM accounts WHERE user_id = 'new'`)).toBeUndefined();
      const device = await refused(
        portal.registry.addDevice(OPERATOR, {
          model: "M",
          serial: "S-9",
          counters: ["mono", "mono"],
          consumables: ["toner:colour:0"],
        }),
        "BAD_INPUT",
      );
      expect(device.details).toEqual([
        "a counter is named twice",
        '"toner:colour:0": "colour" is not one of the device\'s counters',
        '"toner:colour:0": the rated yield must be a whole number > 0',
      ]);
      await refused(
        portal.registry.addInstallation(OPERATOR, {
          id: "X-1",
          serial: "MX-1",
          customerId: "BETA",
          site: "s",
        }),
        "CONFLICT",
      );
      const contract = await refused(
        portal.registry.setContract(OPERATOR, {
          installationId: "ACME-1",
          period: "weekly",
          readingDay: 31,
          start: "2026-1-1",
          fee: -1,
          terms: "scans: 5 included",
        }),
        "BAD_INPUT",
      );
      expect(contract.details).toEqual([
        "the period is one of monthly, bimonthly, quarterly, semiannual, annual",
        "the reading day is 1 to 28",
        "the start is a YYYY-MM-DD date of the calendar",
        "the fee is a whole amount in cents, 0 or more",
        'the device has no counter "scans"',
      ]);
    }));

  it("keeps the lab's and the customers' fiscal data, refused with a message per field when wrong", () =>
    withRig(async ({ portal }) => {
      const lab = SAMPLE_LAB;
      const wrong = await refused(
        portal.registry.setLab(OPERATOR, {
          ...lab,
          vatNumber: "01234567890",
          postcode: "2012",
          province: "Milano",
        }),
        "BAD_INPUT",
      );
      expect(wrong.details).toEqual([
        "VAT number: this VAT number's check digit is wrong",
        "postcode: a postcode (CAP) is 5 digits",
        "province: 2 capital letters (MI, RM...)",
      ]);
      expect(await portal.registry.lab(OPERATOR)).toBeUndefined();
      await portal.registry.setLab(OPERATOR, lab);
      expect(await portal.registry.lab(OPERATOR)).toEqual(lab);
      const acme = { ...lab, name: "Acme Srl", vatNumber: undefined, taxCode: "RSSMRA85T10A562S" };
      const noWay = await refused(portal.registry.setCustomerFiscal(OPERATOR, "ACME", acme), "BAD_INPUT");
      expect(noWay.details).toEqual([
        "recipient code: a recipient code or a PEC address, where the invoice is sent",
      ]);
      await portal.registry.setCustomerFiscal(OPERATOR, "ACME", { ...acme, recipientCode: "M5UXCR1" });
      expect(await portal.registry.customerFiscal(OPERATOR, "ACME")).toMatchObject({
        recipientCode: "M5UXCR1",
      });
      await refused(portal.registry.setCustomerFiscal(OPERATOR, "NOPE", acme), "NOT_FOUND");
      const customer = await portal.login("acme", "acme-password");
      await refused(portal.registry.lab(customer), "FORBIDDEN");
    }));

  it("issues a month's invoices once, numbered per year without gaps even when two runs race; a credit note cancels one", () =>
    withRig(async ({ portal }) => {
      await portal.imports.csv(OPERATOR, HISTORY);
      // two runs of the same month at once: two invoices between them, numbers 1 and 2, no more
      const [a, b] = await Promise.all([
        portal.invoices.issue(OPERATOR, "2026-02"),
        portal.invoices.issue(OPERATOR, "2026-02"),
      ]);
      const issued = [...a, ...b];
      expect(issued.map((i) => [i.customerId, i.number]).sort()).toEqual([
        ["ACME", issued.find((i) => i.customerId === "ACME")?.number],
        ["BETA", issued.find((i) => i.customerId === "BETA")?.number],
      ]);
      expect(issued.map((i) => i.number).sort()).toEqual(["2026/1", "2026/2"]);
      expect(await portal.invoices.issue(OPERATOR, "2026-02")).toEqual([]);
      // ACME: fee 5000, 500 mono pages over 1000 at 1 cent, colour within; VAT 22 %
      const summary = issued.find((i) => i.customerId === "ACME");
      expect(summary?.total).toBe(6710);
      const acme = (await portal.invoices.list(OPERATOR)).find((i) => i.number === summary?.number);
      expect(acme).toMatchObject({ documentType: "TD01", taxable: 5500, tax: 1210, total: 6710 });
      // a correction is a credit note citing the invoice, under the next number; the invoice stays
      const note = await portal.invoices.creditNote(OPERATOR, acme?.number as string);
      expect(note).toMatchObject({
        number: "2026/3",
        documentType: "TD04",
        cancels: acme?.number,
        total: 6710,
      });
      await refused(portal.invoices.creditNote(OPERATOR, acme?.number as string), "CONFLICT");
      await refused(portal.invoices.creditNote(OPERATOR, "2026/99"), "NOT_FOUND");
      const all = await portal.invoices.list(OPERATOR);
      expect(all.map((i) => i.number)).toEqual(["2026/1", "2026/2", "2026/3"]);
      expect(all.find((i) => i.number === acme?.number)).toEqual(acme);
    }));

  it("keeps only scrypt hashes of passwords, and refuses wrong ones as it refuses unknown users", () =>
    withRig(async ({ portal, db }) => {
      const rows = await db.all<{ password_hash: string }>(`SELECT password_hash FROM accounts`);
      expect(rows).toHaveLength(3);
      for (const r of rows) expect(r.password_hash).toMatch(/^scrypt\$16384\$8\$1\$/);
      const everything = JSON.stringify(
        await Promise.all(["accounts", "customers", "settings"].map((t) => db.all(`SELECT * FROM ${t}`))),
      );
      for (const clear of ["operator-password", "acme-password", "beta-password"])
        expect(everything).not.toContain(clear);
      const wrong = await refused(portal.login("acme", "beta-password"), "UNAUTHENTICATED");
      const unknown = await refused(portal.login("nobody", "acme-password"), "UNAUTHENTICATED");
      expect(wrong.message).toBe(unknown.message);
      expect(await migrate(db)).toBe(0);
    }));
});
