import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishedPackages } from "./workspace.js";

/** The first `ts` block of a README's "## Example" section, the main entry's example. */
export function exampleOf(readme: string): string | undefined {
  const at = readme.search(/^## Example/m);
  if (at === -1) return undefined;
  return /^```ts\n([\s\S]*?)^```$/m.exec(readme.slice(at))?.[1];
}

describe("each package README's example compiles against the built package, as a vendor's file would", () => {
  const packages = publishedPackages();
  // inside the workspace, so that @vendkit/* resolves to the packages as they are built
  const dir = mkdtempSync(join(import.meta.dirname, "..", ".examples-"));
  const examples = new Map(
    packages.map((p) => [p.name, exampleOf(readFileSync(join(p.dir, "README.md"), "utf8"))] as const),
  );
  const fileOf = (folder: string) => join(dir, `${folder}.ts`);
  let program: ts.Program | undefined;

  // one program for all the examples (each its own module): the libraries are read once
  beforeAll(() => {
    for (const p of packages) writeFileSync(fileOf(p.folder), `${examples.get(p.name) ?? ""}\nexport {};\n`);
    program = ts.createProgram(
      packages.map((p) => fileOf(p.folder)),
      {
        target: ts.ScriptTarget.ES2022,
        lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        strict: true,
        noEmit: true,
        types: ["node"],
      },
    );
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const pkg of packages)
    it(`${pkg.name}: README example (strict, NodeNext)`, () => {
      const code = examples.get(pkg.name);
      expect(code, "the README has an Example section with a ts block").toBeDefined();
      expect(code).toContain(`from "${pkg.name}"`);
      const source = program?.getSourceFile(fileOf(pkg.folder));
      expect(source).toBeDefined();
      const problems = [
        ...(program?.getSyntacticDiagnostics(source) ?? []),
        ...(program?.getSemanticDiagnostics(source) ?? []),
      ].map((d) => {
        const where =
          d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
        const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
        return where ? `${where.line + 1}:${where.character + 1} ${text}` : text;
      });
      expect(problems).toEqual([]);
    });

  it("the library declarations the examples use type-check too", () => {
    expect(program?.getGlobalDiagnostics() ?? []).toEqual([]);
    expect(program?.getOptionsDiagnostics() ?? []).toEqual([]);
  });

  it("finds no example where there is none", () => {
    expect(exampleOf("# x\n\n## Usage\n\n```ts\nconst a = 1;\n```\n")).toBeUndefined();
  });
});
