import { defineConfig } from "vitest/config";

// Unit tests run in parallel; tests that start DynamoDB Local (*.db.test.ts) or Chromium
// (*.browser.test.ts) start their own servers on free ports, so they can run alongside.
export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "dist/**", "cdk.out/**", ".data/**"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
  },
});
