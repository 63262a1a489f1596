// Prints the gzipped size of the JS a browser must load before the page runs (entry + modulepreloads),
// so a build shows at once when a change bloats the first load; with --max-kb N it fails the build above
// N KB. Shared by web and admin.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";

const args = process.argv.slice(2);
const maxFlag = args.indexOf("--max-kb");
const maxKb = maxFlag === -1 ? undefined : Number(args[maxFlag + 1]);
if (maxKb !== undefined && !(maxKb > 0)) {
  console.error("report-bundle-size: --max-kb needs a positive number");
  process.exit(2);
}
const positional = args.filter((_, index) => maxFlag === -1 || (index !== maxFlag && index !== maxFlag + 1));
const distDir = path.resolve(positional[0] ?? "dist");
const html = await readFile(path.join(distDir, "index.html"), "utf8");

// The built index.html is the source of truth for "initial": lazy chunks are not referenced there.
const urls = new Set();
for (const [, src] of html.matchAll(/<script[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g)) urls.add(src);
for (const [, href] of html.matchAll(/<link[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)) urls.add(href);

if (urls.size === 0) {
  console.error(`report-bundle-size: no module scripts found in ${path.join(distDir, "index.html")}`);
  process.exit(1);
}

// The HTML references assets by URL (with Vite's base, e.g. /admin/assets/x.js); map them to files by
// their path below the assets folder.
let total = 0;
for (const url of urls) {
  const relative = url.replace(/^.*?(assets\/)/, "$1");
  const bytes = await readFile(path.join(distDir, relative));
  total += gzipSync(bytes, { level: 9 }).length;
}
const kb = total / 1024;
console.log(`initial JS: ${kb.toFixed(1)} KB gzipped${maxKb === undefined ? "" : ` (limit ${maxKb} KB)`}`);
if (maxKb !== undefined && kb > maxKb) {
  console.error(
    `report-bundle-size: initial JS is ${kb.toFixed(1)} KB gzipped, over the ${maxKb} KB budget; split a route or drop a dependency`,
  );
  process.exit(1);
}
