import { describe, expect, it } from "vitest";
import { readmeSteps } from "./readme-steps.js";

describe("the README's steps, as the registry test reads them", () => {
  it("are the install, the three programs, the runs, the type checks and both CLIs", () => {
    const { files, commands } = readmeSteps();
    expect([...files.keys()]).toEqual(["session.mjs", "session.cjs", "session.ts"]);
    expect(commands[0]).toBe("npm init -y && npm pkg set type=module");
    expect(commands.some((c) => c.startsWith("npm install @vendkit/mdb @vendkit/evadts"))).toBe(true);
    expect(commands).toContain("npx evadts --help");
    expect(commands).toContain("npx ddcmp --help");
    expect(commands.filter((c) => c.startsWith("npx tsc"))).toHaveLength(2);
  });

  it("refuses a section whose code block names no file", () => {
    const readme = "## Use it in your project\n\n```js\nconsole.log(1);\n```\n";
    expect(() => readmeSteps(readme)).toThrow(/names no file/);
  });
});
