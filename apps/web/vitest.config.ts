// Unit tests: components render in happy-dom; files that need Node say so with a docblock.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [react()],
  test: {
    include: ["src/**/*.test.{ts,tsx}"],
    environment: "happy-dom",
    testTimeout: 30_000,
  },
});
