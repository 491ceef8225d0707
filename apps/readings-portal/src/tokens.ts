import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { PortalError } from "./errors.js";

/**
 * What a token may be used for. A token signed for one purpose is refused for any other: a
 * reading link cannot open a session, a session cannot stand in for a CSRF token.
 */
export type TokenPurpose = "session" | "reading-link" | "csrf";

export interface TokenClaims {
  readonly purpose: TokenPurpose;
  /** Who or what the token is about: a user id, an installation id… */
  readonly sub: string;
  /** Expiry, milliseconds since the epoch. */
  readonly exp: number;
  readonly [extra: string]: string | number | undefined;
}

/** Signs and checks tokens: base64url JSON claims, then an HMAC-SHA256 over them. */
export class Tokens {
  constructor(private readonly secret: Buffer) {}

  static newSecret(): string {
    return randomBytes(32).toString("base64url");
  }

  /** A key of its own for `purpose`, from the same secret (so it survives a restart as tokens do). */
  derive(purpose: string): Buffer {
    return createHmac("sha256", this.secret).update(`key:${purpose}`).digest();
  }

  private mac(body: string): Buffer {
    return createHmac("sha256", this.secret).update(body).digest();
  }

  sign(claims: TokenClaims): string {
    const body = Buffer.from(JSON.stringify(claims)).toString("base64url");
    return `${body}.${this.mac(body).toString("base64url")}`;
  }

  /** The claims of a genuine, unexpired token for `purpose`; a typed refusal otherwise. */
  verify(token: string, purpose: TokenPurpose, now: number): TokenClaims {
    const [body, mac, extra] = token.split(".");
    if (!body || !mac || extra !== undefined)
      throw new PortalError("BAD_TOKEN", "the link or token is malformed");
    const given = Buffer.from(mac, "base64url");
    const expected = this.mac(body);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new PortalError("BAD_TOKEN", "the link or token was not issued by this portal");
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as TokenClaims;
    } catch {
      throw new PortalError("BAD_TOKEN", "the link or token is malformed");
    }
    if (claims.purpose !== purpose)
      throw new PortalError("BAD_TOKEN", `this token is for ${String(claims.purpose)}, not ${purpose}`);
    if (typeof claims.exp !== "number" || claims.exp <= now)
      throw new PortalError(
        "TOKEN_EXPIRED",
        "the link has expired; log in, or ask the operator for a new one",
      );
    return claims;
  }
}
