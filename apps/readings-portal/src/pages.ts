import type { Contract } from "@vendkit/metering";
import type { BillingRun } from "./billing-run.js";
import { usageChart } from "./chart.js";
import type { FiscalData } from "./fiscal.js";
import { html, money, type Raw, raw } from "./html.js";
import type { IssuedInvoice } from "./invoices.js";
import type { BoardRow, Principal, Review } from "./portal.js";
import type { InstallationRow, StoredReading } from "./store.js";
import { formatTerms } from "./terms.js";

const STYLE = `body{font-family:system-ui,sans-serif;margin:0;color:#222}header{background:#24415e;color:#fff;padding:.6em 1em;display:flex;gap:1.2em;align-items:center}
header a{color:#fff}main{padding:1em;max-width:1100px}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left}
.missing{background:#fde2e2}.anomalous{background:#fff1c2}.received{background:#dff3e2}.late{background:#e6ecf7}.error{color:#a00;border:1px solid #a00;padding:.5em}
.muted{color:#666}form.box{border:1px solid #ccc;padding:.6em;margin:.6em 0;max-width:640px}label{display:block;margin:.3em 0}[hidden]{display:none!important}input,select,textarea{font:inherit}
textarea{width:100%}button{font:inherit;padding:.2em .8em}`;

export function page(title: string, body: Raw, who?: Principal, csrf?: string): string {
  const nav =
    who === undefined
      ? html``
      : who.role === "operator"
        ? html`<a href="/operator">Board</a><a href="/operator/manage">Registry</a><a href="/operator/import">Import</a><a href="/operator/billing">Billing</a><a href="/invoices">Invoices</a>`
        : html`<a href="/customer">My installations</a><a href="/invoices">My invoices</a>`;
  const out =
    who === undefined || csrf === undefined
      ? html``
      : html`<form method="post" action="/logout" style="margin-left:auto"><input type="hidden" name="csrf" value="${csrf}"><button>Log out ${who.role === "customer" && who.only ? "" : who.userId}</button></form>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${html`${title}`.html} · readings portal</title><style>${STYLE}</style></head>
<body><header><strong>Readings portal</strong>${nav.html}${out.html}</header><main><h1>${html`${title}`.html}</h1>${body.html}</main></body></html>`;
}

export const problems = (list: readonly string[]): Raw =>
  list.length === 0
    ? html``
    : html`<div class="error" role="alert"><ul>${list.map((p) => html`<li>${p}</li>`)}</ul></div>`;

export function loginPage(csrf: string, error?: string, userId = "", next?: string): string {
  return page(
    "Log in",
    html`${problems(error ? [error] : [])}
<form class="box" method="post" action="/login"><input type="hidden" name="csrf" value="${csrf}">${next ? html`<input type="hidden" name="next" value="${next}"><p>Log in to enter the reading the e-mail asked for.</p>` : html``}
<label>User id <input name="userId" autocomplete="username" value="${userId}" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button>Log in</button></form>`,
  );
}

export function boardPage(
  who: Principal,
  csrf: string,
  rows: readonly BoardRow[],
  today: string,
  sent?: string,
): string {
  return page(
    "Readings board",
    html`<p>Today ${today}. ${sent ?? ""}</p>
<form method="post" action="/operator/scheduler"><input type="hidden" name="csrf" value="${csrf}"><button>Send due requests and reminders now</button></form>
<table><thead><tr><th>Installation</th><th>Customer</th><th>Device</th><th>Reading day</th><th>Status</th><th>Mails</th><th>Last reading</th><th>To check</th></tr></thead><tbody>
${rows.map(
  (r) => html`<tr class="${r.status}"><td>${r.installation.id}</td><td>${r.installation.customerName}</td>
<td>${r.installation.device.model} ${r.installation.device.serial}</td><td>${r.due ?? "—"}</td><td>${r.status}</td><td>${r.mails}</td>
<td>${r.last ? `${r.last.date} (${r.last.source})` : "—"}</td><td>${r.last?.findings.join("; ") ?? ""}</td></tr>`,
)}</tbody></table>`,
    who,
    csrf,
  );
}

const PERIODS = ["monthly", "bimonthly", "quarterly", "semiannual", "annual"];

/** The fields of fiscal data (FatturaPA), each with the value `value` gives it. */
const fiscalInputs = (value: (name: string) => string): Raw =>
  html`${(
    [
      ["name", "Legal name"],
      ["vatNumber", "VAT number (partita IVA)"],
      ["taxCode", "Tax code (codice fiscale)"],
      ["recipientCode", "Recipient code (codice destinatario)"],
      ["pec", "PEC address"],
      ["street", "Street"],
      ["postcode", "Postcode (CAP)"],
      ["city", "City"],
      ["province", "Province"],
      ["country", "Country"],
    ] as const
  ).map(([name, label]) => html`<label>${label} <input name="${name}" value="${value(name)}"></label>`)}`;

export function managePage(
  who: Principal,
  csrf: string,
  data: {
    customers: { id: string; name: string; email: string }[];
    devices: { serial: string; model: string; counters: readonly string[] }[];
    installations: InstallationRow[];
    contracts: Map<string, Contract | undefined>;
    lab?: FiscalData | undefined;
  },
  errors: readonly string[] = [],
  done?: string,
  /** The form that was refused and what was typed in it, shown again (passwords excepted). */
  typed?: { readonly form: string; readonly values: Readonly<Record<string, string | undefined>> },
): string {
  const hidden = html`<input type="hidden" name="csrf" value="${csrf}">`;
  const was = (form: string, name: string, otherwise = "") =>
    typed?.form === form ? (typed.values[name] ?? otherwise) : otherwise;
  const chosen = (form: string, name: string, value: string) =>
    was(form, name) === value ? html` selected` : html``;
  return page(
    "Registry",
    html`${problems(errors)}${done ? html`<p role="status">${done}</p>` : html``}
<h2>Customers</h2><table><tr><th>Code</th><th>Name</th><th>E-mail</th></tr>${data.customers.map((c) => html`<tr><td>${c.id}</td><td>${c.name}</td><td>${c.email}</td></tr>`)}</table>
<form class="box" method="post" action="/operator/customers" id="new-customer">${hidden}<strong>New customer and its account</strong>
<label>Code <input name="id" value="${was("new-customer", "id")}" required></label><label>Name <input name="name" value="${was("new-customer", "name")}" required></label><label>E-mail <input name="email" type="email" value="${was("new-customer", "email")}" required></label>
<label>User id <input name="userId" value="${was("new-customer", "userId")}" required></label><label>Password (10+ characters) <input name="password" type="password" required></label><button>Create customer</button></form>
<h2>Devices</h2><table><tr><th>Serial</th><th>Model</th><th>Counters</th></tr>${data.devices.map((d) => html`<tr><td>${d.serial}</td><td>${d.model}</td><td>${d.counters.join(", ")}</td></tr>`)}</table>
<form class="box" method="post" action="/operator/devices" id="new-device">${hidden}<strong>New device</strong>
<label>Model <input name="model" value="${was("new-device", "model")}" required></label><label>Serial <input name="serial" value="${was("new-device", "serial")}" required></label>
<label>Counters (comma-separated) <input name="counters" placeholder="mono, colour" value="${was("new-device", "counters")}" required></label>
<label>Consumables, one per line: name:counter:rated yield <textarea name="consumables" rows="2" placeholder="toner-black:mono:20000">${was("new-device", "consumables")}</textarea></label><button>Register device</button></form>
<h2>Installations and contracts</h2><table><tr><th>Code</th><th>Customer</th><th>Device</th><th>Site</th><th>Contract</th></tr>
${data.installations.map((i) => {
  const c = data.contracts.get(i.id);
  return html`<tr><td>${i.id}</td><td>${i.customerId}</td><td>${i.device.serial}</td><td>${i.site}</td>
<td>${c ? `${c.period} from ${c.start}, reading day ${c.readingDay}, fee ${money(c.fee)}; ${formatTerms(c.terms).replace(/\n/g, " | ")}` : "none"}</td></tr>`;
})}</table>
<form class="box" method="post" action="/operator/installations" id="new-installation">${hidden}<strong>New installation</strong>
<label>Code <input name="id" value="${was("new-installation", "id")}" required></label>
<label>Device <select name="serial">${data.devices.map((d) => html`<option${chosen("new-installation", "serial", d.serial)}>${d.serial}</option>`)}</select></label>
<label>Customer <select name="customerId">${data.customers.map((c) => html`<option value="${c.id}"${chosen("new-installation", "customerId", c.id)}>${c.id} ${c.name}</option>`)}</select></label>
<label>Site <input name="site" value="${was("new-installation", "site")}" required></label><button>Install</button></form>
<form class="box" method="post" action="/operator/contracts" id="contract">${hidden}<strong>Contract</strong>
<label>Installation <select name="installationId">${data.installations.map((i) => html`<option${chosen("contract", "installationId", i.id)}>${i.id}</option>`)}</select></label>
<label>Period <select name="period">${PERIODS.map((p) => html`<option${chosen("contract", "period", p)}>${p}</option>`)}</select></label>
<label>Reading day (1-28) <input name="readingDay" type="number" min="1" max="28" value="${was("contract", "readingDay", "1")}"></label>
<label>Start <input name="start" type="date" value="${was("contract", "start")}" required></label>
<label>Fee per period (cents) <input name="fee" type="number" min="0" value="${was("contract", "fee", "0")}"></label>
<label>Minimum charge (cents, optional) <input name="minimumCharge" type="number" min="0" value="${was("contract", "minimumCharge")}"></label>
<label>Terms <textarea name="terms" rows="3" placeholder="mono: 5000 included; 80/100 up to 20000; 60/100">${was("contract", "terms")}</textarea></label>
<button>Save contract</button></form>
<form class="box" method="post" action="/operator/replacements" id="replacement">${hidden}<strong>Meter replacement</strong>
<label>Installation <select name="installationId">${data.installations.map((i) => html`<option${chosen("replacement", "installationId", i.id)}>${i.id}</option>`)}</select></label>
<label>Counter <input name="counter" value="${was("replacement", "counter")}" required></label>
<label>Old meter's final value <input name="oldFinal" type="number" min="0" value="${was("replacement", "oldFinal")}" required></label>
<label>New meter's starting value <input name="newStart" type="number" min="0" value="${was("replacement", "newStart", "0")}" required></label>
<button>Record replacement</button></form>
<h2>Invoicing: fiscal data</h2>
<form class="box" method="post" action="/operator/lab" id="lab">${hidden}<strong>The lab (the invoices' sender)</strong>
${fiscalInputs((name) => was("lab", name, (data.lab?.[name as keyof FiscalData] as string | undefined) ?? (name === "country" ? "IT" : "")))}
<button>Save the lab's data</button></form>
<form class="box" method="post" action="/operator/customer-fiscal" id="customer-fiscal">${hidden}<strong>A customer (an invoice's recipient)</strong>
<label>Customer <select name="customerId">${data.customers.map((c) => html`<option value="${c.id}"${chosen("customer-fiscal", "customerId", c.id)}>${c.id} ${c.name}</option>`)}</select></label>
${fiscalInputs((name) => was("customer-fiscal", name, name === "country" ? "IT" : ""))}
<button>Save the customer's data</button></form>`,
    who,
    csrf,
  );
}

export function importPage(who: Principal, csrf: string, installations: InstallationRow[]): string {
  return page(
    "Import readings",
    html`<p>A CSV in the exchange format (<code>installation,date,&lt;counter&gt;…,level:&lt;consumable&gt;…</code>), such as the
attachment of a confirmed reading's e-mail, or an EVA-DTS audit file. Importing the same file again changes nothing.</p>
<form class="box" id="import"><label>File <input type="file" name="file" multiple required></label>
<label>Kind <select name="kind"><option value="csv">Readings CSV</option><option value="evadts">EVA-DTS audit</option><option value="evadts-zip">EVA-DTS audits (zip: a route's day, each matched by machine serial)</option></select></label>
<label>Installation (EVA-DTS only; by default the one whose device serial is the audit's machine serial)
<select name="installation"><option value="">from the audit</option>${installations.map((i) => html`<option>${i.id}</option>`)}</select></label>
<label id="date-field" hidden>Reading date, for an audit that carries none (ID5) <input type="date" name="date"></label>
<button>Import</button></form>
<table id="results" hidden><thead><tr><th>Line or file</th><th>Installation</th><th>Date</th><th>Outcome</th><th>Receipt</th><th>Messages</th></tr></thead><tbody></tbody></table>
<p id="import-error" class="error" hidden></p>
<script>
const form = document.getElementById("import");
// an audit without a date (ID5): the form asks for the reading date, next to the file
function askFor(field) {
  if (field !== "date") return;
  const label = document.getElementById("date-field");
  label.hidden = false;
  label.className = "error";
  form.date.required = true;
  form.date.focus();
}
form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const q = new URLSearchParams({ kind: form.kind.value, installation: form.installation.value, date: form.date.value });
  const err = document.getElementById("import-error");
  // several files (a folder's worth of audits): one upload each, their results in one table
  const results = [];
  for (const file of form.file.files) {
    const upload = new FormData();
    upload.append("file", file, file.name);
    const res = await fetch("/operator/import?" + q, { method: "POST", headers: { "x-csrf-token": ${raw(JSON.stringify(csrf))} }, body: upload });
    const body = await res.json();
    if (!res.ok && form.file.files.length === 1) { err.textContent = body.message; err.hidden = false; askFor(body.field); return; }
    if (!res.ok) results.push({ file: file.name, outcome: "refused", messages: [body.message], field: body.field });
    else for (const r of body.results) results.push(form.file.files.length > 1 && r.file === undefined ? { ...r, file: file.name } : r);
  }
  err.hidden = true;
  askFor(results.find((r) => r.field !== undefined)?.field);
  const table = document.getElementById("results");
  const tbody = table.querySelector("tbody");
  tbody.textContent = "";
  for (const r of results) {
    const tr = tbody.insertRow();
    for (const v of [r.file ?? r.line, r.installationId ?? "", r.date ?? "", r.outcome, r.receipt ?? "", r.messages.join("; ")]) tr.insertCell().textContent = v;
    tr.className = r.outcome;
  }
  table.hidden = false;
});
</script>`,
    who,
    csrf,
  );
}

export function billingPage(who: Principal, csrf: string, run: BillingRun): string {
  return page(
    `Billing ${run.month}`,
    html`<form method="get" action="/operator/billing"><label>Periods ending in <input type="month" name="month" value="${run.month}"></label> <button>Show</button></form>
<p><a id="billing-csv" href="/operator/billing.csv?month=${run.month}" download="billing-${run.month}.csv">Export the billing lines (CSV)</a> · total ${money(run.total)}</p>
<form method="post" action="/operator/invoices"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="month" value="${run.month}">
<button id="issue-invoices">Issue the invoices of ${run.month}</button> (one per customer; periods already invoiced are left out)</form>
<table><thead><tr><th>Installation</th><th>Customer</th><th>Period</th><th>Usage (excess)</th><th>Fee</th><th>Overage</th><th>Minimum</th><th>Total</th></tr></thead><tbody>
${run.entries.map((e) =>
  e.bill
    ? html`<tr><td>${e.installation.id}</td><td>${e.installation.customerName}</td><td>${e.from} → ${e.to}</td>
<td>${e.bill.lines.map((l) => `${l.counter} ${l.usage} (${l.excess})`).join(", ")}</td><td>${money(e.bill.fee)}</td><td>${money(e.bill.overage)}</td><td class="minimum">${money(e.bill.total - e.bill.fee - e.bill.overage)}</td><td>${money(e.bill.total)}</td></tr>`
    : html`<tr class="missing"><td>${e.installation.id}</td><td>${e.installation.customerName}</td><td>${e.from} → ${e.to}</td><td colspan="5">waiting for readings</td></tr>`,
)}</tbody></table>
<h2>Usage per installation</h2>${raw(usageChart(run))}`,
    who,
    csrf,
  );
}

export function customerHome(
  who: Principal,
  csrf: string,
  items: { installation: InstallationRow; last?: StoredReading }[],
): string {
  return page(
    "My installations",
    html`<table><thead><tr><th>Device</th><th>Site</th><th>Last reading</th><th></th></tr></thead><tbody>
${items.map(
  ({ installation: i, last }) => html`<tr><td>${i.device.model} ${i.device.serial}</td><td>${i.site}</td>
<td>${last ? `${last.date} (receipt ${last.receipt})` : "none yet"}</td><td><a href="/customer/installations/${encodeURIComponent(i.id)}">Enter a reading</a></td></tr>`,
)}</tbody></table>`,
    who,
    csrf,
  );
}

export function readingForm(
  who: Principal,
  csrf: string,
  inst: InstallationRow,
  values: Record<string, string>,
  errors: readonly string[],
  last?: StoredReading,
): string {
  return page(
    `Reading: ${inst.device.model} ${inst.device.serial}`,
    html`<p>${inst.site}. ${
      last
        ? `Last reading ${last.date}: ${Object.entries(last.counters)
            .map(([k, v]) => `${k} ${v}`)
            .join(", ")}.`
        : ""
    }</p>
${problems(errors)}
<form class="box" method="post" action="/customer/installations/${encodeURIComponent(inst.id)}"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="step" value="review">
${inst.device.counters.map((c) => html`<label>Counter “${c}” <input name="${c}" inputmode="numeric" pattern="[0-9]*" value="${values[c] ?? ""}" required></label>`)}
${inst.device.consumables.map((c) => html`<label>Level of ${c.name} (%) <input name="level:${c.name}" inputmode="numeric" value="${values[`level:${c.name}`] ?? ""}"></label>`)}
<button>Review</button></form>`,
    who,
    csrf,
  );
}

export function reviewPage(
  who: Principal,
  csrf: string,
  inst: InstallationRow,
  review: Review,
  values: Record<string, string>,
): string {
  const r = review.reading;
  return page(
    "Please confirm",
    html`<p>${inst.device.model} ${inst.device.serial} at ${inst.site}, reading of ${r.date}:</p>
<table>${Object.entries(r.counters).map(([k, v]) => html`<tr><th>${k}</th><td>${v}</td></tr>`)}
${Object.entries(r.consumables ?? {}).map(([k, v]) => html`<tr><th>${k}</th><td>${v}%</td></tr>`)}</table>
${Object.entries(r.replacements ?? {}).map(([k, v]) => html`<p>Meter “${k}” was replaced: the old one ended at ${v.oldFinal}, the new one started at ${v.newStart}.</p>`)}
${review.warnings.length > 0 ? html`<div class="error" role="alert"><p>Please double-check:</p><ul>${review.warnings.map((w) => html`<li>${w}</li>`)}</ul></div>` : html``}
<form method="post" action="/customer/installations/${encodeURIComponent(inst.id)}"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="step" value="confirm">
${Object.entries(values).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}<button id="confirm">Confirm</button></form>
<p><a href="/customer/installations/${encodeURIComponent(inst.id)}">Correct it</a></p>`,
    who,
    csrf,
  );
}

export function receiptPage(who: Principal, csrf: string, inst: InstallationRow, r: StoredReading): string {
  return page(
    "Receipt",
    html`<p>Thank you. Receipt <strong id="receipt">${r.receipt}</strong>: ${inst.device.model} ${inst.device.serial} at ${inst.site}, reading of ${r.date}, received ${r.receivedAt}.</p>
<table>${Object.entries(r.counters).map(([k, v]) => html`<tr><th>${k}</th><td>${v}</td></tr>`)}
${Object.entries(r.consumables ?? {}).map(([k, v]) => html`<tr><th>${k}</th><td>${v}%</td></tr>`)}</table>`,
    who,
    csrf,
  );
}

export function errorPage(status: number, message: string, who?: Principal, csrf?: string): string {
  return page(
    status === 404 ? "Not found" : "Sorry",
    html`${problems([message])}<p><a href="/">Home</a></p>`,
    who,
    csrf,
  );
}

export function invoicesPage(
  who: Principal,
  csrf: string,
  invoices: readonly IssuedInvoice[],
  done?: string,
): string {
  const cancelled = new Map(invoices.filter((i) => i.cancels).map((i) => [i.cancels as string, i.number]));
  const path = (i: IssuedInvoice) => `/invoices/${i.number}`;
  return page(
    who.role === "operator" ? "Invoices" : "My invoices",
    html`${done ? html`<p role="status">${done}</p>` : html``}
${who.role === "operator" && invoices.length > 0 ? html`<p><a id="invoices-zip" href="/invoices.zip" download="invoices.zip">Download them all (zip: XML and PDF)</a></p>` : html``}
<table id="invoices"><thead><tr><th>Number</th><th>Date</th><th>Customer</th><th>Document</th><th>Total</th><th>Status</th><th>Files</th></tr></thead><tbody>
${invoices.map(
  (
    i,
  ) => html`<tr><td>${i.number}</td><td>${i.date}</td><td>${i.customerId}</td><td>${i.documentType === "TD04" ? `credit note for ${i.cancels}` : "invoice"}</td>
<td>${money(i.total)}</td><td>${cancelled.has(i.number) ? `cancelled by ${cancelled.get(i.number)}` : "issued"}</td>
<td><a href="${path(i)}.pdf">PDF</a> <a href="${path(i)}.xml">XML</a>${
    who.role === "operator" && i.documentType === "TD01" && !cancelled.has(i.number)
      ? html` <form method="post" action="${path(i)}/credit-note" style="display:inline"><input type="hidden" name="csrf" value="${csrf}"><button>Credit note</button></form>`
      : html``
  }</td></tr>`,
)}</tbody></table>${invoices.length === 0 ? html`<p>No invoices yet.</p>` : html``}`,
    who,
    csrf,
  );
}
