import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { defineConfig } from "tsup";

// One CommonJS file per target: Jazzer.js instruments what `require` loads, and its ESM
// instrumentation is incomplete. The @vendkit packages stay external, so their own dist/*.cjs
// builds are the code instrumented and searched. The apps' modules a target reads are bundled
// into it (and instrumented with it); their packages are required from where the app finds them.
const targets = readdirSync("src/targets")
  .filter((f) => f.endsWith(".ts"))
  .map((f) => f.slice(0, -3));

export default defineConfig({
  entry: Object.fromEntries(targets.map((t) => [t, `src/targets/${t}.ts`])),
  format: ["cjs"],
  outExtension: () => ({ js: ".cjs" }),
  dts: false,
  clean: true,
  target: "node20",
  esbuildPlugins: [
    {
      name: "packages-where-their-importer-finds-them",
      setup(build) {
        build.onResolve({ filter: /^[^./]/ }, (args) => {
          if (args.path.startsWith("node:")) return { path: args.path, external: true };
          const from = createRequire(`${args.resolveDir || dirname(args.importer)}/`);
          return { path: from.resolve(args.path), external: true };
        });
      },
    },
  ],
});
