import { type ChildProcess, execFile, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "@vendkit/test-support";
import { ROOT } from "./workspace.js";

const run = promisify(execFile);

/** A local Verdaccio: loopback only, no uplink, so it serves only what is published to it. */
export interface LocalRegistry {
  readonly url: string;
  /** An `.npmrc` that may publish to it. */
  readonly userconfig: string;
  stop(): Promise<void>;
}

/**
 * What ties npm to the workspace when `npm test` runs the tests: the script's package, its folder
 * (local_prefix) and lifecycle. A project elsewhere must not inherit them; the machine's own npm
 * settings (registry, proxy, cache, config files) pass through.
 */
const WORKSPACE_NPM = /^(npm_package_|npm_lifecycle_|npm_config_local_prefix$|npm_command$|INIT_CWD$)/i;

/** The environment for npm in a project of its own, as a vendor's shell would have it. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!WORKSPACE_NPM.test(k)) env[k] = v;
  return {
    ...env,
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
    npm_config_audit: "false",
    ...extra,
  };
}

function waitForListening(child: ChildProcess, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = "";
    const timer = setTimeout(() => reject(new Error(`Verdaccio did not start within 60 s:\n${log}`)), 60_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes(url.replace(/\/$/, ""))) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Verdaccio exited (${code}):\n${log}`));
    });
  });
}

/** Starts Verdaccio (the workspace's devDependency) with its storage in `dir`, and a user. */
export async function startRegistry(dir: string): Promise<LocalRegistry> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const config = join(dir, "config.yaml");
  writeFileSync(
    config,
    [
      `storage: ${join(dir, "storage")}`,
      "auth:",
      "  htpasswd:",
      `    file: ${join(dir, "htpasswd")}`,
      "uplinks: {}",
      "packages:",
      "  '@vendkit/*':",
      "    access: $all",
      "    publish: $authenticated",
      "  '**':",
      "    access: $all",
      "max_body_size: 50mb",
      "log: { type: stdout, format: pretty, level: warn }",
      "",
    ].join("\n"),
  );
  const bin = join(ROOT, "node_modules", "verdaccio", "bin", "verdaccio");
  const child = spawn(process.execPath, [bin, "--config", config, "--listen", `127.0.0.1:${port}`], {
    cwd: dir,
    env: cleanEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  await waitForListening(child, url);
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill();
    await exited;
  };
  try {
    const res = await fetch(`${url}-/user/org.couchdb.user:vendkit`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "vendkit", password: "release-check" }),
    });
    const { token } = (await res.json()) as { token?: string };
    if (!res.ok || token === undefined) throw new Error(`Verdaccio refused the user: ${res.status}`);
    const userconfig = join(dir, "publish.npmrc");
    writeFileSync(userconfig, `//127.0.0.1:${port}/:_authToken=${token}\n`);
    return { url, userconfig, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** `npm publish` of a packed tarball, as a maintainer would, to the registry. */
export async function publish(registry: LocalRegistry, tarball: string, cwd: string): Promise<void> {
  await run("npm", ["publish", tarball, "--registry", registry.url, "--userconfig", registry.userconfig], {
    cwd,
    env: cleanEnv(),
  });
}
