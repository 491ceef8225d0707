import type { ReaderIdentity } from "./peripheral.js";

/** A reader identity for tests and benchmarks: EUR, scale 1, two decimals; override what matters. */
export function testReader(overrides: Partial<ReaderIdentity> = {}): ReaderIdentity {
  return {
    manufacturer: "VKT",
    serial: "000000000001",
    model: "TEST",
    version: 1,
    level: 3,
    currency: 0x1978,
    scale: 1,
    decimals: 2,
    maxResponseTime: 5,
    configOptions: 0,
    features: 0,
    ...overrides,
  };
}
