import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "mdb", include: ["src/**/*.test.ts"] },
});
