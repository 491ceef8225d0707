export { type ByteEnd, runOverStream } from "./run.js";
export { accept, closeStream, connect, type LinkSpec } from "./transport.js";
