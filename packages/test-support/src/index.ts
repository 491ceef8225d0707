export { chromiumFor, ensureDebianPackage, INSTALL_TIMEOUT, socatFor, toolMissing } from "./debian.js";
export { freePort } from "./free-port.js";
export { bothWays, fromHex, readJsonl, type Vector } from "./golden.js";
export { CLEAN, type Fault, faultArb, LossyLine } from "./lossy-line.js";
export { postgresFor, startPostgres, type TestPostgres } from "./postgres.js";
export { ptyPair } from "./pty.js";
