import type { Options } from "tsup";

/** The build every vendkit library shares: ESM + CJS + .d.ts for Node 20. */
export function libraryBuild(entry: Record<string, string> = { index: "src/index.ts" }): Options {
  return { entry, format: ["esm", "cjs"], dts: true, sourcemap: true, clean: true, target: "node20" };
}
