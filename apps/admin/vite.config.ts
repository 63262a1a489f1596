// Vite for the admin app: served under /admin/ by the server, and proxying /trpc to it in dev.
import { constants as zlibConstants } from "node:zlib";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { compression, defineAlgorithm } from "vite-plugin-compression2";

export default defineConfig({
  base: "/admin/",
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
    port: 5174,
    proxy: { "/trpc": "http://localhost:3000" },
  },
  build: {
    target: "es2022",
    // .vite/manifest.json: which chunks each page loads, for scripts/report-bundle-size.mjs.
    manifest: true,
  },
});
