// Browser tests of the built admin app against the real server; kept apart from the fast unit tests.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.test.ts"],
    environment: "node",
    // One server for the whole run (e2e/global-setup.ts); files run one at a time so a slow
    // 2-core machine does not turn timing into flakiness.
    globalSetup: ["e2e/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 240_000,
  },
});
