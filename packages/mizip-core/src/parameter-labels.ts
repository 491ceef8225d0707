import { NUMERIC_PARAMETERS } from "./parameters.js";

/**
 * What a programmed value is, so that a console shows and takes it as the programmer does:
 * `money` in the smallest unit (shown with 30004 decimals and the 40114 separator), `switch`
 * 0 OFF / 1 ON, `choice` one of `choices`, `code` digits that identify, `ms` milliseconds,
 * `count` a number of things, `rate` a conversion rate times 100000.
 */
export type ParameterUnit = "money" | "switch" | "choice" | "code" | "ms" | "count" | "rate";

/** A parameter as the manual names it: its Italian label (the programmer's), an English one, and where the manual explains it. */
export interface ParameterLabel {
  readonly it: string;
  readonly en: string;
  readonly unit: ParameterUnit;
  /** The manual's section (MiZip Plus manual, ch. 4, 7, 9). */
  readonly section: string;
  /** For a `choice`: what each value means, from 0. */
  readonly choices?: readonly string[];
}

type Entry = readonly [
  it: string,
  en: string,
  unit: ParameterUnit,
  section: string,
  choices?: readonly string[],
];

/** The labels of table 5.2 (the original's Italian, flattened by the PDF, put back by number), by parameter name. */
const LABELS: Readonly<Record<string, Entry>> = {
  operatorCode: ["CODICE GESTORE", "operator code", "code", "4.9.1"],
  customerCode: ["CODICE CLIENTE", "customer code", "code", "4.9.1"],
  departmentCode: ["CODICE REPARTO", "department code", "code", "4.9.1"],
  coinMechCode: ["CODICE GETTONIERA", "coin mechanism code (DDCMP audit)", "code", "9.4.1"],
  evadtsSecurityCode: ["EVA-DTS SECURITY CODE", "EVA-DTS security code", "code", "9.4.1"],
  evadtsPassCode: ["EVA-DTS PASS CODE", "EVA-DTS pass code", "code", "9.4.1"],
  previousOperatorCode: ["CODICE GESTORE PRECEDENTE", "previous operator code", "code", "9.5.2"],
  password: ["PASSWORD", "password", "code", "4.9.3"],
  userGroupsOn: ["USER GROUPS ON-OFF", "user groups", "switch", "4.9.1"],
  machineCodeSize: [
    "LUNGHEZZA CODICE MACCHINA",
    "machine code size",
    "choice",
    "4.9.2",
    ["six characters", "twelve characters"],
  ],
  coinValidator: [
    "VALIDATORE",
    "coin validator",
    "choice",
    "4.6.1",
    ["disabled", "sale only", "recharge and sale", "recharge only"],
  ],
  validatorType: [
    "TIPO VALIDATORE",
    "validator type",
    "choice",
    "4.6.2",
    ["standard", "standard euro", "binary type 1", "binary type 2", "changer"],
  ],
  coinValue: ["MONETA #", "coin # value", "money", "4.6.3"],
  binaryCoin9Value: ["MONETA 9", "coin 9 value (binary validators)", "money", "4.6.3"],
  nationalCoinValue: ["MONETA NAZ. #", "national coin # value (binary validators)", "money", "4.6.3"],
  mdbCoinEnabled: ["ABILITAZIONE MONETA #", "MDB changer: coin # enabled", "switch", "4.8.2"],
  mdbCoinValue: ["MONETA # (VALORE)", "MDB changer: coin # value", "money", "4.8.2"],
  escrowLever: ["LEVA ESCROW", "escrow lever", "switch", "4.8.3"],
  maxChange: ["RESTO MASSIMO", "maximum change", "money", "4.8.4"],
  minTubeLevel: ["LIV. MINIMO TUBI", "minimum tube level (coins)", "count", "4.8.5"],
  exactChange: [
    "CAMBIO ESATTO",
    "exact change",
    "choice",
    "4.8.6",
    ["disabled", "coins accepted, no level", "enabled"],
  ],
  exactChangeCoin: [
    "MON. ACC. NO LIV. MONETA #",
    "exact change: coin # accepted with no level",
    "switch",
    "4.8.6",
  ],
  billAcceptor: [
    "ACCETTATORE",
    "bill acceptor",
    "choice",
    "4.7.1",
    ["disabled", "recharge only", "recharge and sale"],
  ],
  billAcceptorType: [
    "TIPO ACCETTATORE",
    "bill acceptor type",
    "choice",
    "4.7.2",
    ["GPT parallel", "GPT serial", "Smile", "JCM", "Parallel I", "MDB"],
  ],
  billValue: ["BANCONOTA #", "bill # value", "money", "4.7.3"],
  mdbBillEnabled: ["ABIL. BANCONOTA #", "MDB acceptor: bill # enabled", "switch", "4.8.9"],
  mdbBillSecurity: ["LIV. SICUR. BANC. #", "MDB acceptor: bill # high security", "switch", "4.8.9"],
  mdbBillValue: ["BANCONOTA # (VALORE)", "MDB acceptor: bill # value", "money", "4.8.9"],
  protocol: ["PROTOCOLLO", "protocol", "choice", "4.2", ["Executive master", "Executive slave", "MDB"]],
  saleType: ["TIPO DI VENDITA", "sale type", "choice", "4.2.1", ["multiple", "single"]],
  priceSystem: [
    "SISTEMA",
    "price system",
    "choice",
    "4.2.2",
    ["prices on the VMC", "price system", "price holding", "price holding display"],
  ],
  baseCoin: ["MONETA BASE", "base coin", "money", "4.2.3"],
  decimalPoint: ["PUNTO DECIMALE", "decimal point (decimals)", "count", "4.2.4"],
  vendDelay: ["RITARDO VENDITA", "vend delay", "switch", "4.3.8"],
  displayDelay: ["RITARDO DISPLAY", "display delay", "switch", "4.3.9"],
  communicationDelay: ["RITARDO COMUNICAZIONE", "communication delay", "switch", "4.3.10"],
  mdbLevel: ["LETTORE TIPO", "MDB reader level", "choice", "4.2.5", ["level 1", "level 2", "level 3"]],
  mdbMaxResponseTime: ["MAX RESPONSE TIME", "MDB maximum response time", "ms", "4.2.6"],
  mdbInterByteTime: ["INTERBYTE TIME", "MDB inter-byte time", "ms", "4.2.7"],
  mdbCountryCode: ["CODICE NAZIONE", "MDB country or currency code", "code", "4.2.8"],
  mdbCustomisations: [
    "PERSONALIZZAZIONI",
    "MDB customisations (out of sequence 1, revalue no ACK 2, update credit 4)",
    "code",
    "4.2.9",
  ],
  maxLoadableCredit: ["MAX CR. CARICAB.", "maximum loadable credit", "money", "4.10.2"],
  maxUsableCredit: ["MAX CR. UTILIZZ.", "maximum usable credit", "money", "4.10.3"],
  failedVendRefund: ["RIMBORSO VEND. F.", "failed-vend refund", "switch", "4.10.5"],
  overprice: ["SOVRAPPREZZO", "overprice", "choice", "4.10.6", ["off", "on", "3 minutes"]],
  errorMessages: ["MESSAGGI DI ERRORE", "error messages", "switch", "4.10.7"],
  checkAudit: ["CHECK AUDIT", "check audit", "switch", "4.10.8"],
  auditMode: [
    "AUDIT MODE",
    "audit mode",
    "choice",
    "7.1",
    ["standard", "Maxi Key", "extended", "DDCMP 6.0", "DDCMP 6.0 Plus", "DEX 6.0", "DEX 6.0 Plus"],
  ],
  ddcmpBaudRateMax: [
    "BAUD RATE MAX",
    "DDCMP maximum baud rate",
    "choice",
    "9.4.1",
    ["1200", "2400", "4800", "9600", "19200", "38400", "57600", "115200", "unchanged"],
  ],
  ddcmpSelectFlag: ["SELECT FLAG", "DDCMP select flag", "switch", "9.4.1"],
  ddcmpCodesCheck: ["SECURITY E PASS CODE", "DDCMP security and pass codes", "switch", "9.4.1"],
  maxiBox: ["MAXI BOX", "Maxi Box", "choice", "4.15", ["off", "on", "on, overwrite"]],
  rechargeKey: ["CHIAVE RICARICA", "recharge key", "switch", "4.10.9"],
  freeKey: ["CHIAVE GRATIS", "free key", "switch", "4.10.10"],
  irda: ["IRDA ON-OFF", "IrDA", "switch", "9.4.1"],
  dataBlockSize: ["DATA BLOCK SIZE", "DDCMP data block size (bytes)", "count", "9.4.1"],
  ackTimeout: ["ACK TIME OUT", "DDCMP ACK timeout", "ms", "9.4.1"],
  formatProgramCredit: ["PROGRAM. CREDITO", "formatting: program credit", "switch", "9.5.2"],
  formatProgramKeyNumber: ["PROGRAM. N. CHIAVE", "formatting: program key number", "switch", "9.5.2"],
  keyType: ["TIPO CHIAVE", "key type", "choice", "4.10.12", ["125 kHz", "MIFARE", "125 kHz and MIFARE"]],
  language: [
    "LINGUA",
    "language",
    "choice",
    "4.1",
    ["italiano", "English (UK)", "English (US)", "français", "español", "português", "Deutsch"],
  ],
  euroRate: ["TASSO DI CONVERSIONE", "Euro conversion rate (x 100000)", "rate", "4.16"],
  euro: ["EURO ON-OFF", "Euro", "switch", "4.16"],
  nationalDecimalPoint: ["VIRGOLA NAZION. POSIZIONE", "national decimal point (decimals)", "count", "4.16"],
  noChangeMessage: ["NON DÀ RESTO", "no change message", "switch", "4.10.13"],
  negativeCredit: ["CREDITO NEGATIVO", "negative credit", "switch", "4.10.1"],
  separator: ["SEPARATORE", "separator", "choice", "4.10.14", ["off", "comma", "point"]],
  formatKeyNumber: ["NUMERO CHIAVE", "formatting: next key number", "count", "9.5.2"],
  statisticsBackup: ["BACKUP", "statistics backup", "switch", "7.2"],
  copyCashTable: ["COPIA TAB. CONTANTI", "copy the cash table", "switch", "4.4.2"],
  rechargeLimit: ["LIMITE RICARICA", "recharge limit", "money", "4.10.4"],
  blackList: ["BLOCCO CHIAVE", "black list", "choice", "4.12", ["disabled", "50 keys", "500 keys"]],
  cashInterface: [
    "INTERFACCIA MONETE - BANCONOTE",
    "coins and bills interface",
    "choice",
    "4.6",
    ["coins only", "coins and bills", "bills only"],
  ],
};

/** `coin3Value` → ["coinValue", "3"]; `mdbCoinEnabled12` → ["mdbCoinEnabled", "12"]. */
function seriesOf(name: string): [string, string] | undefined {
  const m = /^(coin|bill)(\d+)Value$/.exec(name) ?? /^([a-zA-Z]+?)(\d+)$/.exec(name);
  if (m === null) return undefined;
  const [, base, index] = m as unknown as [string, string, string];
  return [/^(coin|bill)$/.test(base) ? `${base}Value` : base, index];
}

/** The label of a parameter by name (as in NUMERIC_PARAMETERS); undefined for a name it does not know. */
export function parameterLabel(name: string): ParameterLabel | undefined {
  const series = LABELS[name] === undefined ? seriesOf(name) : undefined;
  const entry = LABELS[name] ?? (series ? LABELS[series[0]] : undefined);
  if (entry === undefined) return undefined;
  const [it, en, unit, section, choices] = entry;
  const n = series?.[1] ?? "";
  return {
    it: it.replace("#", n),
    en: en.replace("#", n),
    unit,
    section,
    ...(choices === undefined ? {} : { choices }),
  };
}

/** Every numeric parameter's label, by number (each one has one: a test holds it so). */
export const PARAMETER_LABELS: ReadonlyMap<number, ParameterLabel> = new Map(
  NUMERIC_PARAMETERS.map((p) => [p.number, parameterLabel(p.name) as ParameterLabel]),
);
