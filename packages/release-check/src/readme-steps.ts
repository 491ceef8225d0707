import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./workspace.js";

/** What the root README's "Use it in your project" section tells a vendor to do. */
export interface ReadmeSteps {
  /** Files to write: the blocks whose first line is `// <file name>`. */
  readonly files: ReadonlyMap<string, string>;
  /** Command lines, in order, from its `sh` blocks. */
  readonly commands: readonly string[];
}

const SECTION = "## Use it in your project";

/** The section's code blocks, read from the README itself, so that the test runs what it shows. */
export function readmeSteps(readme = readFileSync(join(ROOT, "README.md"), "utf8")): ReadmeSteps {
  const start = readme.indexOf(SECTION);
  if (start === -1) throw new Error(`the README has no "${SECTION}" section`);
  const next = readme.indexOf("\n## ", start + SECTION.length);
  const section = readme.slice(start, next === -1 ? undefined : next);
  const files = new Map<string, string>();
  const commands: string[] = [];
  for (const [, lang, body] of section.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)) {
    const text = body ?? "";
    if (lang === "sh") {
      for (const line of text.split("\n"))
        if (line.trim() !== "" && !line.startsWith("#")) commands.push(line);
      continue;
    }
    const name = /^\/\/ (\S+)\n/.exec(text)?.[1];
    if (name === undefined) throw new Error(`a ${lang} block of the section names no file on its first line`);
    files.set(name, text);
  }
  return { files, commands };
}
