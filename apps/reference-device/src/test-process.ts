import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const main = join(dirname(fileURLToPath(import.meta.url)), "main.ts");

/** The device as its own process (through tsx, so no build is needed), for the process tests. */
export function spawnDevice(args: readonly string[]): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", main, "--port", "0", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/**
 * Everything the process prints, kept from the start: `waitFor(text)` resolves once the output
 * holds `text` (already or later), and rejects if the process exits first.
 */
export function watchOutput(child: ChildProcess): { waitFor: (text: string) => Promise<void> } {
  let out = "";
  let err = "";
  let exited: number | null | undefined;
  const waiters: (() => void)[] = [];
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
    for (const w of waiters.splice(0)) w();
  });
  child.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
  });
  child.once("exit", (code) => {
    exited = code;
    for (const w of waiters.splice(0)) w();
  });
  return {
    waitFor: (text) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (out.includes(text)) resolve();
          else if (exited !== undefined) reject(new Error(`exited (${exited}) before "${text}": ${err}`));
          else waiters.push(check);
        };
        check();
      }),
  };
}
