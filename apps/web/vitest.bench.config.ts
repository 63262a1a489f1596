// The browser benchmark of the session page (e2e/bench): one run, its own server, figures printed.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["e2e/bench/**/*.bench.test.ts"],
    environment: "node",
    testTimeout: 900_000,
    hookTimeout: 300_000,
  },
});
