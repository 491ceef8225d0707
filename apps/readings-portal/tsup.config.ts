import { defineConfig } from "tsup";

// An app, not a library: one ESM entry, no declarations.
export default defineConfig({
  entry: { main: "src/main.ts" },
  format: ["esm"],
  sourcemap: true,
  clean: true,
  target: "node20",
});
