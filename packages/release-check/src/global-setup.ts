import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { type Packed, packAll } from "./pack.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Every published package, packed once for the whole project. */
    packs: Packed[];
  }
}

/** Packs the packages once; the hygiene and registry tests both read the tarballs. */
export default function setup(project: TestProject): () => void {
  const dest = mkdtempSync(join(tmpdir(), "vendkit-packs-"));
  project.provide("packs", packAll(dest));
  return () => rmSync(dest, { recursive: true, force: true });
}
