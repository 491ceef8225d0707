/**
 * Test doubles for code that uses @vendkit/mdb on Node: emulated Qibixx adapters speaking their
 * documented lines over a stream (a pty in tests). Not part of the main entry: they need Node's
 * streams, and a vendor's product does not ship them.
 */
export { QibixxAdapterEmulator } from "./transport/qibixx-emulator.js";
export { QibixxMasterEmulator } from "./transport/qibixx-master.js";
export { FramedWordLink } from "./transport/word-line.js";
