#!/usr/bin/env node
// The `ddcmp` command runs the built CLI (dist/cli.js). This small file is committed so that npm
// links the command when the workspace is installed, before anything is built.
import("../dist/cli.js").catch((e) => {
  if (e?.code !== "ERR_MODULE_NOT_FOUND" || !String(e.message).includes("dist/cli.js")) throw e;
  console.error("ddcmp: @vendkit/ddcmp is not built yet: run npm run build");
  process.exit(2);
});
