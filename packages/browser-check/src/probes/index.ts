/** The probes by package entry, each in its own module so each bundles alone. */
export const PROBES = [
  "machine",
  "evadts",
  "evadts/dex",
  "ddcmp",
  "executive",
  "mdb",
  "mifare-purse",
  "mizip-core",
  "pricing",
  "metering",
] as const;
