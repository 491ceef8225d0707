/** Stable codes of the portal's refusals; the HTTP layer maps each to a status. */
export type PortalErrorCode =
  | "BAD_INPUT"
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "UNAUTHENTICATED"
  | "BAD_TOKEN"
  | "TOKEN_EXPIRED"
  | "CSRF"
  | "CONFLICT"
  | "READING_REFUSED"
  | "TOO_LARGE";

export class PortalError extends Error {
  constructor(
    readonly code: PortalErrorCode,
    message: string,
    /** Per-field or per-counter messages, for forms. */
    readonly details: readonly string[] = [],
    /** The form field that would put it right, when one would (an audit without a date: `date`). */
    readonly field?: string,
  ) {
    super(message);
    this.name = "PortalError";
  }
}

export const HTTP_STATUS: Record<PortalErrorCode, number> = {
  BAD_INPUT: 400,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  UNAUTHENTICATED: 401,
  BAD_TOKEN: 403,
  TOKEN_EXPIRED: 403,
  CSRF: 403,
  CONFLICT: 409,
  READING_REFUSED: 422,
  TOO_LARGE: 413,
};
