import type { PricingConfig } from "@vendkit/pricing";
import type { SystemParameters } from "./parameters.js";
/**
 * Which keys a reader accepts (MiZip Plus manual 4.9.1, Table 1; 4.9 user groups; 4.10 key type,
 * max usable credit; 4.12 black list; 4.4 key levels OFF). A refusal carries the error counter it
 * feeds (manual 7.5 list 14): ERR 2 wrong codes, ERR 7 credit above max usable, ERR 13 black list.
 */
export type KeyTechnology = "125khz" | "mifare";

export interface AccessSettings {
  /** 8 digits, must match exactly. */
  readonly operatorCode: number;
  /** 0..65535; 0 on either side = not checked. */
  readonly customerCode: number;
  /** 0..255; 0 on either side = not checked (used when user groups are off). */
  readonly departmentCode: number;
  /** User groups: five department codes; only #5 may be 0 (accepts any department). */
  readonly userGroups: {
    readonly enabled: boolean;
    readonly codes: readonly [number, number, number, number, number];
  };
  readonly keyType: KeyTechnology | "both";
  /** A key with more credit than this is refused (smallest currency unit). */
  readonly maxUsableCredit: number;
  /** Black-listed key numbers. */
  readonly blackList: ReadonlySet<number>;
  /** Key levels 0..3 whose price table is OFF (such keys are refused as with wrong codes). */
  readonly levelsOff: ReadonlySet<number>;
}

/** A reader's access rules from its parameters and price tables (a level whose table is OFF refuses). */
export function accessSettings(params: SystemParameters, pricing: PricingConfig): AccessSettings {
  const p = params.numeric;
  const levelsOff = new Set<number>();
  pricing.keys.forEach((k, level) => {
    if (k.mode === "off") levelsOff.add(level);
  });
  return {
    operatorCode: p.operatorCode,
    customerCode: p.customerCode,
    departmentCode: p.departmentCode,
    userGroups: { enabled: p.userGroupsOn === 1, codes: params.userGroups },
    keyType: p.keyType === 0 ? "125khz" : p.keyType === 1 ? "mifare" : "both",
    maxUsableCredit: p.maxUsableCredit,
    blackList: new Set(p.blackList === 0 ? [] : params.blackList),
    levelsOff,
  };
}

export interface KeyCodes {
  readonly technology: KeyTechnology;
  readonly keyNumber: number;
  readonly operatorCode: number;
  readonly customerCode: number;
  readonly departmentCode: number;
  readonly level: number;
  readonly credit: number;
}

export type AccessRefusal =
  | "KEY_TYPE"
  | "OPERATOR_CODE"
  | "CUSTOMER_CODE"
  | "DEPARTMENT_CODE"
  | "LEVEL_OFF"
  | "BLACK_LISTED"
  | "CREDIT_ABOVE_MAX";

const ERR: Record<AccessRefusal, number> = {
  KEY_TYPE: 2,
  OPERATOR_CODE: 2,
  CUSTOMER_CODE: 2,
  DEPARTMENT_CODE: 2,
  LEVEL_OFF: 2,
  BLACK_LISTED: 13,
  CREDIT_ABOVE_MAX: 7,
};

export type AccessDecision =
  | { readonly ok: true; readonly userGroup?: number }
  | { readonly ok: false; readonly reason: AccessRefusal; readonly err: number };

const refuse = (reason: AccessRefusal): AccessDecision => ({ ok: false, reason, err: ERR[reason] });

/** Whether a key may be used here, and in which user group it counts. */
export function checkAccess(s: AccessSettings, k: KeyCodes): AccessDecision {
  if (s.keyType !== "both" && s.keyType !== k.technology) return refuse("KEY_TYPE");
  if (k.operatorCode !== s.operatorCode) return refuse("OPERATOR_CODE");
  if (k.customerCode !== s.customerCode && k.customerCode !== 0 && s.customerCode !== 0)
    return refuse("CUSTOMER_CODE");
  let userGroup: number | undefined;
  if (s.userGroups.enabled) {
    const found = s.userGroups.codes.findIndex((c) => c === k.departmentCode && c !== 0);
    if (found >= 0) userGroup = found + 1;
    else if (s.userGroups.codes[4] === 0)
      userGroup = 5; // passe-partout
    else return refuse("DEPARTMENT_CODE");
  } else if (k.departmentCode !== s.departmentCode && k.departmentCode !== 0 && s.departmentCode !== 0) {
    return refuse("DEPARTMENT_CODE");
  }
  if (s.levelsOff.has(k.level)) return refuse("LEVEL_OFF");
  if (s.blackList.has(k.keyNumber)) return refuse("BLACK_LISTED");
  if (k.credit > s.maxUsableCredit) return refuse("CREDIT_ABOVE_MAX");
  return userGroup === undefined ? { ok: true } : { ok: true, userGroup };
}

/** User-group codes as the programmer allows them: 1..255, only the fifth may be 0. */
export function userGroupProblems(codes: readonly number[]): string[] {
  const out: string[] = [];
  if (codes.length !== 5) out.push("there are five user groups");
  codes.forEach((c, i) => {
    const min = i === 4 ? 0 : 1;
    if (!Number.isInteger(c) || c < min || c > 255) out.push(`user group ${i + 1} is ${c}, not ${min}..255`);
  });
  return out;
}
