import {
  type ClockSettings,
  clockProblems,
  DEFAULT_CLOCK,
  instantOf,
  type WallTime,
  wallTimeProblem,
} from "./clock.js";
import { checkPassword } from "./password.js";

/**
 * The reader's system parameters (MiZip Plus manual ch. 4, numbers from table 5.2): codes,
 * protocol, coins and bills, other parameters, audit, black list. Prices and the EXTRA functions
 * (table 5.2 numbers 10001-17139 and 50000-55009) are `@vendkit/pricing`'s configuration, which
 * validates them with the same numbers.
 *
 * Numbers are whole, money in the smallest unit. Where the manual states a default it is used;
 * the rest are marked `stated: false` and listed in the README.
 */
export interface NumericParameter {
  readonly number: number;
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly default: number;
  /** Whether the manual states this default (false: vendkit's choice). */
  readonly stated: boolean;
}

const p = <N extends string>(
  number: number,
  name: N,
  min: number,
  max: number,
  def: number,
  stated = true,
): NumericParameter & { readonly name: N } => ({
  number,
  name,
  min,
  max,
  default: def,
  stated,
});

type Upto = {
  6: 1 | 2 | 3 | 4 | 5 | 6;
  16: 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16;
};

/** `count` numbered parameters in a row (a table 5.2 range such as 20017÷032), named `${prefix}1`…. */
function series<P extends string, C extends keyof Upto>(
  first: number,
  count: C,
  prefix: P,
  min: number,
  max: number,
  def: number,
): (NumericParameter & { readonly name: `${P}${Upto[C]}` })[] {
  return Array.from({ length: count }, (_, i) =>
    p(first + i, `${prefix}${i + 1}` as `${P}${Upto[C]}`, min, max, def, false),
  );
}

/** Parameter 40008, BAUD RATE MAX of the DDCMP audit session: the index into this list. */
export const BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, "unchanged"] as const;

/** Every numeric system parameter, by table 5.2 number. */
export const NUMERIC_PARAMETERS = [
  p(0, "operatorCode", 0, 99_999_999, 1),
  p(1, "customerCode", 0, 65_535, 1),
  p(2, "departmentCode", 0, 255, 1),
  p(5, "coinMechCode", 0, 999_999, 0), // DDCMP audit: CODICE GETTONIERA, 6 digits (9.4.1: 000000)
  // 006/007: the codes a DDCMP collector must present (EVA-DTS security and pass code, 2 bytes each)
  p(6, "evadtsSecurityCode", 0, 65_535, 0, false),
  p(7, "evadtsPassCode", 0, 65_535, 0, false),
  // 008: the operator code of the keys being taken over: key formatting and the EURO menu (4.16)
  p(8, "previousOperatorCode", 0, 99_999_999, 1, false),
  p(9, "password", 0, 99_999_999, 0),
  p(10, "userGroupsOn", 0, 1, 0, false),
  p(15, "machineCodeSize", 0, 1, 0, false), // 0 six characters, 1 twelve
  p(20000, "coinValidator", 0, 3, 2, false), // disabled, sale only, recharge+sale, recharge only
  p(20001, "validatorType", 0, 4, 0, false), // standard, standard euro, binary 1, binary 2, changer
  // coin values of a parallel validator (4.6.3); 0 = the line is not used
  p(20002, "coin1Value", 0, 65_535, 0, false),
  p(20003, "coin2Value", 0, 65_535, 0, false),
  p(20004, "coin3Value", 0, 65_535, 0, false),
  p(20005, "coin4Value", 0, 65_535, 0, false),
  p(20006, "coin5Value", 0, 65_535, 0, false),
  p(20007, "coin6Value", 0, 65_535, 0, false),
  p(20008, "coin7Value", 0, 65_535, 0, false),
  p(20009, "coin8Value", 0, 65_535, 0, false),
  p(20010, "binaryCoin9Value", 0, 65_535, 0, false), // binary validators type 1-2: coin 9
  ...series(20011, 6, "nationalCoinValue", 0, 65_535, 0), // binary validators: national coins 1-6
  ...series(20017, 16, "mdbCoinEnabled", 0, 1, 1), // MDB changer: coin types 1-16 (4.8.2)
  // MDB changer: coin types' values, "written once the changer is enabled" (4.8.2): learned from it
  ...series(20033, 16, "mdbCoinValue", 0, 65_535, 0),
  p(20049, "escrowLever", 0, 1, 0),
  p(20050, "maxChange", 0, 65_535, 200),
  p(20051, "minTubeLevel", 0, 255, 7),
  p(20052, "exactChange", 0, 2, 0, false),
  ...series(20053, 16, "exactChangeCoin", 0, 1, 0), // accepted without level (4.8.6, mode 1)
  p(21000, "billAcceptor", 0, 2, 0, false), // disabled, recharge only, recharge+sale
  p(21001, "billAcceptorType", 0, 5, 0, false), // GPT parallel, GPT serial, Smile, JCM, Parallel I, MDB
  // bill values of a parallel acceptor (4.7.3); 0 = the line is not used
  p(21002, "bill1Value", 0, 65_535, 0, false),
  p(21003, "bill2Value", 0, 65_535, 0, false),
  p(21004, "bill3Value", 0, 65_535, 0, false),
  p(21005, "bill4Value", 0, 65_535, 0, false),
  ...series(21006, 16, "mdbBillEnabled", 0, 1, 1), // MDB acceptor: bill types 1-16
  // MDB acceptor: security level per bill type, 1 ALTO (the default, 4.8.9) or 0 BASSO
  ...series(21022, 16, "mdbBillSecurity", 0, 1, 1),
  // MDB acceptor: bill types' values, programmed once the acceptor is enabled (4.8.9): learned
  ...series(21038, 16, "mdbBillValue", 0, 65_535, 0),
  p(30000, "protocol", 0, 2, 2, false), // Executive master, Executive slave, MDB
  p(30001, "saleType", 0, 1, 1, false), // multiple, single
  p(30002, "priceSystem", 0, 3, 0, false),
  p(30003, "baseCoin", 1, 65_535, 1),
  p(30004, "decimalPoint", 0, 4, 2, false),
  p(30006, "vendDelay", 0, 1, 0),
  p(30007, "displayDelay", 0, 1, 0),
  p(30008, "communicationDelay", 0, 1, 0, false),
  p(30010, "mdbLevel", 0, 2, 1), // level 1, 2, 3; the manual's default is level 2
  p(30011, "mdbMaxResponseTime", 1, 200, 5), // menu 9.2.3: "MAX 200"
  p(30012, "mdbInterByteTime", 1, 5, 1), // 4.2.7: "normally left at its default (1)"; 9.2.3: "MAX 5"
  p(30013, "mdbCountryCode", 0, 0xffff, 0x1978, false), // ISO 4217 978 (euro) as MDB writes it
  p(30014, "mdbCustomisations", 0, 7, 0), // b0 out of sequence, b1 revalue no ACK, b2 update credit
  p(40000, "maxLoadableCredit", 0, 65_535, 1000, false),
  p(40001, "maxUsableCredit", 0, 65_535, 1200, false),
  p(40002, "failedVendRefund", 0, 1, 0, false),
  p(40003, "overprice", 0, 2, 1), // OFF, ON, 3 MINUTES; the manual's default is ON
  p(40005, "errorMessages", 0, 1, 0, false),
  p(40006, "checkAudit", 0, 1, 0, false),
  p(40007, "auditMode", 0, 6, 4, false), // standard, maxi key, extended, DDCMP 6.0(+), DEX 6.0(+)
  p(40008, "ddcmpBaudRateMax", 0, BAUD_RATES.length - 1, BAUD_RATES.length - 1, false), // BAUD_RATES index
  p(40009, "ddcmpSelectFlag", 0, 1, 0, false), // one block or several
  p(40010, "ddcmpCodesCheck", 0, 1, 0, false), // check 006/007
  p(40011, "maxiBox", 0, 2, 0, false), // OFF, ON, ON OVERWRITE
  p(40012, "rechargeKey", 0, 1, 0),
  p(40013, "freeKey", 0, 1, 0),
  p(40016, "irda", 0, 1, 0, false), // audit over IrDA: DDCMP speed capped at 38400
  p(40017, "dataBlockSize", 1, 240, 240), // DDCMP audit data block, bytes (9.4.1: 240, max 240)
  p(40018, "ackTimeout", 170, 3000, 170), // DDCMP audit ACK timeout, ms (9.4.1: 170, 170..3000)
  p(40100, "formatProgramCredit", 0, 1, 0, false), // key formatting writes a credit (9.5.2)
  p(40101, "formatProgramKeyNumber", 0, 1, 1, false), // key formatting writes a key number (9.5.2)
  p(40102, "keyType", 0, 2, 2), // 125 kHz, MIFARE, both
  p(40105, "language", 0, 6, 0), // it, en-UK, en-US, fr, es, pt, de
  // EURO menu (4.16, 9.7): rate × 100000 (1936.27 → 193627000; 1.00000 → 100000), on/off,
  // decimal point of the national currency the old keys hold
  p(40106, "euroRate", 1, 999_999_999, 100_000, false),
  p(40107, "euro", 0, 1, 0, false),
  p(40108, "nationalDecimalPoint", 0, 4, 2, false),
  p(40110, "noChangeMessage", 0, 1, 0),
  p(40111, "negativeCredit", 0, 1, 0, false),
  p(40114, "separator", 0, 2, 0), // OFF, comma, point
  p(40115, "formatKeyNumber", 1, 9_999_999, 1, false), // next key number formatting writes
  p(40116, "statisticsBackup", 0, 1, 0),
  p(40117, "copyCashTable", 0, 1, 0), // cash prices programmed go to key tables 0-3 too (4.4.2)
  p(40118, "rechargeLimit", 0, 99_999, 0), // 0 = no limit
  p(41000, "blackList", 0, 2, 0, false), // disabled, 50 keys, 500 keys
  // 59900 INTERFACCIA MONETE - BANCONOTE: which acceptors the reader's cash interface serves. The
  // manual gives no default; coins + bills leaves 20000 and 21000 to say what each takes
  p(59900, "cashInterface", 0, 2, 1, false), // coins only, coins + bills, bills only
] as const;

export type NumericName = (typeof NUMERIC_PARAMETERS)[number]["name"];

export interface SystemParameters {
  readonly numeric: Readonly<Record<NumericName, number>>;
  /** Parameter 003: 6 or 12 characters (parameter 015). */
  readonly machineCode: string;
  /** Parameter 004: 6 characters; not used with a 12-character machine code. */
  readonly readerCode: string;
  /** Parameter 011: five department codes; only #5 may be 0 (any department). */
  readonly userGroups: readonly [number, number, number, number, number];
  /** Parameters 41001-41500: black-listed key numbers. */
  readonly blackList: readonly number[];
  /** The clock (manual 8.1): time zone, date and hour formats, how far it is set; no table number. */
  readonly clock: ClockSettings;
}

/** The clock's settings have no table 5.2 number: their errors name them. */
export const CLOCK = "clock";
export const MACHINE_CODE = 3;
export const READER_CODE = 4;
export const USER_GROUPS = 11;
export const BLACK_LIST_FIRST = 41001;

/** A parameter that is not what the manual allows (the "parameter error" of manual 5.1). */
export class ParameterError extends Error {
  readonly code = "PARAMETER_ERROR" as const;
  constructor(
    /** Table 5.2 number, as the programmer shows it; a setting with no number by its name ("clock"). */
    readonly parameter: number | string,
    message: string,
  ) {
    super(
      typeof parameter === "number"
        ? `parameter ${String(parameter).padStart(3, "0")}: ${message}`
        : `setting ${parameter}: ${message}`,
    );
    this.name = "ParameterError";
  }
}

const BY_NAME = new Map<string, NumericParameter>(NUMERIC_PARAMETERS.map((d) => [d.name, d]));
const BY_NUMBER = new Map<number, NumericParameter>(NUMERIC_PARAMETERS.map((d) => [d.number, d]));

/** The definition of a numeric parameter by its table 5.2 number. */
export const numericParameter = (number: number): NumericParameter | undefined => BY_NUMBER.get(number);

export function defaultParameters(): SystemParameters {
  return {
    numeric: Object.fromEntries(NUMERIC_PARAMETERS.map((d) => [d.name, d.default])) as Record<
      NumericName,
      number
    >,
    machineCode: "000001",
    readerCode: "PLUS00", // manual 4.9.2
    userGroups: [1, 1, 1, 1, 1],
    blackList: [],
    clock: DEFAULT_CLOCK,
  };
}

const blackListCapacity = (mode: number) => (mode === 1 ? 50 : mode === 2 ? 500 : 0);
const CODE_TEXT = /^[0-9A-Z ]*$/;

/**
 * Every problem, in table 5.2 order; the first is the one the reader reports with its
 * "parameter error" LED pattern and the programmer shows (manual 5.1).
 */
export function validateParameters(params: SystemParameters): ParameterError[] {
  const out: ParameterError[] = [];
  // settings off a key or out of storage may not even have the shape: each missing part is
  // reported as its parameters' error, never a crash
  const given = (typeof params === "object" && params !== null ? params : {}) as Partial<SystemParameters>;
  const numeric = (
    typeof given.numeric === "object" && given.numeric !== null ? given.numeric : {}
  ) as Partial<SystemParameters["numeric"]>;
  for (const d of NUMERIC_PARAMETERS) {
    const v = numeric[d.name];
    if (v === undefined || !Number.isInteger(v) || v < d.min || v > d.max)
      out.push(new ParameterError(d.number, `${d.name} is ${shown(v)}, allowed ${d.min}..${d.max}`));
  }
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  const machineCode = text(given.machineCode);
  const readerCode = text(given.readerCode);
  const size = numeric.machineCodeSize === 1 ? 12 : 6;
  if (machineCode.length !== size || !CODE_TEXT.test(machineCode))
    out.push(new ParameterError(MACHINE_CODE, `machine code must be ${size} characters 0-9, A-Z or space`));
  if (size === 6 && (readerCode.length !== 6 || !CODE_TEXT.test(readerCode)))
    out.push(new ParameterError(READER_CODE, "reader code must be 6 characters 0-9, A-Z or space"));
  if (!Array.isArray(given.userGroups) || given.userGroups.length !== 5)
    out.push(new ParameterError(USER_GROUPS, "there are 5 user group codes"));
  if (!Array.isArray(given.blackList))
    out.push(new ParameterError(BLACK_LIST_FIRST, "the black list is a list of key numbers"));
  for (const problem of clockProblems(given.clock)) out.push(new ParameterError(CLOCK, problem));
  if (out.some((e) => e.parameter === USER_GROUPS || e.parameter === BLACK_LIST_FIRST)) return sorted(out);
  params.userGroups.forEach((code, i) => {
    const min = i === 4 ? 0 : 1; // manual 4.9: only group 5 may be 0, the passe-partout
    if (!Number.isInteger(code) || code < min || code > 255)
      out.push(new ParameterError(USER_GROUPS, `user group ${i + 1} is ${shown(code)}, allowed ${min}..255`));
  });
  const capacity = blackListCapacity(numeric.blackList ?? 0);
  if (params.blackList.length > capacity)
    out.push(
      new ParameterError(
        BLACK_LIST_FIRST + capacity,
        `black list holds ${capacity} keys, not ${params.blackList.length}`,
      ),
    );
  params.blackList.forEach((key, i) => {
    if (!Number.isInteger(key) || key < 1 || key > 9_999_999)
      out.push(new ParameterError(BLACK_LIST_FIRST + i, `key number ${shown(key)} is not 1..9999999`));
  });
  return sorted(out);
}

/** A value as a message shows it, whatever it is (settings off a key may be anything). */
const shown = (v: unknown): string => (typeof v === "number" ? String(v) : (JSON.stringify(v) ?? String(v)));

/** Numbered parameters first, lowest first; then the settings without a number. */
const sorted = (errors: ParameterError[]) =>
  errors.sort((a, b) =>
    typeof a.parameter === "number" && typeof b.parameter === "number"
      ? a.parameter - b.parameter
      : typeof a.parameter === "number"
        ? -1
        : typeof b.parameter === "number"
          ? 1
          : 0,
  );

/**
 * Sets one numeric parameter by its number and returns the new set; throws `ParameterError`
 * (and leaves `params` as it was) when the number is unknown or the value out of range. The
 * operator code (000), the EVA-DTS security and pass codes (006, 007) and the password (009) need
 * the current password once one is programmed (`PasswordRefused`, manual 4.9.3).
 */
export function setParameter(
  params: SystemParameters,
  number: number,
  value: number,
  password?: number,
): SystemParameters {
  if (number === 0) checkPassword(params, "operator-code", password);
  if (number === 6 || number === 7) checkPassword(params, "audit-codes", password);
  if (number === 9) checkPassword(params, "password", password);
  const d = BY_NUMBER.get(number);
  if (d === undefined) throw new ParameterError(number, "no such system parameter");
  if (!Number.isInteger(value) || value < d.min || value > d.max)
    throw new ParameterError(number, `${d.name} is ${value}, allowed ${d.min}..${d.max}`);
  // manual 4.12: 500 KEYS is set by a black-list key or a Maxi Key, never by the programmer
  if (number === 41000 && value === 2 && params.numeric.blackList !== 2)
    throw new ParameterError(number, "500 KEYS is set only by a black-list key (manual 4.12)");
  return { ...params, numeric: { ...params.numeric, [d.name]: value } };
}

/**
 * Initialisation (manual 4.10.15): everything back to its default except language, customer
 * and department codes, machine and reader codes and user groups, which are kept, or set to
 * the manual's fallbacks when out of range; the operator code always returns to 00000001.
 */
export function initialise(params: SystemParameters): SystemParameters {
  const fresh = defaultParameters();
  const keep = (name: NumericName): number => {
    const d = BY_NAME.get(name);
    const v = params.numeric[name];
    return d && Number.isInteger(v) && v >= d.min && v <= d.max ? v : fresh.numeric[name];
  };
  const kept: SystemParameters = {
    ...fresh,
    numeric: {
      ...fresh.numeric,
      language: keep("language"),
      customerCode: keep("customerCode"),
      departmentCode: keep("departmentCode"),
      userGroupsOn: keep("userGroupsOn"),
      machineCodeSize: keep("machineCodeSize"),
    },
    machineCode: params.machineCode,
    readerCode: params.readerCode,
    userGroups: params.userGroups,
    // the clock inside the CPU keeps its time and zone through an initialisation
    clock: clockProblems(params.clock).length === 0 ? params.clock : fresh.clock,
  };
  const problems = new Set(validateParameters(kept).map((e) => e.parameter));
  return {
    ...kept,
    numeric: problems.has(MACHINE_CODE) ? { ...kept.numeric, machineCodeSize: 0 } : kept.numeric,
    machineCode: problems.has(MACHINE_CODE) ? fresh.machineCode : kept.machineCode,
    readerCode: problems.has(READER_CODE) || problems.has(MACHINE_CODE) ? fresh.readerCode : kept.readerCode,
    userGroups: problems.has(USER_GROUPS) ? fresh.userGroups : kept.userGroups,
  };
}

/**
 * What a setup key carries to another reader (manual 4.10.11): every parameter, except that
 * the keys of a 500-key black list stay behind: the target keeps the 500-key mode with an empty
 * list, to be filled by a black-list key or Maxi Key as a 500-key list always is (manual 4.12).
 */
export function setupKeyCopy(params: SystemParameters): SystemParameters {
  return params.numeric.blackList === 2 ? { ...params, blackList: [] } : params;
}

/**
 * The clock's settings changed (manual 8.1): the time zone, the date or hour format, or the
 * offset from the host's clock that setting the date and time gives. Refused as a
 * `ParameterError` naming "clock" when a field is not valid; `params` stays as it was.
 */
export function withClock(params: SystemParameters, changes: Partial<ClockSettings>): SystemParameters {
  const clock = { ...params.clock, ...changes };
  const problem = clockProblems(clock)[0];
  if (problem !== undefined) throw new ParameterError(CLOCK, problem);
  return { ...params, clock };
}

/**
 * The clock set to `t`, wall-clock time in its time zone (manual 8.1.3), on a host whose clock
 * reads `hostNow`: the offset between them is what is kept. Refused as a `ParameterError`
 * naming "clock" when `t` is no date and time.
 */
export function setClockTime(params: SystemParameters, t: WallTime, hostNow: number): SystemParameters {
  const problem = wallTimeProblem(t);
  if (problem !== undefined) throw new ParameterError(CLOCK, problem);
  return withClock(params, { offset: instantOf(t, params.clock.timeZone) - hostNow });
}

/** Resetting the password also returns the operator code to its default (manual 4.9.3). */
export function resetPassword(params: SystemParameters): SystemParameters {
  return { ...params, numeric: { ...params.numeric, password: 0, operatorCode: 1 } };
}

/** Parameter 30002's values, in order (manual 4.2.2, 4.3.5). */
export const PRICE_SYSTEMS = [
  "prices-on-vmc",
  "price-system",
  "price-holding",
  "price-holding-display",
] as const;
