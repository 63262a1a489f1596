// Prints the brotli size of the JS the sign-in page loads (the entry chunk, the chunks it imports, and
// with --page the chunk of the page's route and its imports), as the server sends it (the build's .br
// copies), so a build shows at once when a change bloats the first load; with --max-kb N it fails the
// build above N kB (1 kB = 1000 bytes). Shared by web and admin. What it leaves out: CSS, and the HTTP
// headers the browser test counts on top (apps/web/e2e/transfer.e2e.test.ts measures the real bytes).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { brotliCompressSync, constants } from "node:zlib";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    "max-kb": { type: "string" },
    // A route module the page loads on its own (e.g. src/features/auth/sign-in-page.tsx); repeatable.
    page: { type: "string", multiple: true, default: [] },
  },
});
const maxKb = values["max-kb"] === undefined ? undefined : Number(values["max-kb"]);
if (maxKb !== undefined && !(maxKb > 0)) {
  console.error("report-bundle-size: --max-kb needs a positive number");
  process.exit(2);
}
const distDir = path.resolve(positionals[0] ?? "dist");
const manifestFile = path.join(distDir, ".vite/manifest.json");
if (!existsSync(manifestFile)) {
  console.error(`report-bundle-size: no ${manifestFile}; the Vite config must set build.manifest`);
  process.exit(1);
}
/** Vite's manifest: each chunk's file, its static imports (loaded with it) and dynamic ones (loaded later). */
const manifest = JSON.parse(await readFile(manifestFile, "utf8"));

const entries = Object.keys(manifest).filter((key) => manifest[key].isEntry);
const pages = values.page.map((page) => {
  if (!manifest[page]) {
    console.error(`report-bundle-size: ${page} is no chunk of this build (is it still a lazy route?)`);
    process.exit(1);
  }
  return page;
});

// The chunks a page loads before it shows: the start chunks and, transitively, what they import statically.
const loaded = new Set();
const visit = (key) => {
  if (loaded.has(key)) return;
  loaded.add(key);
  for (const imported of manifest[key].imports ?? []) visit(imported);
};
for (const key of [...entries, ...pages]) visit(key);

async function brotliBytes(file) {
  // The build's own copy is what the server sends; a file too small to gain from compression has none.
  const copy = `${file}.br`;
  if (existsSync(copy)) return (await readFile(copy)).length;
  const bytes = await readFile(file);
  return Math.min(bytes.length, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length);
}

let total = 0;
for (const key of loaded) total += await brotliBytes(path.join(distDir, manifest[key].file));
const kb = total / 1000;
const what = pages.length ? `entry + ${pages.map((page) => path.basename(page)).join(", ")}` : "entry";
console.log(
  `sign-in page JS: ${kb.toFixed(1)} kB brotli in ${loaded.size} chunks (${what})${maxKb === undefined ? "" : `, limit ${maxKb} kB`}`,
);
if (maxKb !== undefined && kb > maxKb) {
  console.error(
    `report-bundle-size: the sign-in page loads ${kb.toFixed(1)} kB of JS (brotli), over the ${maxKb} kB budget; split a route or drop a dependency`,
  );
  process.exit(1);
}
