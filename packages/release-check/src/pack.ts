import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { publishedPackages } from "./workspace.js";

/** A package as `npm pack` made it: the tarball and the files in it. */
export interface Packed {
  readonly name: string;
  readonly folder: string;
  readonly version: string;
  readonly tarball: string;
  /** Paths inside the package, as npm lists them. */
  readonly files: readonly string[];
}

interface NpmPackJson {
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}

/** Packs every published package (its built dist must be there) into `dest`. */
export function packAll(dest: string): Packed[] {
  return publishedPackages().map((p) => {
    const out = execFileSync("npm", ["pack", "--json", "--pack-destination", dest], {
      cwd: p.dir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    const [info] = JSON.parse(out) as NpmPackJson[];
    if (info === undefined) throw new Error(`npm pack printed nothing for ${p.name}`);
    return {
      name: p.name,
      folder: p.folder,
      version: p.version,
      tarball: join(dest, info.filename),
      files: info.files.map((f) => f.path),
    };
  });
}
