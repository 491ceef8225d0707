export { CLEAN, type Fault, faultArb, LossyLine } from "./lossy-line.js";
export { ensureSocat, ptyPair } from "./pty.js";
