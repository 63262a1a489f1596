// Vite for the web app: React, Tailwind, and a dev proxy so the app calls /trpc as it does in production.
import { constants as zlibConstants } from "node:zlib";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { compression, defineAlgorithm } from "vite-plugin-compression2";

export default defineConfig({
  plugins: [
    react(),
    tailwindcss(),
    // Brotli and gzip copies beside each file (x.js.br, x.js.gz), made once at build time at the
    // highest levels, so the server sends them as they are instead of compressing on every request.
    compression({
      algorithms: [
        defineAlgorithm("brotliCompress", { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }),
        defineAlgorithm("gzip", { level: 9 }),
      ],
    }),
  ],
  server: {
    port: 5173,
    proxy: { "/trpc": "http://localhost:3000" },
  },
  build: {
    target: "es2022",
    // .vite/manifest.json: which chunks each page loads, for scripts/report-bundle-size.mjs.
    manifest: true,
  },
});
