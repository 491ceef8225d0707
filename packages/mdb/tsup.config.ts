import { defineConfig } from "tsup";
import { libraryBuild } from "../../tsup.base.js";

export default defineConfig(
  libraryBuild({ index: "src/index.ts", node: "src/node.ts", testing: "src/testing.ts" }),
);
