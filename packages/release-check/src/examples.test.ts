import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { publishedPackages } from "./workspace.js";

/** The first `ts` block of a README's "## Example" section, the main entry's example. */
export function exampleOf(readme: string): string | undefined {
  const at = readme.search(/^## Example/m);
  if (at === -1) return undefined;
  return /^```ts\n([\s\S]*?)^```$/m.exec(readme.slice(at))?.[1];
}

describe("each package README's example compiles against the built package, as a vendor's file would", () => {
  // inside the workspace, so that @vendkit/* resolves to the packages as they are built
  const dir = mkdtempSync(join(import.meta.dirname, "..", ".examples-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // each program reuses the last one's unchanged files (the libs, @types/node, the packages' types)
  let previous: ts.Program | undefined;

  for (const pkg of publishedPackages())
    it(`${pkg.name}: README example (strict, NodeNext)`, () => {
      const code = exampleOf(readFileSync(join(pkg.dir, "README.md"), "utf8"));
      expect(code, "the README has an Example section with a ts block").toBeDefined();
      expect(code).toContain(`from "${pkg.name}"`);
      const file = join(dir, `${pkg.folder}.ts`);
      writeFileSync(file, `${code}\nexport {};\n`);
      const program = ts.createProgram({
        rootNames: [file],
        oldProgram: previous,
        options: {
          target: ts.ScriptTarget.ES2022,
          lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
          module: ts.ModuleKind.NodeNext,
          moduleResolution: ts.ModuleResolutionKind.NodeNext,
          strict: true,
          noEmit: true,
          types: ["node"],
        },
      });
      previous = program;
      const problems = ts.getPreEmitDiagnostics(program).map((d) => {
        const where =
          d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
        const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
        return where ? `${where.line + 1}:${where.character + 1} ${text}` : text;
      });
      expect(problems).toEqual([]);
    });

  it("finds no example where there is none", () => {
    expect(exampleOf("# x\n\n## Usage\n\n```ts\nconst a = 1;\n```\n")).toBeUndefined();
  });
});
