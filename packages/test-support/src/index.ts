export { ensureSocat, ptyPair } from "./pty.js";
