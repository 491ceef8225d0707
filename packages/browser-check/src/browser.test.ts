import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromiumFor, INSTALL_TIMEOUT } from "@vendkit/test-support";
import { build } from "esbuild";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROBES } from "./probes/index.js";
import type { Inputs } from "./probes/support.js";

const here = dirname(fileURLToPath(import.meta.url));
const vectors = (pkg: string, file: string) =>
  readFileSync(join(here, "..", "..", pkg, "test-vectors", file)).toString("base64");
const INPUTS: Inputs = {
  audit: vectors("evadts", "mizip-ddcmp60-plus.eva_dts"),
  bills: vectors("metering", "bills.json"),
};

/**
 * One probe bundled alone for the browser: the package's main entry (from its dist, as a
 * vendor's bundler would take it) and nothing of Node. esbuild fails the build on any `node:`
 * module or Node built-in it meets on the way.
 */
async function bundle(name: string): Promise<string> {
  const file = join(here, "probes", `${name.replace("/", "-")}.ts`);
  const out = await build({
    stdin: {
      contents: `import { probe } from ${JSON.stringify(file)}; globalThis.__probe = probe;`,
      resolveDir: here,
      loader: "ts",
    },
    bundle: true,
    platform: "browser",
    format: "iife",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  return out.outputFiles[0]?.text ?? "";
}

describe("each library's main entry, bundled for the browser and run in headless Chromium", () => {
  let browser: Browser | undefined;
  beforeAll(async () => {
    const executablePath = chromiumFor("the browser bundles test");
    if (executablePath) browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
  }, INSTALL_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
  });

  for (const name of PROBES)
    it(`${name}: bundles with no Node module and gives in Chromium what it gives in Node`, async (ctx) => {
      const code = await bundle(name);
      expect(code).not.toMatch(/require\(["']node:|from ["']node:/);
      if (browser === undefined) return ctx.skip();
      const page = await browser.newPage();
      try {
        // the page has no Node: no process, no Buffer, no require
        await page.setContent("<!doctype html><title>vendkit</title>");
        expect(await page.evaluate(() => typeof (globalThis as { Buffer?: unknown }).Buffer)).toBe(
          "undefined",
        );
        await page.addScriptTag({ content: code });
        const inBrowser = await page.evaluate(
          (input) => (globalThis as unknown as { __probe: (i: unknown) => Promise<unknown> }).__probe(input),
          INPUTS,
        );
        const { probe } = (await import(
          /* @vite-ignore */ join(here, "probes", `${name.replace("/", "-")}.ts`)
        )) as {
          probe: (i: Inputs) => Promise<unknown>;
        };
        const inNode = await probe(INPUTS);
        expect(inBrowser).toEqual(JSON.parse(JSON.stringify(inNode)));
        expect(JSON.stringify(inBrowser)).not.toMatch(/"received":false|"same":false|"roundTrip":false/);
      } finally {
        await page.close();
      }
    });
});
