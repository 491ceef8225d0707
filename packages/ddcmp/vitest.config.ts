import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "ddcmp", include: ["src/**/*.test.ts"] },
});
