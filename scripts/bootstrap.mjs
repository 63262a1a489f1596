#!/usr/bin/env node
// `npm start` and `npm test` on a machine that has only Node and npm: fetch pnpm into .tools/
// when it is missing, install, generate the Prisma client, then start the product or run the tests.
// Plain Node with no dependencies, because nothing is installed yet when it runs.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const rootPackage = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
const pnpmVersion = rootPackage.packageManager.replace(/^pnpm@/, "");
const localPnpm = path.join(root, ".tools", "node_modules", ".bin", "pnpm");

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function must(command, args, options) {
  const status = run(command, args, options);
  if (status !== 0) {
    console.error(`\n✖ ${[path.basename(command), ...args].join(" ")} failed (exit ${status})`);
    process.exit(status);
  }
}

function versionOf(command) {
  const result = spawnSync(command, ["--version"], { encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : null;
}

/** The pinned pnpm: ours in .tools/, or fetched there from the npm registry (no global install needed). */
function ensurePnpm() {
  if (existsSync(localPnpm) && versionOf(localPnpm) === pnpmVersion) return localPnpm;
  console.log(`→ fetching pnpm ${pnpmVersion} into .tools/`);
  must("npm", [
    "install",
    "--prefix",
    ".tools",
    "--no-save",
    "--no-package-lock",
    "--no-audit",
    "--no-fund",
    `pnpm@${pnpmVersion}`,
  ]);
  return localPnpm;
}

const [command = "start", ...rest] = process.argv.slice(2);
const pnpm = ensurePnpm();
const env = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: "1",
  PATH: `${path.dirname(localPnpm)}${path.delimiter}${process.env.PATH ?? ""}`,
};

console.log("→ installing dependencies");
must(pnpm, ["install", "--frozen-lockfile", "--reporter=append-only"], { env });
console.log("→ generating the Prisma client");
must(pnpm, ["run", "db:generate"], { env });

if (command === "start") {
  console.log("→ building the web and admin apps");
  must(pnpm, ["run", "build"], { env });
  process.exit(run(pnpm, ["--filter", "@lockstep/server", "start", ...rest], { env }));
} else if (command === "test") {
  process.exit(run(process.execPath, [path.join(root, "scripts", "run-tests.mjs"), ...rest], { env }));
} else {
  console.error(`unknown command "${command}" (use start or test)`);
  process.exit(2);
}
