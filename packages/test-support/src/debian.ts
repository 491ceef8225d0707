import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * Installs a Debian package the tests need when it is missing and we may (root, as on CI), and
 * says whether it is there now. The caller reports plainly when a test could not run.
 */
export function ensureDebianPackage(pkg: string, present: () => boolean): boolean {
  if (present()) return true;
  if (process.getuid?.() !== 0) return false;
  const install = () =>
    spawnSync("apt-get", ["install", "-y", "-qq", pkg], {
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  if (install().status !== 0) {
    spawnSync("apt-get", ["update", "-qq"]);
    install();
  }
  return present();
}

/**
 * How long a test hook that may install a package waits: apt-get on a fresh machine takes far
 * longer than vitest's 10 s hook default (chromium: about 20 s here, more on a slow mirror).
 */
export const INSTALL_TIMEOUT = 600_000;

/** socat, which makes the pty pairs the serial tests run over. */
export const ensureSocat = (): boolean =>
  ensureDebianPackage("socat", () => spawnSync("socat", ["-V"]).status === 0);

const CHROMIUM = "/usr/bin/chromium";

/** Debian's chromium for the browser tests (driven by playwright-core); its path, or undefined. */
export function ensureChromium(): string | undefined {
  return ensureDebianPackage("chromium", () => existsSync(CHROMIUM)) ? CHROMIUM : undefined;
}

/**
 * A tool a test needs is missing and cannot be installed: on CI (`CI=true`) that fails the run,
 * since a skipped test there would pass unseen; elsewhere a plain warning says the test did NOT run.
 */
export function toolMissing(tool: string, what: string): void {
  const said = `${tool} is missing and cannot be installed here: ${what} did NOT run`;
  if (process.env.CI === "true") throw new Error(`${said} (CI=true: a missing tool fails the run)`);
  console.warn(said);
}

/** socat for `what` (a test): true when it is here; otherwise false (see `toolMissing`). */
export function socatFor(what: string): boolean {
  const ok = ensureSocat();
  if (!ok) toolMissing("socat", what);
  return ok;
}

/** chromium's path for `what` (a test), or undefined (see `toolMissing`). */
export function chromiumFor(what: string): string | undefined {
  const path = ensureChromium();
  if (path === undefined) toolMissing("chromium", what);
  return path;
}
