import type { Duplex } from "node:stream";

/**
 * Calls `onLine` with each line `stream` delivers, its LF and any CR before it removed; returns
 * what stops listening.
 */
export function onLines(stream: Duplex, onLine: (line: string) => void): () => void {
  let buffer = "";
  const listener = (chunk: Buffer) => {
    buffer += chunk.toString("latin1");
    for (let nl = buffer.indexOf("\n"); nl !== -1; nl = buffer.indexOf("\n")) {
      const line = buffer.slice(0, nl).replace(/\r$/, "");
      buffer = buffer.slice(nl + 1);
      onLine(line);
    }
  };
  stream.on("data", listener);
  return () => stream.off("data", listener);
}
