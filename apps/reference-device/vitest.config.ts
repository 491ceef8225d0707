import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "reference-device", include: ["src/**/*.test.ts"] },
});
