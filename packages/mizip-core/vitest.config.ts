import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "mizip-core", include: ["src/**/*.test.ts"] },
});
