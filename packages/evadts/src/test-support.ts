import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** The package's own golden files. */
export function goldenFile(name: string): Buffer {
  return readFileSync(join(here, "..", "test-vectors", name));
}

/**
 * The real third-party audit files kept beside the repository in ../shared/data/evadts-real
 * (VENDKIT_SHARED overrides where shared/ is). Never copied into the repo.
 */
export const REAL_CORPUS_DIR = resolve(
  process.env.VENDKIT_SHARED ?? join(here, "..", "..", "..", "..", "shared"),
  "data",
  "evadts-real",
);

/**
 * Every file of the corpus folder, whatever its extension (real audits come as .eva_dts, .dex,
 * .txt...), except SOURCES.md, which says where each came from.
 */
export function realCorpus(): { name: string; bytes: Buffer }[] | undefined {
  if (!existsSync(REAL_CORPUS_DIR)) return undefined;
  return readdirSync(REAL_CORPUS_DIR)
    .filter((f) => f !== "SOURCES.md")
    .sort()
    .map((name) => ({ name, bytes: readFileSync(join(REAL_CORPUS_DIR, name)) }));
}
