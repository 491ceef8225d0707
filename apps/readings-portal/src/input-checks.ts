import { PortalError } from "./errors.js";

/** What the registry and the forms accept as an id, an e-mail address and a short name. */
export const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
export const EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;
export const NAME = /^[A-Za-z0-9][A-Za-z0-9 _-]{0,31}$/;
/** A billing month, YYYY-MM. */
export const MONTH = /^[0-9]{4}-(0[1-9]|1[0-2])$/;
/** Where a reading link sends its customer after the login: a reading form of this portal. */
export const READING_FORM = /^\/customer\/installations\/[A-Za-z0-9._-]{1,40}$/;

/** Adds `message` to `problems` unless `ok`. */
export function need(ok: boolean, message: string, problems: string[]): void {
  if (!ok) problems.push(message);
}

/** Refuses (BAD_INPUT, one detail per problem) when there are problems. */
export function refuseIf(problems: string[], what: string): void {
  if (problems.length > 0) throw new PortalError("BAD_INPUT", `${what}: ${problems.join("; ")}`, problems);
}
