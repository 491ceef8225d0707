import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Two linked pseudo-terminals, like a serial cable between two devices. */
export async function ptyPair(): Promise<{ a: string; b: string; close: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), "vendkit-pty-"));
  const a = join(dir, "a");
  const b = join(dir, "b");
  const proc: ChildProcess = spawn("socat", [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: "ignore",
  });
  for (let i = 0; i < 100 && !(existsSync(a) && existsSync(b)); i++)
    await new Promise((r) => setTimeout(r, 20));
  if (!(existsSync(a) && existsSync(b))) {
    proc.kill();
    throw new Error("socat did not create the pty pair");
  }
  return { a, b, close: () => proc.kill() };
}
