import type { SystemParameters } from "./parameters.js";

/**
 * The password (MiZip Plus manual 4.9.3): eight digits, 00000000 meaning "not programmed". Once
 * programmed it is asked for exactly these operations; changing it asks for the current one.
 */
export const PROTECTED_OPERATIONS = [
  /** Recharging a sale key from the programmer (key management / modify credit). */
  "key-credit",
  /** Changing a recharge key's number of uses. */
  "recharge-key-uses",
  /** Changing the operator code (parameter 000). */
  "operator-code",
  /** Changing the EVA-DTS security and pass codes. */
  "audit-codes",
  /** Changing the password itself. */
  "password",
] as const;
export type ProtectedOperation = (typeof PROTECTED_OPERATIONS)[number];

export class PasswordRefused extends Error {
  constructor(
    readonly code: "PASSWORD_REQUIRED" | "WRONG_PASSWORD",
    readonly operation: ProtectedOperation,
  ) {
    super(
      code === "PASSWORD_REQUIRED"
        ? `${operation} needs the password`
        : `the password entered for ${operation} is wrong`,
    );
    this.name = "PasswordRefused";
  }
}

/** Throws `PasswordRefused` unless `operation` may go ahead with the password `entered`. */
export function checkPassword(
  params: SystemParameters,
  operation: ProtectedOperation,
  entered: number | undefined,
): void {
  const password = params.numeric.password;
  if (password === 0) return;
  if (entered === undefined) throw new PasswordRefused("PASSWORD_REQUIRED", operation);
  if (entered !== password) throw new PasswordRefused("WRONG_PASSWORD", operation);
}
