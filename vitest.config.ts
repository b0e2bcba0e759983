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
    // The handlers run on Node 22 in AWS; the SDK's warning about Node 20 is noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
