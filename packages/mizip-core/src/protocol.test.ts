import { describe, expect, it } from "vitest";
import { defaultParameters, setParameter } from "./parameters.js";
import { CHANGER_VALIDATOR, type Protocol, protocolOf, withProtocol } from "./protocol.js";

const ALL: Protocol[] = ["mdb", "executive-master", "executive-rendiresto", "executive-slave"];

describe("the protocol 30000 names (manual 4.2, 4.3)", () => {
  it("reads back every protocol it writes, from any protocol before", () => {
    for (const from of ALL)
      for (const to of ALL) {
        const d = defaultParameters();
        expect(protocolOf(withProtocol(withProtocol(d, from, d), to, d))).toBe(to);
      }
  });

  it("30000 = 0 is RENDIRESTO only with 20001 set to the changer", () => {
    const d = defaultParameters();
    expect(protocolOf(setParameter(d, 30000, 0))).toBe("executive-master");
    const rendiresto = withProtocol(d, "executive-rendiresto", d);
    expect([rendiresto.numeric.protocol, rendiresto.numeric.validatorType]).toEqual([0, CHANGER_VALIDATOR]);
    expect(protocolOf(setParameter(d, 30000, 1))).toBe("executive-slave");
    expect(protocolOf(setParameter(d, 30000, 2))).toBe("mdb");
  });

  it("leaving RENDIRESTO for Executive master gives 20001 back its default; other validators stay", () => {
    const d = defaultParameters();
    const back = withProtocol(withProtocol(d, "executive-rendiresto", d), "executive-master", d);
    expect(back.numeric.validatorType).toBe(d.numeric.validatorType);
    const own = setParameter(d, 20001, 2);
    expect(withProtocol(own, "mdb", d).numeric.validatorType).toBe(2);
  });
});
