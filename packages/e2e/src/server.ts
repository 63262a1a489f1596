// Starts the product the way `npm start` does (the compiled server, apps/server/dist/main.js, on a
// fresh embedded database in a temporary data directory) and stops it; the tests talk to it over real HTTP.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serverNodeFlags } from "../../../scripts/server-node-flags.mjs";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const SERVER_DIR = path.join(REPO_ROOT, "apps/server");
const SERVER_ENTRY = "dist/main.js";
const SERVER_START_TIMEOUT_MS = 150_000;

export interface ProductServer {
  /** http://127.0.0.1:<port>: the web app at /, the admin app at /admin/. */
  baseUrl: string;
  port: number;
  dataDir: string;
  /** The last 20 kB the server printed, for failure messages. */
  output(): string;
  /** Stops the server (SIGTERM, then SIGKILL after 10 s) and removes its data directory. */
  stop(): Promise<void>;
}

export interface StartProductServerOptions {
  /** Extra environment for the server (e.g. AI settings); DATABASE_URL is always cleared. */
  env?: Record<string, string>;
  /** The built apps that must exist first, relative to the repository root. */
  requireBuilt?: string[];
}

/** Asks the OS for a free port; the server's banner cannot report one it picked itself (PORT=0). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export async function startProductServer(options: StartProductServerOptions = {}): Promise<ProductServer> {
  const required = options.requireBuilt ?? ["apps/web/dist/index.html", "apps/admin/dist/index.html"];
  const missing = required.filter((file) => !existsSync(path.join(REPO_ROOT, file)));
  if (missing.length) {
    throw new Error(
      `missing ${missing.join(" and ")}: build the apps first (pnpm --filter @lockstep/web --filter @lockstep/admin build)`,
    );
  }
  if (!existsSync(path.join(SERVER_DIR, SERVER_ENTRY))) {
    throw new Error(
      `missing apps/server/${SERVER_ENTRY}: build the server first (pnpm --filter @lockstep/server build), after any change to it or the packages it uses`,
    );
  }
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dataDir = await mkdtemp(path.join(tmpdir(), "lockstep-e2e-"));
  let output = "";
  // Started as `npm start` starts it: this Node, with its flags, on the built JavaScript, in apps/server.
  const child: ChildProcess = spawn(process.execPath, [...serverNodeFlags(), SERVER_ENTRY], {
    cwd: SERVER_DIR,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOCKSTEP_DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      ...options.env,
      DATABASE_URL: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timedOut = await Promise.race([
        exited.then(() => false),
        new Promise((resolve) => setTimeout(() => resolve(true), 10_000)),
      ]);
      if (timedOut) child.kill("SIGKILL");
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForHealth(baseUrl, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, port, dataDir, output: () => output, stop };
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`the server exited with code ${child.exitCode} before answering:\n${output().slice(-4000)}`);
    }
    try {
      const response = await fetch(`${url}/trpc/health`, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet: PGlite is still starting, migrating or seeding.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(
    `the server did not answer /trpc/health within ${SERVER_START_TIMEOUT_MS / 1000} s:\n${output().slice(-4000)}`,
  );
}
