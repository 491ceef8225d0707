import { type Machine, NO_BYTES, type Step } from "@vendkit/machine";

/**
 * The cashless-device ("cashless slave") lines of Qibixx MDB-USB / Pi HAT adapters, in the
 * always-idle flow their public documentation shows (docs.qibixx.com: "Cashless Device - Accept a
 * Vend Request from VMC in Always Idle", "Vending Sessions Examples"): the host sends `C,1` to
 * enable the cashless device, the adapter reports `c,STATUS,<state>`, a selection as
 * `c,STATUS,VEND,<amount>,<product>`, the host approves with `C,VEND,<amount>` or denies with
 * `C,STOP`, and the adapter reports `c,VEND,SUCCESS` or `c,ERR,<detail>` (e.g. `VEND 3` for a
 * failed vend); `r,ACK` lines mean the VMC polled. Amounts are decimal text in the currency
 * ("1.00"). The words are constants so a firmware that differs can be matched.
 */
export const QIBIXX_CASHLESS = {
  enable: "C,1",
  disable: "C,0",
  approve: "C,VEND",
  deny: "C,STOP",
  status: "c,STATUS",
  vend: "c,VEND",
  error: "c,ERR",
  vmcQuery: "r,ACK",
} as const;

export type QibixxCashlessEvent =
  | { readonly type: "status"; readonly state: string }
  | { readonly type: "vend-request"; readonly amount: string; readonly product: number }
  | { readonly type: "vend-success" }
  | { readonly type: "error"; readonly detail: string }
  | { readonly type: "vmc-query" }
  | { readonly type: "unknown"; readonly line: string };

/** The highest MDB item number (VEND REQUEST's item is two bytes). */
const MAX_ITEM = 0xffff;

/** Reads one line from the adapter: a vend request for an item MDB cannot number is unknown. */
export function parseCashlessLine(line: string, c = QIBIXX_CASHLESS): QibixxCashlessEvent {
  const l = line.trim();
  if (l === c.vmcQuery) return { type: "vmc-query" };
  if (l === `${c.vend},SUCCESS`) return { type: "vend-success" };
  if (l.startsWith(`${c.error},`)) return { type: "error", detail: l.slice(c.error.length + 1) };
  if (l.startsWith(`${c.status},`)) {
    const [state, amount, product] = l.slice(c.status.length + 1).split(",");
    if (
      state === "VEND" &&
      amount !== undefined &&
      product !== undefined &&
      /^\d+(\.\d+)?$/.test(amount) &&
      /^\d{1,5}$/.test(product) &&
      Number(product) <= MAX_ITEM
    ) {
      return { type: "vend-request", amount, product: Number(product) };
    }
    if (state && state !== "VEND") return { type: "status", state };
  }
  return { type: "unknown", line: l };
}

/** The line that approves a vend for `amount` (decimal text). */
export const approveLine = (amount: string, c = QIBIXX_CASHLESS): string => `${c.approve},${amount}\n`;
export const denyLine = (c = QIBIXX_CASHLESS): string => `${c.deny}\n`;
export const enableLine = (on: boolean, c = QIBIXX_CASHLESS): string => `${on ? c.enable : c.disable}\n`;

/** An integer amount of the smallest unit as the adapter's decimal text ("1.20"). */
export function formatAmount(units: number, decimals: number): string {
  if (!Number.isSafeInteger(units) || units < 0)
    throw new RangeError(`${units} is not a whole, non-negative amount`);
  if (decimals === 0) return String(units);
  const s = String(units).padStart(decimals + 1, "0");
  return `${s.slice(0, -decimals)}.${s.slice(-decimals)}`;
}

/** The adapter's decimal text as an integer amount of the smallest unit, exactly; else undefined. */
export function parseAmount(text: string, decimals: number): number | undefined {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (m === null) return undefined;
  const frac = m[2] ?? "";
  if (frac.length > decimals)
    return frac
      .slice(decimals)
      .split("")
      .every((d) => d === "0")
      ? parseAmount(`${m[1]}.${frac.slice(0, decimals)}`, decimals)
      : undefined;
  const units = Number(m[1]) * 10 ** decimals + Number(frac.padEnd(decimals, "0") || "0");
  // more digits than a number holds exactly is no amount
  return Number.isSafeInteger(units) ? units : undefined;
}

/**
 * The host's end of the cashless-device lines, as a machine (docs/machines.md): the adapter's
 * bytes in, its lines as events out; `enable`, `approve` and `deny` queue the host's lines,
 * which go at the next step (`Driver.act` sends them at once). No timer: the adapter keeps the
 * MDB timing.
 */
export class QibixxCashlessHost implements Machine<QibixxCashlessEvent> {
  private text = "";
  private readonly out: string[] = [];

  constructor(private readonly c = QIBIXX_CASHLESS) {}

  enable(on = true): void {
    this.out.push(enableLine(on, this.c));
  }

  /** Approves the pending vend for `amount`, decimal text as the adapter shows it ("1.20"). */
  approve(amount: string): void {
    this.out.push(approveLine(amount, this.c));
  }

  deny(): void {
    this.out.push(denyLine(this.c));
  }

  receive(bytes: ArrayLike<number>, _now: number): Step<QibixxCashlessEvent> {
    for (let i = 0; i < bytes.length; i++) this.text += String.fromCharCode(bytes[i] as number);
    const events: QibixxCashlessEvent[] = [];
    for (let nl = this.text.indexOf("\n"); nl !== -1; nl = this.text.indexOf("\n")) {
      const line = this.text.slice(0, nl).replace(/\r$/, "");
      this.text = this.text.slice(nl + 1);
      if (line.trim() !== "") events.push(parseCashlessLine(line, this.c));
    }
    return { send: this.lines(), events, deadline: undefined };
  }

  tick(_now: number): Step<QibixxCashlessEvent> {
    return { send: this.lines(), events: [], deadline: undefined };
  }

  private lines(): Uint8Array {
    if (this.out.length === 0) return NO_BYTES;
    const text = this.out.splice(0).join("");
    return Uint8Array.from(text, (ch) => ch.charCodeAt(0) & 0xff);
  }
}
