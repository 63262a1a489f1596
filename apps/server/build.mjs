// Compiles the server into plain JavaScript for `npm start`: src/main.ts and the workspace packages it
// imports become one ES module, dist/server.js, with a source map; dist/main.js turns source maps on
// and loads it. Third-party packages stay external, loaded from node_modules as they are, so the files
// they find next to themselves at run time (PGlite's wasm and data, tesseract.js's worker, argon2's
// native binding, pino transports) are where they expect them.
import { existsSync, realpathSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { builtinModules } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const serverDir = path.dirname(fileURLToPath(import.meta.url));
const distDir = path.join(serverDir, "dist");
const bundleFile = path.join(distDir, "server.js");

/**
 * Workspace packages are TypeScript sources and go into the bundle, and so do a package's own `#`
 * imports (they name its files); every other bare import is loaded from node_modules.
 */
const keepThirdPartyExternal = {
  name: "third-party-external",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, ({ path: specifier }) => {
      if (specifier.startsWith("@lockstep/") || specifier.startsWith("#") || path.isAbsolute(specifier))
        return undefined;
      return { path: specifier, external: true };
    });
  },
};

function packageNameOf(specifier) {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** The directory Node finds `name` in, looking from `fromDir` up through node_modules folders, with links followed; or null. */
function installedCopy(fromDir, name) {
  for (let directory = fromDir; ; directory = path.dirname(directory)) {
    const candidate = path.join(directory, "node_modules", name);
    if (existsSync(path.join(candidate, "package.json"))) return realpathSync(candidate);
    if (path.dirname(directory) === directory) return null;
  }
}

/**
 * What is wrong with the packages the bundle loads at run time: its external imports, and the names
 * it looks up with `require.resolve` (files read next to a package: the OCR language data, the schema
 * engine's wasm). pnpm gives each package only its own dependencies, so the workspace packages'
 * dependencies must be the server's too, or they would be missing only once the code that needs them
 * runs; and it must be the same copy the workspace package was written against.
 */
async function runTimePackageProblems(metafile) {
  const builtins = new Set(builtinModules);
  /** Package name to the directories of the source files that import it. */
  const importers = new Map();
  for (const [input, { imports }] of Object.entries(metafile.inputs)) {
    for (const { path: specifier, external } of imports) {
      if (!external || specifier.startsWith("node:") || builtins.has(specifier)) continue;
      const name = packageNameOf(specifier);
      if (!importers.has(name)) importers.set(name, new Set());
      importers.get(name).add(path.dirname(path.resolve(serverDir, input)));
    }
  }
  const code = await readFile(bundleFile, "utf8");
  // esbuild renames a local `require` (require2, ...) when names collide in the bundle.
  for (const [, specifier] of code.matchAll(/\brequire\d*\.resolve\(\s*["']([^"'.][^"']*)["']/g)) {
    const name = packageNameOf(specifier);
    if (!importers.has(name)) importers.set(name, new Set());
  }
  const problems = [];
  for (const [name, directories] of [...importers].sort(([a], [b]) => a.localeCompare(b))) {
    const loaded = installedCopy(distDir, name);
    if (!loaded) {
      problems.push(`${name} is not a dependency of apps/server`);
      continue;
    }
    for (const directory of directories) {
      const expected = installedCopy(directory, name);
      if (expected && expected !== loaded)
        problems.push(
          `${name}: ${path.relative(serverDir, directory)} uses ${expected}, the server would load ${loaded}`,
        );
    }
  }
  return problems;
}

await rm(distDir, { recursive: true, force: true });
await mkdir(distDir, { recursive: true });

const { metafile } = await build({
  absWorkingDir: serverDir,
  entryPoints: { server: "src/main.ts" },
  outdir: distDir,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22.12",
  sourcemap: true,
  // The TypeScript files are in the repository: the map names their lines without a copy of them.
  sourcesContent: false,
  metafile: true,
  logLevel: "warning",
  plugins: [keepThirdPartyExternal],
});

const problems = await runTimePackageProblems(metafile);
if (problems.length) {
  console.error(
    `✖ dist/server.js loads third-party packages from apps/server/node_modules; give apps/server the same dependency (same version range) as the workspace package that imports it:\n  ${problems.join("\n  ")}`,
  );
  process.exit(1);
}

// Source maps apply only to modules loaded after they are turned on, so the entry is a separate file.
await writeFile(
  path.join(distDir, "main.js"),
  `// The built server's entry: source maps on first, so stack traces name TypeScript lines; then the server.
process.setSourceMapsEnabled(true);
await import("./server.js");
`,
);
console.log("built apps/server/dist/main.js (and server.js, its bundle)");
