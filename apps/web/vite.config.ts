// Vite for the web app: React, Tailwind, and a dev proxy so the app calls /trpc as it does in production.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { constants as zlibConstants } from "node:zlib";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";
import { compression, defineAlgorithm } from "vite-plugin-compression2";

/**
 * The theme script (boot/theme.js) runs before the first paint, so it is a classic script Vite does
 * not bundle. In a build it is emitted as assets/theme-<content hash>.js, cached for a year like
 * every other asset; the dev server serves it under the same kind of name.
 */
function themeBootScript(): Plugin {
  const source = readFileSync(new URL("./boot/theme.js", import.meta.url), "utf8");
  const fileName = `assets/theme-${createHash("sha256").update(source).digest("hex").slice(0, 10)}.js`;
  let base = "/";
  return {
    name: "lockstep:theme-boot-script",
    configResolved(config) {
      base = config.base;
    },
    configureServer(server) {
      server.middlewares.use(`${base}${fileName}`, (_request, response) => {
        response.setHeader("content-type", "text/javascript");
        response.end(source);
      });
    },
    generateBundle() {
      this.emitFile({ type: "asset", fileName, source });
    },
    transformIndexHtml: () => [{ tag: "script", attrs: { src: `${base}${fileName}` }, injectTo: "head" }],
  };
}

export default defineConfig({
  plugins: [
    themeBootScript(),
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
