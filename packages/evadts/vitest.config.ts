import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "evadts", include: ["src/**/*.test.ts"] },
});
