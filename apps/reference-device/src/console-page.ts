import { ERROR_CODES, formatAmount, PRICING_MONEY_NUMBERS, parseAmount } from "@vendkit/mizip-core";

/**
 * The programmer console's page: plain HTML and a little script over the JSON API of
 * console.ts. Sections follow manual ch. 9: programming (parameters by number, prices), key management
 * (the reader's demo keys, credit from the programmer), special keys (setup, black list, data), statistics (with sales per price line),
 * Maxi Box (per-key transactions), and the audit download.
 */
export const CONSOLE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>vendkit reference device — programmer</title>
<style>
body{font:14px system-ui,sans-serif;margin:1.5em;max-width:60em}
section{border:1px solid #ccc;border-radius:6px;padding:.5em 1em;margin:1em 0}
table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #eee;text-align:left}
.error{color:#b00}.ok{color:#070}.warn{color:#a60}
#status{position:sticky;top:0;background:#fff;padding:.4em 0;border-bottom:1px solid #ccc;z-index:1}
[hidden]{display:none!important}#views a{margin-right:1em}#views a.current{font-weight:bold;text-decoration:none;color:#000}
</style></head><body>
<h1>vendkit reference device</h1>
<p id="factory-banner" class="warn" hidden>The programmer password (009) is the factory 0: anyone who reaches this console can
load credit and change the codes. Set one under Programming (parameter 9).</p>
<p id="login" hidden>This console asks for the programmer password (009) once:
<input id="login-password" type="password" autocomplete="current-password"> <button id="login-go">Log in</button>
<span id="login-message"></span></p>
<nav id="views"><!-- manual ch. 9's menus, in the programmer's Italian and in English -->
<a href="#keys">GESTIONE CHIAVI · Key management</a> <a href="#programming">PROGRAMMAZIONE · Programming</a>
<a href="#prices">PREZZI VENDITA · Sale prices</a> <a href="#extra">EXTRA</a>
<a href="#statistics">STATISTICHE · Statistics</a> <a href="#maxibox">MAXI BOX</a>
<a href="#vmc">Distributore simulato · Simulated VMC</a></nav>
<p id="status">Reader: <b id="reader-state">…</b> · cash credit <b id="cash">…</b> · key in: <b id="inserted">none</b> <b id="key-status" class="error"></b></p>

<section id="keys" data-view="keys"><h2>Key management</h2>
<table id="key-table"></table>
<p><button id="remove-key">Take the key out</button></p>
<p>Format key <input id="format-index" type="number" min="1" max="3" value="1">
(this operator's or the previous operator's key, 008; it takes the reader's codes):
<label><input id="format-program-number" type="checkbox" checked> program key number</label>
<input id="format-number" type="number" min="1" max="9999999" value="1">
<label><input id="format-program-credit" type="checkbox"> program credit</label>
<input id="format-credit" class="money" inputmode="decimal" size="8" placeholder="credit">
<input id="format-password" type="password" placeholder="password">
<button id="format-key">Format</button> <span id="format-message"></span></p>
<p>Key in the reader (manual 4.14.1): <span id="key-report">none</span></p>
<p>Set on it: bonus-1 tokens <input id="modify-bonus1" type="number" min="0" max="7" size="4">
bonus-2 tokens <input id="modify-bonus2" type="number" min="0" max="127" size="4">
loyalty points <input id="modify-points" type="number" min="0" max="65535" size="6">
<input id="modify-password" type="password" placeholder="password">
<button id="key-modify">Write</button> <span id="modify-message"></span></p>
<p>Load credit on the key in the reader:
<input id="recharge-amount" class="money" inputmode="decimal" size="8" placeholder="amount">
<input id="recharge-password" type="password" placeholder="password">
<button id="recharge">Load</button> <span id="recharge-message"></span></p>
</section>

<section id="special" data-view="keys"><h2>Special keys</h2>
<p>Setup key (manual 4.10.11): <button id="special-setup-load">Load with these settings</button>
<button data-special="setup">Insert</button></p>
<p>Black-list key (4.12): <select id="special-black-mode"><option value="1">50 keys</option>
<option value="2" selected>500 keys</option></select>
key numbers <input id="special-black-keys" size="30" placeholder="e.g. 12, 40-45">
<button id="special-black-load">Load</button> <button data-special="black-list">Insert</button></p>
<p>Data key (7.3.4): <button data-special="data">Insert (collects the statistics)</button>
<button id="special-data-read">Read it in the office</button>
<a id="data-link" download="data-key.eva" hidden>data-key.eva</a></p>
<p id="special-message"></p></section>

<section id="customer" data-view="vmc"><h2>Customer (simulated VMC)</h2>
<p id="selections"></p><p id="cash-in"></p><p id="sale"></p></section>

<section id="programming" data-view="programming"><h2>Programming</h2>
<p>Parameter <input id="param-number" type="number" placeholder="number, e.g. 40003">
value <input id="param-value" type="number">
<input id="param-password" type="password" placeholder="password (000, 009)">
<button id="param-save">Save</button> <span id="param-message"></span></p>
<table id="param-table"></table></section>

<section id="clock" data-view="programming"><h2>Clock</h2>
<p>The reader's clock: <b id="clock-shown"></b> (<span id="clock-zone"></span>)<br>
time zone <input id="clock-zone-value" placeholder="Europe/Rome"> date and time <input id="clock-value" type="datetime-local">
<button id="clock-save">Set</button> <span id="clock-message"></span>
<br><small>Happy hours, out-of-service bands, daily limits, bonus periods and the audit run on this clock (manual 8.1).</small></p></section>

<section id="codes" data-view="programming"><h2>Codes and black list</h2>
<p>Machine code <input id="machine-code" size="12"> reader code <input id="reader-code" size="6">
<button id="codes-save">Save codes</button></p>
<p>Black list (<span id="black-list-mode"></span>): <span id="black-list"></span><br>
key number <input id="black-key" type="number" min="1"> <button id="black-add">Add</button>
<button id="black-remove">Remove</button> <span id="codes-message"></span></p></section>

<section id="prices" data-view="prices"><h2>Prices</h2>
<p>Table <select id="price-table"><option value="cash">cash</option><option value="0">key 0</option>
<option value="1">key 1</option><option value="2">key 2</option><option value="3">key 3</option></select>
line <input id="price-line" type="number" min="1" max="100"> price <input id="price-value" class="money" inputmode="decimal" size="8">
<button id="price-save">Save</button> <span id="price-message"></span>
<br><small>After a price change, collect the statistics and reset the historic data (manual 7).</small></p>
<p>Name of line <input id="name-line" type="number" min="1" max="100"> <input id="name-value" maxlength="8" placeholder="up to 8 characters">
<button id="name-save">Save</button> (manual 4.4.7: in the Plus audits)</p>
<table id="price-table-view"></table></section>

<section id="extra" data-view="extra"><h2>EXTRA functions</h2>
<p>The conversion table (4.4.6: each line's machine selection number, MDB with price holding),
limits, bonus 1-3, loyalty, promotions, happy hours and out-of-service bands (manual ch. 8), as
JSON; what you send is merged into the settings (objects by key, lists by position) and checked
whole. Times of day are minutes after midnight; amounts (bonus 1 credit, loyalty credit back) are
in currency units, as the programmer shows money.</p>
<textarea id="extra-json" rows="8" cols="90" spellcheck="false"></textarea><br>
<button id="extra-save">Save</button> <button id="extra-load">Show current</button> <span id="extra-message"></span></section>

<section id="statistics" data-view="statistics"><h2>Statistics</h2>
<svg id="chart" width="480" height="200" role="img" aria-label="sales per price line, cash and key"></svg>
<svg id="hours-chart" width="480" height="200" role="img" aria-label="sales per hour of the day"></svg>
<p><button id="stat-reset">Reset historic data</button> (AZZERAMENTO STATISTICHE: after collecting,
whenever prices, coin or bill values or the codes change, and to release the check-audit lock)
<span id="stat-message"></span></p>
<table id="stat-table"></table>
<h3>VMC audit pairs</h3>
<p><small>What an Executive VMC handed over (AUDIT, SEND AUDIT ADDRESS / DATA), raw: the manual gives them no meaning.</small></p>
<table id="vmc-audit-table"></table></section>

<section id="maxibox" data-view="maxibox"><h2>Maxi Box</h2>
<p>Key number <input id="maxibox-key" type="number" value="1"> <button id="maxibox-read">Transactions</button></p>
<pre id="maxibox-lines"></pre></section>

<section id="audit" data-view="statistics"><h2>Audit (EVA-DTS)</h2>
<p><button id="audit-download">Collect and download</button> <span id="audit-progress"></span>
<a id="audit-link" download="audit.eva" hidden>audit.eva</a></p></section>

<script>
const $ = (id) => document.getElementById(id);
// every change carries the console session's token (console.ts puts it in the page)
const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
// the console's language follows LINGUA (40105): 0 italiano; English otherwise (1 UK, 2 US; the
// other languages it lists fall back to English). The page's own labels, buttons and messages are
// translated; the manual's explanations and the library's refusals stay in English.
const IT = {
  "Programming": "Programmazione", "Statistics": "Statistiche", "Maxi Box": "Maxi Box", "Reader:": "Lettore:",
  "· cash credit": "· credito contante", "· key in:": "· chiave inserita:", "Key management": "Gestione chiavi", "Special keys": "Chiavi speciali",
  "Customer (simulated VMC)": "Cliente (distributore simulato)", "Clock": "Orologio", "Codes and black list": "Codici e black list",
  "Prices": "Prezzi vendita", "EXTRA functions": "Funzioni EXTRA", "Audit (EVA-DTS)": "Raccolta statistiche (EVA-DTS)",
  "VMC audit pairs": "Coppie audit del distributore", "Add": "Aggiungi", "Collect and download": "Raccogli e scarica",
  "Format": "Formatta", "Insert": "Inserisci", "Insert (collects the statistics)": "Inserisci (raccoglie le statistiche)",
  "Load": "Carica", "Load with these settings": "Carica con queste impostazioni", "Log in": "Accedi",
  "Read it in the office": "Leggila in ufficio", "Remove": "Togli", "Reset historic data": "Azzeramento statistiche",
  "Save": "Salva", "Save codes": "Salva codici", "Set": "Imposta", "Show current": "Mostra attuali",
  "Take the key out": "Estrai la chiave", "Transactions": "Transazioni", "Write": "Scrivi",
  "UID": "UID", "address": "indirizzo", "cash": "contanti", "counter": "contatore", "credit": "credito", "default": "predefinito",
  "historic": "storico", "key 0": "chiave 0", "key 1": "chiave 1", "key 2": "chiave 2", "key 3": "chiave 3", "key": "chiave",
  "line": "linea", "manual": "manuale", "name": "nome", "number": "numero", "period": "periodo", "range": "campo",
  "times read": "letture", "unit": "unità", "value": "valore", "amount": "importo", "count": "numero",
  "none": "nessuna", "saved": "salvato", "logged in": "accesso eseguito", "refused": "rifiutata", "paid": "pagata",
  "selection": "selezione", "credit now": "credito ora", "written": "scritto",
  "the key left before the write was done": "la chiave è stata estratta prima della scrittura",
  "formatted as key": "formattata come chiave", "set:": "impostato:", "historic data reset": "dati storici azzerati",
  "key refused": "chiave rifiutata", "parameter error": "errore parametro", "this needs the password": "serve la password",
  "press Save again to confirm:": "premi di nuovo Salva per confermare:", "price line": "linea prezzo",
  "sales (historic)": "vendite (storico)", "hour of the day": "ora del giorno", "sales": "vendite", "Selection": "Selezione", "coin": "moneta", "bill": "banconota",
};
let lang = "en";
const tr = (text) => (lang === "it" && IT[text]) || text;
/** The page's own words in the current language (each element remembers its English). */
function translate() {
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    if (n.parentElement.closest("script, pre, td.value, #param-table td")) continue;
    n.en ??= n.nodeValue;
    const word = n.en.trim();
    if (IT[word] === undefined) continue;
    n.nodeValue = n.en.replace(word, tr(word));
  }
  document.documentElement.lang = lang;
}
const formatAmount = ${formatAmount.toString()};
const parseAmount = ${parseAmount.toString()};
// the programmer's error codes (manual 7.5 list 14), as a refused key shows them
const ERROR_CODES = ${JSON.stringify(ERROR_CODES)};
// the pricing numbers whose value is money (prices, bonus 1 credit), typed by number as well
const PRICING_MONEY_NUMBERS = ${JSON.stringify(PRICING_MONEY_NUMBERS)};
// prices and credits as the programmer shows them: 30004 decimals, 40114 SEPARATORE (4.10.14)
let amountFormat = { decimals: 2, separator: 2 };
const money = (n) => n === undefined || n === null ? "—" : formatAmount(n, amountFormat.decimals, amountFormat.separator);
const text = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => "&#" + c.charCodeAt(0) + ";");
async function call(method, path, data) {
  const r = await fetch(path, { method, headers: { "content-type": "application/json", "x-csrf-token": csrfToken },
    body: method === "GET" ? undefined : JSON.stringify(data ?? {}) });
  const json = await r.json();
  if (!r.ok) throw Object.assign(new Error(json.message), json);
  return json;
}
function say(el, text, ok) { el.textContent = text; el.className = ok ? "ok" : "error"; }
const passwordOf = (el) => el.value === "" ? undefined : Number(el.value);
// money is typed as it is shown, in currency units (30004, 40114); the API takes the smallest unit
// an empty field changes nothing: it is never sent as 0
function numberOf(el, what) {
  const v = el.value.trim();
  if (v === "") throw new Error(what + ": empty — type a number (nothing was changed)");
  if (!/^[0-9]+$/.test(v)) throw new Error(what + ": " + v + " is not a whole number");
  return Number(v);
}
// the settings that lock keys out or change what every amount means: said, then done on a
// second press of the same button with the same value
const CONFIRM = {
  0: (old) => "keys coded for operator " + old + " will be refused: E 2 (" + ERROR_CODES[2] + ") until they are formatted (008 names the operator code they are taken from)",
  1: (old) => "keys coded for customer " + old + " will be refused: E 2 (" + ERROR_CODES[2] + ")",
  2: (old) => "keys coded for department " + old + " will be refused: E 2 (" + ERROR_CODES[2] + ")",
  9: (old, v) => v === 0 ? "the password is removed: anyone at this console can load credit and change the codes"
    : "credit from the programmer, recharge-key uses, the operator code and the audit codes will ask for this password; the console cannot show it again",
  30004: (old, v) => "every price and credit is shown and typed with " + v + " decimals (1.50 becomes " + formatAmount(150, v, amountFormat.separator || 2) + "); the VMC must use the same decimal point",
  30013: (old, v) => "the VMC reads the currency " + v.toString(16).toUpperCase() + " at its next SETUP: its prices and credit are read in it",
};
let pending;
/** The EXTRA settings with their amounts (bonus 1 credit, loyalty credit back) passed through f. */
function extraMoney(extra, f) {
  const out = structuredClone(extra);
  for (const level of out.bonus1?.levels ?? []) if (level && "credit" in level) level.credit = f(level.credit);
  if (Array.isArray(out.loyalty?.creditPerLine)) out.loyalty.creditPerLine = out.loyalty.creditPerLine.map(f);
  return out;
}
function amountOf(el, what) {
  const v = parseAmount(el.value, amountFormat.decimals, amountFormat.separator);
  if (v === undefined || v < 0) throw new Error(what + ": type an amount as the programmer shows it, e.g. " + money(150));
  return v;
}

/**
 * A bar chart's frame: the y axis scaled to whole numbers up to \`max\` with its grid and ticks, the
 * x axis with \`slots\` places, both axes named (\`id\`-x, \`id\`-y); and where a bar goes.
 */
function plot(max, slots, id, xName, yName) {
  const [x0, y0, width, height] = [50, 160, 400, 130];
  const top = Math.max(1, Math.ceil(max / 4) * 4);
  const y = (v) => y0 - (v / top) * height;
  const w = width / slots;
  const ticks = [0, top / 4, top / 2, (3 * top) / 4, top].filter((t, i, all) => Number.isInteger(t) && all.indexOf(t) === i);
  const frame = ticks.map((t) => "<line x1=" + (x0 - 4) + " x2=" + (x0 + width) + " y1=" + y(t) + " y2=" + y(t) + " stroke=#ddd></line>" +
      "<text class=tick x=" + (x0 - 8) + " y=" + (y(t) + 4) + " text-anchor=end>" + t + "</text>").join("") +
    "<line x1=" + x0 + " x2=" + x0 + " y1=" + (y0 - height) + " y2=" + y0 + " stroke=#333></line>" +
    "<line x1=" + x0 + " x2=" + (x0 + width) + " y1=" + y0 + " y2=" + y0 + " stroke=#333></line>" +
    "<text id=" + id + "-x x=" + (x0 + width / 2) + " y=" + (y0 + 32) + " text-anchor=middle>" + xName + "</text>" +
    "<text id=" + id + "-y transform='rotate(-90)' x=" + -(y0 - height / 2) + " y=14 text-anchor=middle>" + yName + "</text>";
  const gap = Math.min(6, w / 4);
  return {
    frame, y, h: (v) => y0 - y(v), x: (i) => x0 + i * w + gap / 2, bar: w - gap,
    label: (i, text) => "<text class=tick x=" + (x0 + i * w + w / 2) + " y=" + (y0 + 14) + " text-anchor=middle>" + text + "</text>",
  };
}

/** The status line: from a refresh, and live from the console's event stream. */
function showStatus(s) {
  $("reader-state").textContent = s.readerState.state + (s.readerState.parameter !== undefined ? " " + s.readerState.parameter : "");
  $("cash").textContent = money(s.machineCredit);
  $("inserted").textContent = s.insertedSpecial !== undefined ? s.insertedSpecial + " key"
    : s.inserted === undefined ? "none" : "key " + (s.inserted + 1) + ", credit " + money(s.keyCredit);
}
// one menu at a time (the page's views, by the address's #): keys and sales, programming,
// prices, statistics, Maxi Box, audit
function showView() {
  const views = [...document.querySelectorAll("section[data-view]")].map((x) => x.dataset.view);
  const wanted = location.hash.slice(1);
  const view = views.includes(wanted) ? wanted : "keys";
  for (const x of document.querySelectorAll("section[data-view]")) x.hidden = x.dataset.view !== view;
  for (const a of document.querySelectorAll("#views a")) a.className = a.getAttribute("href") === "#" + view ? "current" : "";
}
window.addEventListener("hashchange", showView);
showView();
new EventSource("/api/events").addEventListener("status", (e) => showStatus(JSON.parse(e.data)));

async function refresh() {
  const params = await call("GET", "/api/parameters");
  window.params = params;
  const value = (name) => (params.find((p) => p.name === name) || {}).value || 0;
  amountFormat = { decimals: value("decimalPoint"), separator: value("separator") };
  lang = value("language") === 0 ? "it" : "en";
  for (const el of document.querySelectorAll("input.money")) el.placeholder = "e.g. " + money(150);
  const s = await call("GET", "/api/state");
  $("factory-banner").hidden = s.session.passwordSet;
  $("login").hidden = !s.session.passwordSet || s.session.loggedIn;
  showStatus(s);
  $("key-table").innerHTML = "<tr><th>key</th><th>UID</th><th>number</th><th>credit</th><th></th></tr>" + s.keys.map((k, i) =>
    "<tr id=key-" + (i + 1) + "><td>" + (i + 1) + "</td><td>" + k.uid + "</td><td class=number>" + (k.keyNumber ?? "—") +
    "</td><td class=credit>" + money(k.credit) +
    "</td><td><button data-insert=" + i + ">Insert</button></td></tr>").join("");
  const k = s.keyReport;
  $("key-report").textContent = k === null ? "none" : "number " + k.keyNumber + ", " + k.function + ", credit " + money(k.credit) +
    ", customer " + k.customerCode + ", department " + k.departmentCode + ", level " + k.level +
    (k.bonus1Tokens === undefined ? "" : ", bonus-1 tokens " + k.bonus1Tokens) + ", bonus-2 tokens " + k.bonus2Tokens +
    (k.loyaltyPoints === undefined ? "" : ", points " + k.loyaltyPoints) + (k.blackListed ? ", BLACK-LISTED" : "") +
    (k.recharge ? ", recharges left " + k.recharge.usesLeft + " of " + money(k.recharge.value) : "");
  // the programmer's menu tree (manual ch. 9): one heading per menu, its parameters below
  // the programmer's menu tree (manual ch. 9): one heading per menu, its parameters below, each
  // with the manual's Italian name and an English one, unit, range, default and section
  const menus = [];
  for (const p of params) if (!menus.includes(p.menu)) menus.push(p.menu);
  const shownAs = (p, v) => p.unit === "money" ? money(v) : String(v);
  const meaning = (p, v) => p.unit === "choice" ? p.choices[v - p.min] ?? "" : p.unit === "switch" ? (v === 1 ? "on" : "off")
    : p.unit === "ms" ? "ms" : "";
  $("param-table").innerHTML = "<tr><th>number</th><th>name</th><th>range</th><th>default</th><th>value</th><th></th><th>manual</th></tr>" +
    menus.map((menu) => {
      const first = params.find((p) => p.menu === menu);
      return "<tr class=menu><th colspan=7>" + text(first.menuIt) + " <small>· " + text(menu) + "</small></th></tr>" +
        params.filter((p) => p.menu === menu).map((p) =>
          "<tr id=param-" + p.number + " title=" + p.name + "><td>" + String(p.number).padStart(3, "0") + "</td><td><b>" + text(p.it) +
          "</b> <small>" + text(p.en) + "</small></td><td>" + (p.unit === "choice" ? p.choices.map((c, i) => (p.min + i) + " " + c).join(", ")
            : shownAs(p, p.min) + "…" + shownAs(p, p.max)) + "</td><td>" + shownAs(p, p.default) +
          "</td><td class=value>" + shownAs(p, p.value) + "</td><td class=meaning>" + text(meaning(p, p.value)) + "</td><td>" + p.section + "</td></tr>").join("");
    }).join("");
  const clock = await call("GET", "/api/clock");
  $("clock-shown").textContent = clock.shown;
  $("clock-zone").textContent = clock.timeZone;
  const codes = await call("GET", "/api/codes");
  window.codes = codes;
  if (document.activeElement !== $("machine-code")) $("machine-code").value = codes.machineCode;
  if (document.activeElement !== $("reader-code")) $("reader-code").value = codes.readerCode;
  $("black-list-mode").textContent = ["disabled", "50 keys", "500 keys"][codes.blackListMode] ?? "?";
  $("black-list").textContent = codes.blackList.length === 0 ? "empty" : codes.blackList.join(", ");
  const pr = await call("GET", "/api/prices");
  $("price-table-view").innerHTML = "<tr><th>line</th><th>name</th><th>cash</th><th>key 0</th><th>key 1</th><th>key 2</th><th>key 3</th></tr>" +
    pr.cash.map((c, i) => "<tr id=price-line-" + (i + 1) + "><td>" + (i + 1) + "</td><td class=name>" + text(pr.names[i]) + "</td><td>" + money(c) + "</td>" +
      pr.keys.map((k) => "<td>" + (k.mode === "off" ? "off" : money(k.prices[i])) + "</td>").join("") + "</tr>").join("");
  $("cash-in").innerHTML = [1, 2, 3, 4, 5, 6, 7, 8].filter((n) => value("coin" + n + "Value") > 0).map((n) =>
    "<button data-coin=" + n + ">coin " + money(value("coin" + n + "Value")) + "</button>").join(" ") + " " +
    [1, 2, 3, 4].filter((n) => value("bill" + n + "Value") > 0).map((n) =>
    "<button data-bill=" + n + ">bill " + money(value("bill" + n + "Value")) + "</button>").join(" ");
  const st = await call("GET", "/api/statistics");
  // money as the programmer shows it, counts as counts; the period's (since the last collection)
  // beside the historic (since the last AZZERAMENTO STATISTICHE)
  const shown = (c, v) => c.unit === "money" ? money(v) : String(v);
  $("stat-table").innerHTML = "<tr><th>counter</th><th>name</th><th>unit</th><th>period</th><th>historic</th></tr>" +
    st.counters.filter((c) => c.historic > 0).map((c) =>
      "<tr id=stat-" + c.name + "><td>" + c.counter + "</td><td>" + c.name + "</td><td>" + (c.unit === "money" ? "amount" : "count") +
      "</td><td class=period>" + shown(c, c.period) + "</td><td class=historic>" + shown(c, c.historic) + "</td></tr>").join("");
  $("vmc-audit-table").innerHTML = st.vmcAuditPairs.length === 0 ? "<tr><td>none received</td></tr>" :
    "<tr><th>address</th><th>value</th><th>times read</th></tr>" + st.vmcAuditPairs.map((p) =>
      "<tr><td>" + p.address + "</td><td>" + p.value + "</td><td>" + p.times + "</td></tr>").join("");
  // sales per price line (historic), cash and key stacked, with both axes named and scaled
  // sales per price line (historic), cash and key stacked
  const lines = plot(Math.max(...st.lines.map((l) => l.cash + l.key)), st.lines.length, "chart", "price line", "sales (historic)");
  $("chart").innerHTML = lines.frame +
    st.lines.map((l, i) => {
      const x = lines.x(i);
      return "<rect class=bar data-line=" + l.line + " data-sales=" + (l.cash + l.key) + " x=" + x + " y=" + lines.y(l.cash + l.key) +
        " width=" + lines.bar + " height=" + lines.h(l.cash + l.key) + " fill=#4a7><title>line " + l.line + ": " + l.key + " by key</title></rect>" +
        "<rect class=cash x=" + x + " y=" + lines.y(l.cash) + " width=" + lines.bar + " height=" + lines.h(l.cash) + " fill=#c84><title>line " + l.line + ": " + l.cash + " cash</title></rect>" +
        lines.label(i, l.line);
    }).join("") +
    "<rect x=330 y=6 width=10 height=10 fill=#c84></rect><text x=344 y=15>cash</text>" +
    "<rect x=390 y=6 width=10 height=10 fill=#4a7></rect><text x=404 y=15>key</text>";
  // sales per hour of the day (the Maxi Box's record)
  const hours = plot(Math.max(...st.hours), 24, "hours", "hour of the day", "sales");
  $("hours-chart").innerHTML = hours.frame +
    st.hours.map((n, h) => "<rect class=hour data-hour=" + h + " data-sales=" + n + " x=" + hours.x(h) + " y=" + hours.y(n) +
      " width=" + hours.bar + " height=" + hours.h(n) + " fill=#47a><title>" + h + ":00: " + n + "</title></rect>" +
      (h % 3 === 0 ? hours.label(h, h) : "")).join("");
  translate();
}

$("selections").innerHTML = [1, 2, 3, 4, 5].map((n) => "<button data-select=" + n + ">Selection " + n + "</button>").join(" ");
document.body.addEventListener("click", async (ev) => {
  const t = ev.target;
  try {
    if (t.id === "login-go") {
      await call("POST", "/api/login", { password: numberOf($("login-password"), "password") });
      $("login-password").value = "";
      say($("login-message"), tr("logged in"), true);
    } else if (t.dataset.insert !== undefined) {
      const r = await call("POST", "/api/keys/insert", { index: Number(t.dataset.insert) });
      // a refused key says its error code and what it means (manual 7.5 list 14)
      $("key-status").textContent = r.ok ? "" : tr("key refused") + (r.err ? ": E " + r.err + " (" + ERROR_CODES[r.err] + ")" : "") + " — " + r.detail;
    }
    else if (t.dataset.special !== undefined) {
      const r = await call("POST", "/api/special-keys/insert", { kind: t.dataset.special });
      say($("special-message"), r.ok ? t.dataset.special + " key: " + (r.carried === "data" ? "statistics collected" : "settings taken")
        : t.dataset.special + " key refused" + (r.err ? " (E" + r.err + ")" : "") + ": " + r.detail, r.ok);
    } else if (t.id === "special-setup-load") {
      await call("POST", "/api/special-keys/load", { kind: "setup" });
      say($("special-message"), "setup key loaded", true);
    } else if (t.id === "special-black-load") {
      // "12, 40-45": single numbers and ranges
      const keys = $("special-black-keys").value.split(",").map((x) => x.trim()).filter((x) => x !== "").flatMap((x) => {
        const [a, b] = x.split("-").map(Number);
        return b === undefined ? [a] : Array.from({ length: Math.max(0, b - a + 1) }, (_, i) => a + i);
      });
      await call("POST", "/api/special-keys/load", { kind: "black-list", mode: Number($("special-black-mode").value), keys });
      say($("special-message"), "black-list key loaded with " + keys.length + " keys", true);
    } else if (t.id === "special-data-read") {
      const r = await fetch("/api/special-keys/data");
      if (!r.ok) throw Object.assign(new Error((await r.json()).message), {});
      const blob = await r.blob();
      window.dataKeyAudit = await blob.text();
      $("data-link").href = URL.createObjectURL(blob);
      $("data-link").hidden = false;
      say($("special-message"), "data key read: " + blob.size + " bytes", true);
    } else if (t.dataset.coin !== undefined) await call("POST", "/api/coin", { type: Number(t.dataset.coin) });
    else if (t.dataset.bill !== undefined) await call("POST", "/api/bill", { type: Number(t.dataset.bill) });
    else if (t.dataset.select !== undefined) {
      const r = await call("POST", "/api/select", { item: Number(t.dataset.select) });
      say($("sale"), r.amount === null ? tr("selection") + " " + t.dataset.select + " " + tr("refused") : tr("selection") + " " + t.dataset.select + " " + tr("paid") + " " + money(r.amount), r.amount !== null);
    } else if (t.id === "remove-key") {
      await call("POST", "/api/keys/remove");
      $("key-status").textContent = "";
    }
    else if (t.id === "recharge") {
      const r = await call("POST", "/api/keys/recharge", { amount: amountOf($("recharge-amount"), "amount"), password: passwordOf($("recharge-password")) });
      say($("recharge-message"), tr("credit now") + " " + money(r.credit), true);
    } else if (t.id === "key-modify") {
      const field = (id) => $(id).value === "" ? undefined : Number($(id).value);
      const r = await call("POST", "/api/keys/modify", { bonus1Tokens: field("modify-bonus1"), bonus2Tokens: field("modify-bonus2"),
        loyaltyPoints: field("modify-points"), password: passwordOf($("modify-password")) });
      say($("modify-message"), r.landed ? tr("written") : tr("the key left before the write was done"), r.landed);
    } else if (t.id === "param-save") {
      const number = numberOf($("param-number"), "parameter number");
      // money is typed as the programmer shows it; everything else as a whole number
      const param = window.params.find((p) => p.number === number);
      const money = param?.unit === "money" || PRICING_MONEY_NUMBERS.some(([a, b]) => number >= a && number <= b);
      const value = money ? amountOf($("param-value"), "value") : numberOf($("param-value"), "value");
      const warn = CONFIRM[number];
      if (warn !== undefined && (pending?.number !== number || pending?.value !== value)) {
        pending = { number, value };
        const old = (window.params.find((p) => p.number === number) || {}).value;
        $("param-message").textContent = tr("press Save again to confirm:") + " " + warn(old, value);
        $("param-message").className = "warn";
        return;
      }
      pending = undefined;
      await call("POST", "/api/parameters", { number, value, password: passwordOf($("param-password")) });
      say($("param-message"), tr("saved"), true);
    } else if (t.id === "format-key") {
      // manual 9.5.2: PROGRAM. N. CHIAVE (40101) and NUMERO CHIAVE (40115), PROGRAM. CREDITO (40100)
      const programNumber = $("format-program-number").checked;
      const programCredit = $("format-program-credit").checked;
      await call("POST", "/api/parameters", { number: 40101, value: programNumber ? 1 : 0 });
      if (programNumber) await call("POST", "/api/parameters", { number: 40115, value: numberOf($("format-number"), "key number") });
      await call("POST", "/api/parameters", { number: 40100, value: programCredit ? 1 : 0 });
      const r = await call("POST", "/api/keys/format", { index: numberOf($("format-index"), "key") - 1,
        credit: programCredit ? amountOf($("format-credit"), "credit") : undefined, password: passwordOf($("format-password")) });
      $("format-number").value = r.next;
      say($("format-message"), tr("formatted as key") + " " + r.keyNumber, true);
    } else if (t.id === "extra-load") {
      $("extra-json").value = JSON.stringify(extraMoney(await call("GET", "/api/extra"), (v) => v / 10 ** amountFormat.decimals));
      return;
    } else if (t.id === "extra-save") {
      await call("POST", "/api/extra", extraMoney(JSON.parse($("extra-json").value), (v) =>
        typeof v === "number" ? Math.round(v * 10 ** amountFormat.decimals) : v));
      say($("extra-message"), tr("saved"), true);
    } else if (t.id === "clock-save") {
      const zone = $("clock-zone-value").value;
      const when = $("clock-value").value.match(/^(\\d{4})-(\\d\\d)-(\\d\\d)T(\\d\\d):(\\d\\d)/);
      const r = await call("POST", "/api/clock", {
        ...(zone === "" ? {} : { timeZone: zone }),
        ...(when === null ? {} : { dateTime: { year: +when[1], month: +when[2], day: +when[3], hour: +when[4], minute: +when[5] } }),
      });
      say($("clock-message"), tr("set:") + " " + r.shown, true);
    } else if (t.id === "codes-save") {
      await call("POST", "/api/codes", { machineCode: $("machine-code").value, readerCode: $("reader-code").value });
      say($("codes-message"), tr("saved"), true);
    } else if (t.id === "black-add" || t.id === "black-remove") {
      const key = numberOf($("black-key"), "key number");
      const list = window.codes.blackList.filter((k) => k !== key);
      await call("POST", "/api/codes", { blackList: t.id === "black-add" ? [...list, key] : list });
      say($("codes-message"), tr("saved"), true);
    } else if (t.id === "name-save") {
      await call("POST", "/api/names", { line: numberOf($("name-line"), "line"), name: $("name-value").value });
      say($("price-message"), tr("saved"), true);
    } else if (t.id === "price-save") {
      const table = $("price-table").value;
      await call("POST", "/api/prices", { table: table === "cash" ? "cash" : Number(table), line: numberOf($("price-line"), "line"), price: amountOf($("price-value"), "price") });
      say($("price-message"), tr("saved"), true);
    } else if (t.id === "stat-reset") {
      await call("POST", "/api/statistics/reset");
      say($("stat-message"), tr("historic data reset"), true);
    } else if (t.id === "maxibox-read") {
      const r = await call("GET", "/api/maxibox?key=" + numberOf($("maxibox-key"), "key number"));
      $("maxibox-lines").textContent = "recharges " + r.recharges.total + ", sales " + r.sales.total + "\\n" + r.lines.join("\\n");
    } else if (t.id === "audit-download") await download();
    else return;
    await refresh();
  } catch (e) {
    const where = t.id === "login-go" ? $("login-message") : t.id === "param-save" ? $("param-message") : t.id === "price-save" || t.id === "name-save" ? $("price-message")
      : t.id.startsWith("codes") || t.id.startsWith("black") ? $("codes-message")
      : t.id === "clock-save" ? $("clock-message")
      : t.id === "format-key" ? $("format-message")
      : t.id === "key-modify" ? $("modify-message")
      : t.dataset.special !== undefined || t.id.startsWith("special") ? $("special-message")
      : t.id.startsWith("extra") ? $("extra-message")
      : t.id === "recharge" ? $("recharge-message") : $("sale");
    say(where, e.code === "PARAMETER_ERROR" ? tr("parameter error") + " " + e.parameter + ": " + e.message
      : e.code === "PASSWORD_REQUIRED" ? tr("this needs the password") : e.message, false);
  }
});

async function download() {
  const r = await fetch("/api/audit", { method: "POST", headers: { "content-type": "application/json", "x-csrf-token": csrfToken }, body: "{}" });
  if (!r.ok) throw Object.assign(new Error((await r.json()).message), {});
  const total = Number(r.headers.get("content-length"));
  const reader = r.body.getReader();
  const parts = [];
  let done = 0;
  for (;;) {
    const { value, done: end } = await reader.read();
    if (end) break;
    parts.push(value);
    done += value.length;
    $("audit-progress").textContent = Math.round((done / total) * 100) + " % (" + done + " of " + total + " bytes)";
  }
  const blob = new Blob(parts, { type: "application/octet-stream" });
  window.lastAudit = await blob.text();
  const a = $("audit-link");
  a.href = URL.createObjectURL(blob);
  a.hidden = false;
}
refresh();
</script></body></html>`;
