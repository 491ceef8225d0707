import { defineConfig } from "tsup";

// An app, not a library: ESM entries (the device, the scenario runner), no declarations.
export default defineConfig({
  entry: { main: "src/main.ts", scenario: "src/scenario-cli.ts" },
  format: ["esm"],
  sourcemap: true,
  clean: true,
  target: "node20",
});
