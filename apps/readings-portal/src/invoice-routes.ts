import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { zipSync } from "fflate";
import { Type } from "typebox";
import { Empty, form } from "./form-schemas.js";
import { MONTH } from "./input-checks.js";
import * as pages from "./pages.js";
import type { Portal, Principal } from "./portal.js";

/** What the invoice pages use of the portal's web face (http.ts). */
export interface InvoicePages {
  readonly portal: Portal;
  operator(req: FastifyRequest): Principal;
  signedIn(req: FastifyRequest): Principal;
  csrf(req: FastifyRequest, reply: FastifyReply): string;
  html(reply: FastifyReply, status: number, content: string): FastifyReply;
}

const Year = Type.String({ pattern: "^[0-9]{4}$" });

/**
 * The invoice pages: the operator issues a month's invoices and sees all of them, a customer sees
 * its own; each downloads as PDF or FatturaPA XML, all of them as a zip (the operator).
 */
export function invoiceRoutes(fastify: FastifyInstance, web: InvoicePages): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { portal, operator, signedIn, csrf, html } = web;
  const list = async (req: FastifyRequest, reply: FastifyReply, who: Principal, said?: string) =>
    html(reply, 200, pages.invoicesPage(who, csrf(req, reply), await portal.invoices.visible(who), said));

  app.post(
    "/operator/invoices",
    { schema: { body: form({ month: Type.String({ pattern: MONTH.source }) }) } },
    async (req, reply) => {
      const who = operator(req);
      const issued = await portal.invoices.issue(who, req.body.month);
      return list(
        req,
        reply,
        who,
        issued.length === 0
          ? "No new invoice: every billed period is invoiced."
          : `Issued ${issued.map((i) => i.number).join(", ")}.`,
      );
    },
  );
  app.get("/invoices", (req, reply) => list(req, reply, signedIn(req)));
  app.get(
    "/invoices/:year/:file",
    {
      schema: {
        params: Type.Object({ year: Year, file: Type.String({ pattern: "^[0-9]{1,9}\\.(pdf|xml)$" }) }),
      },
    },
    async (req, reply) => {
      const who = signedIn(req);
      const [sequence, kind] = req.params.file.split(".") as [string, "pdf" | "xml"];
      const file = await portal.invoices.file(who, `${req.params.year}/${sequence}`, kind);
      return reply
        .type(file.type)
        .header("content-disposition", `attachment; filename="${file.name}"`)
        .send(Buffer.from(file.bytes));
    },
  );
  app.post(
    "/invoices/:year/:sequence/credit-note",
    {
      schema: {
        params: Type.Object({ year: Year, sequence: Type.String({ pattern: "^[0-9]{1,9}$" }) }),
        body: Empty,
      },
    },
    async (req, reply) => {
      const who = operator(req);
      const note = await portal.invoices.creditNote(who, `${req.params.year}/${req.params.sequence}`);
      return list(req, reply, who, `Issued credit note ${note.number}.`);
    },
  );
  app.get("/invoices.zip", async (req, reply) => {
    const who = operator(req);
    const files: Record<string, Uint8Array> = {};
    for (const i of await portal.invoices.visible(who))
      for (const kind of ["xml", "pdf"] as const) {
        const f = await portal.invoices.file(who, i.number, kind);
        files[f.name] = f.bytes;
      }
    return reply
      .type("application/zip")
      .header("content-disposition", 'attachment; filename="invoices.zip"')
      .send(Buffer.from(zipSync(files)));
  });
}
