import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "mifare-purse", include: ["src/**/*.test.ts"] },
});
