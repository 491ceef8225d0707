import { type AuditMode, AuditModeUnsupported, auditMode } from "./audit.js";
import { BAUD_RATES, type SystemParameters } from "./parameters.js";

/**
 * What the audit port does, read from the programmer's parameters (manual 7.4 and menu 9.4.1):
 * the link and format of 40007 — DDCMP 6.0 / 6.0 Plus answer an EVA-DTS collector over DDCMP,
 * DEX 6.0 / 6.0 Plus over DEX/UCS; N&W's own modes (standard, Maxi Key, extended) are not public,
 * so the port answers them as DDCMP 6.0 Plus, as the data key does — and the DDCMP settings.
 */
export interface AuditPortSettings {
  readonly link: "ddcmp" | "dex";
  readonly mode: AuditMode;
  readonly ddcmp: {
    /**
     * 40008 BAUD RATE MAX as an EVA-DTS baud-rate code (1 = 1200 ... 8 = 115200), 0 for
     * UNCHANGED (the session stays at 2400); 40016 IrDA ON caps it at 38400 (code 6).
     */
    readonly maxBaudCode: number;
    /** 40009 SELECT FLAG: the length sent as unknown and the last block marked. */
    readonly selectFlag: boolean;
    /** 40010 PASS / SECUR. CODES ON: the collector must present 006 and 007. */
    readonly checkCodes: boolean;
    readonly securityCode: number;
    readonly passCode: number;
    /** 40017 DATA BLOCK SIZE: audit text bytes per block (the link caps it to the buffer). */
    readonly blockSize: number;
    /** 40018 ACK TIME OUT, ms. */
    readonly ackTimeout: number;
  };
}

/** EVA-DTS's baud-rate code for 38400, IrDA's ceiling (manual 7.4). */
const IRDA_MAX_CODE = 6;

/** The EVA-DTS mode a collection takes: 40007's, or DDCMP 6.0 Plus for N&W's own formats. */
export function collectionMode(params: SystemParameters): AuditMode {
  try {
    return auditMode(params.numeric.auditMode);
  } catch (e) {
    if (e instanceof AuditModeUnsupported) return "ddcmp-6.0-plus";
    throw e;
  }
}

export function auditPortSettings(params: SystemParameters): AuditPortSettings {
  const n = params.numeric;
  const mode = collectionMode(params);
  const rate = BAUD_RATES[n.ddcmpBaudRateMax];
  const code = typeof rate === "number" ? n.ddcmpBaudRateMax + 1 : 0;
  return {
    link: mode.startsWith("dex") ? "dex" : "ddcmp",
    mode,
    ddcmp: {
      maxBaudCode: n.irda === 1 && code > IRDA_MAX_CODE ? IRDA_MAX_CODE : code,
      selectFlag: n.ddcmpSelectFlag === 1,
      checkCodes: n.ddcmpCodesCheck === 1,
      securityCode: n.evadtsSecurityCode,
      passCode: n.evadtsPassCode,
      blockSize: n.dataBlockSize,
      ackTimeout: n.ackTimeout,
    },
  };
}
