// Browser smoke tests against the built apps and the real server; kept apart from the fast unit tests.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.test.ts"],
    environment: "node",
    // One server and one browser for the whole run; a fresh embedded database takes ~30 s to migrate and seed.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
