import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "executive", include: ["src/**/*.test.ts"] },
});
