import { parse } from "@vendkit/evadts";
import { describe, expect, it } from "vitest";
import { auditFile } from "./audit.js";
import { auditPortSettings, collectionMode } from "./audit-port.js";
import { defaultParameters, setParameter } from "./parameters.js";
import { shopPricing } from "./test-support.js";

describe("the audit port's settings from the parameters (manual 7.4, menu 9.4.1)", () => {
  it("answers DDCMP or DEX as 40007 says, N&W's own modes as DDCMP 6.0 Plus", () => {
    const p = defaultParameters();
    expect(auditPortSettings(p)).toMatchObject({ link: "ddcmp", mode: "ddcmp-6.0-plus" });
    expect(auditPortSettings(setParameter(p, 40007, 5))).toMatchObject({ link: "dex", mode: "dex-6.0" });
    expect(auditPortSettings(setParameter(p, 40007, 3))).toMatchObject({ link: "ddcmp", mode: "ddcmp-6.0" });
    expect(collectionMode(setParameter(p, 40007, 1))).toBe("ddcmp-6.0-plus");
  });

  it("reads BAUD RATE MAX, IrDA, SELECT FLAG, the codes, DATA BLOCK SIZE and ACK TIME OUT", () => {
    const p = defaultParameters();
    expect(auditPortSettings(p).ddcmp).toEqual({
      maxBaudCode: 0, // UNCHANGED: the session stays at 2400
      selectFlag: false,
      checkCodes: false,
      securityCode: 0,
      passCode: 0,
      blockSize: 240,
      ackTimeout: 170,
    });
    let q = setParameter(p, 40008, 7); // 115200
    expect(auditPortSettings(q).ddcmp.maxBaudCode).toBe(8);
    q = setParameter(q, 40016, 1); // IrDA caps at 38400
    expect(auditPortSettings(q).ddcmp.maxBaudCode).toBe(6);
    expect(auditPortSettings(setParameter(p, 40008, 3)).ddcmp.maxBaudCode).toBe(4); // 9600
    q = setParameter(setParameter(setParameter(p, 40009, 1), 40010, 1), 40017, 64);
    q = setParameter(setParameter(setParameter(q, 6, 0x1234), 7, 0x5678), 40018, 500);
    expect(auditPortSettings(q).ddcmp).toMatchObject({
      selectFlag: true,
      checkCodes: true,
      securityCode: 0x1234,
      passCode: 0x5678,
      blockSize: 64,
      ackTimeout: 500,
    });
  });

  it("reports the coin mechanism code (005) as CA101 when one is set", () => {
    const identity = { serial: "NIS0012345", model: "MIZIP PLUS", softwareVersion: "2.10" };
    const collection = { at: 0, period: {}, historic: {}, damaged: false };
    const file = (p: ReturnType<typeof defaultParameters>) =>
      parse(auditFile(collection, p, shopPricing(), identity, "ddcmp-6.0"));
    expect(file(defaultParameters()).first("CA1")).toBeUndefined();
    expect(file(setParameter(defaultParameters(), 5, 4217)).first("CA1")?.elements).toEqual(["004217"]);
  });
});
