import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root folder. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** One entry point of a published package: `.` or a subpath such as `./node`. */
export interface Entry {
  readonly subpath: string;
  /** The entry's declaration file for ESM importers, from the package's `exports`. */
  readonly types: string;
  /** Its API report's file name: `<pkg>.api.md`, `<pkg>-<subpath>.api.md`. */
  readonly report: string;
}

export interface Published {
  readonly name: string;
  /** The folder under packages/, which is also the unscoped name. */
  readonly folder: string;
  readonly dir: string;
  readonly version: string;
  readonly manifest: Record<string, unknown>;
  readonly entries: readonly Entry[];
  readonly bin: Readonly<Record<string, string>>;
}

interface Conditions {
  readonly import?: { readonly types?: string };
}

/** Every workspace package that npm would publish (not `private`), read from its package.json. */
export function publishedPackages(): Published[] {
  const base = join(ROOT, "packages");
  return readdirSync(base)
    .sort()
    .flatMap((folder) => {
      const dir = join(base, folder);
      let manifest: Record<string, unknown>;
      try {
        manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Record<string, unknown>;
      } catch {
        return [];
      }
      if (manifest.private === true) return [];
      const exportsMap = (manifest.exports ?? {}) as Record<string, Conditions | string>;
      const entries = Object.entries(exportsMap).flatMap(([subpath, target]): Entry[] => {
        if (typeof target === "string") return []; // ./package.json
        const types = target.import?.types;
        if (types === undefined) return [];
        const tail = subpath === "." ? "" : `-${subpath.slice(2).replaceAll("/", "-")}`;
        return [{ subpath, types: join(dir, types), report: `${folder}${tail}.api.md` }];
      });
      return [
        {
          name: manifest.name as string,
          folder,
          dir,
          version: manifest.version as string,
          manifest,
          entries,
          bin: (manifest.bin ?? {}) as Record<string, string>,
        },
      ];
    });
}
