import { describe, expect, it } from "vitest";
import type { PortalError } from "./errors.js";
import { Tokens } from "./tokens.js";

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as PortalError).code;
  }
  return "accepted";
};

describe("tokens", () => {
  const tokens = new Tokens(Buffer.from("k".repeat(32)));
  const token = tokens.sign({ purpose: "reading-link", sub: "I-1", exp: 1000 });

  it("verify a genuine token for its purpose until it expires", () => {
    expect(tokens.verify(token, "reading-link", 999)).toMatchObject({ sub: "I-1" });
    expect(code(() => tokens.verify(token, "reading-link", 1000))).toBe("TOKEN_EXPIRED");
    expect(code(() => tokens.verify(token, "session", 0))).toBe("BAD_TOKEN");
  });

  it("refuse another key's token, a changed body or signature, and junk", () => {
    const other = new Tokens(Buffer.from("x".repeat(32))).sign({
      purpose: "reading-link",
      sub: "I-1",
      exp: 1000,
    });
    expect(code(() => tokens.verify(other, "reading-link", 0))).toBe("BAD_TOKEN");
    const [body, mac] = token.split(".") as [string, string];
    const changed = Buffer.from(JSON.stringify({ purpose: "reading-link", sub: "I-2", exp: 1000 })).toString(
      "base64url",
    );
    expect(code(() => tokens.verify(`${changed}.${mac}`, "reading-link", 0))).toBe("BAD_TOKEN");
    expect(code(() => tokens.verify(`${body}.${mac.slice(1)}A`, "reading-link", 0))).toBe("BAD_TOKEN");
    for (const junk of ["", ".", "a.b.c", "%%%.%%%"])
      expect(code(() => tokens.verify(junk, "reading-link", 0))).toBe("BAD_TOKEN");
  });
});
