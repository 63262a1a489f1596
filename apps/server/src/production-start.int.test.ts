// The production start: the compiled server (dist/main.js) runs on plain Node with no TypeScript
// loader, answers on a fresh embedded database and exits 0 on SIGTERM; and `npm start`'s bootstrap
// runs it directly and passes SIGTERM on to it. Needs `pnpm run build` first, as the test runner does.
// Runs once, on the embedded database.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_MAX_HEAP_MB, serverNodeFlags } from "../../../scripts/server-node-flags.mjs";
import { freePort, operatorEnvironment, waitFor } from "./testing/processes.ts";

const SERVER_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const REPO_ROOT = path.resolve(SERVER_DIR, "../..");
const BUILT_ENTRY = path.join(SERVER_DIR, "dist/main.js");
const START_TIMEOUT_MS = 120_000;
/** Past the server's own 15 s shutdown deadline (after which it exits 1): a process still running then never got the signal. */
const STOP_BOUND_MS = 45_000;
/**
 * Node with type stripping off and no loader: importing a .ts file fails (ERR_UNKNOWN_FILE_EXTENSION),
 * so a server that starts under it loads no TypeScript. (Node 24 strips types by default.)
 */
const NODE_WITHOUT_TYPESCRIPT = ["--no-experimental-strip-types"];

interface Started {
  child: ChildProcess;
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: Started[] = [];
/** Servers the bootstrap started: they outlive it when it fails to pass the signal on. */
const grandchildren: number[] = [];
const dataDirs: string[] = [];

afterAll(async () => {
  for (const { child } of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  for (const pid of grandchildren) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone, as it should be.
    }
  }
  await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** The server's environment on a fresh embedded database: no NODE_OPTIONS, so nothing preloads a loader. */
async function embeddedServerEnvironment(port: number): Promise<Record<string, string>> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "lockstep-production-start-"));
  dataDirs.push(dataDir);
  return {
    ...operatorEnvironment(),
    NODE_OPTIONS: "",
    DATABASE_URL: "",
    REDIS_URL: "",
    LOCKSTEP_DATA_DIR: dataDir,
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
    LOG_PRETTY: "false",
  };
}

function start(args: string[], cwd: string, env: Record<string, string>): Started {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr])
    createInterface({ input: stream }).on("line", (line) => output.push(line));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const handle = { child, output, exited };
  started.push(handle);
  return handle;
}

async function waitForHealth(
  server: Started,
  port: number,
): Promise<{ status: string; database: { runtime: string } }> {
  let health: { status: string; database: { runtime: string } } | undefined;
  await waitFor(
    async () => {
      if (server.child.exitCode !== null)
        throw new Error(`exited with ${server.child.exitCode} before answering:\n${server.output.join("\n")}`);
      const response = await fetch(`http://127.0.0.1:${port}/trpc/health`).catch(() => null);
      if (response?.status !== 200) return false;
      health = ((await response.json()) as { result: { data: typeof health } }).result.data;
      return true;
    },
    START_TIMEOUT_MS,
    `/trpc/health on port ${port}`,
  );
  return health!;
}

/** How `handle` exited, or "still running" when it had not within STOP_BOUND_MS (the signal did not reach the server). */
async function exitAfterStop(
  handle: Started,
): Promise<{ code: number | null; signal: NodeJS.Signals | null } | string> {
  let bound: NodeJS.Timeout | undefined;
  const stillRunning = new Promise<string>((resolve) => {
    bound = setTimeout(() => resolve(`still running ${STOP_BOUND_MS / 1000} s after SIGTERM`), STOP_BOUND_MS);
  });
  try {
    return await Promise.race([handle.exited, stillRunning]);
  } finally {
    clearTimeout(bound);
  }
}

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** The server's log line for a stop signal (JSON logs, LOG_PRETTY=false). */
function shutdownSignals(output: string[]): string[] {
  return output.flatMap((line) => {
    try {
      const entry = JSON.parse(line) as { msg?: string; signal?: string };
      return entry.msg?.startsWith("shutting down") && entry.signal ? [entry.signal] : [];
    } catch {
      return [];
    }
  });
}

/** The children of `pid` with their command lines, from /proc (Linux, where the tests run). */
function childrenOf(pid: number): { pid: number; commandLine: string[] }[] {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
  return children.map((child) => ({
    pid: Number(child),
    commandLine: readFileSync(`/proc/${child}/cmdline`, "utf8").split("\0").filter(Boolean),
  }));
}

const built = existsSync(BUILT_ENTRY);
// The server runs on its own embedded database either way, so the suite's PostgreSQL pass skips it;
// in CI a missing build is a broken pipeline, not a reason to skip.
const skipReason = process.env.DATABASE_URL
  ? "runs once, on the embedded database"
  : !built && !process.env.CI
    ? "apps/server/dist/main.js is missing; run pnpm run build first"
    : null;
const skip = skipReason !== null;
const title = skip ? `production start (skipped: ${skipReason})` : "production start";

describe.skipIf(skip)(title, () => {
  it("is built: apps/server/dist/main.js exists", () => {
    expect(built, "apps/server/dist/main.js is missing: pnpm run build builds it").toBe(true);
  });

  it("the Node these tests use refuses TypeScript, so a start under it proves none is loaded", async () => {
    const refused = start([...NODE_WITHOUT_TYPESCRIPT, "src/main.ts"], SERVER_DIR, {
      ...operatorEnvironment(),
      NODE_OPTIONS: "",
    });
    const { code } = await refused.exited;
    expect(code).not.toBe(0);
    expect(refused.output.join("\n")).toContain("ERR_UNKNOWN_FILE_EXTENSION");
  });

  it(
    "runs dist/main.js on plain Node, answers /trpc/health on the embedded database, and exits 0 on SIGTERM",
    async () => {
      const port = await freePort();
      const server = start(
        [...NODE_WITHOUT_TYPESCRIPT, "dist/main.js"],
        SERVER_DIR,
        await embeddedServerEnvironment(port),
      );

      const health = await waitForHealth(server, port);
      expect(health.status).toBe("ok");
      expect(health.database.runtime).toBe("pglite");

      server.child.kill("SIGTERM");
      // Past its shutdown deadline the server exits 1, so 0 also says it stopped in time.
      expect(await exitAfterStop(server), server.output.join("\n")).toEqual({ code: 0, signal: null });
      expect(shutdownSignals(server.output)).toEqual(["SIGTERM"]);
      expect(await connects(port)).toBe(false);
    },
    START_TIMEOUT_MS + STOP_BOUND_MS + 15_000,
  );

  it(
    "npm start's bootstrap runs the built server as its own child and passes SIGTERM on to it",
    async () => {
      const port = await freePort();
      const bootstrap = start([path.join(REPO_ROOT, "scripts/bootstrap.mjs"), "start"], REPO_ROOT, {
        ...(await embeddedServerEnvironment(port)),
        // The build is already there (the test runner built it); installing and building again is npm start's job, not this test's.
        LOCKSTEP_START_SKIP_BUILD: "1",
      });

      await waitForHealth(bootstrap, port);
      const children = childrenOf(bootstrap.child.pid!);
      grandchildren.push(...children.map((child) => child.pid));
      // Nothing between the bootstrap and the server: no pnpm, no shell, no TypeScript loader.
      expect(children.map((child) => child.commandLine)).toEqual([
        [process.execPath, `--max-old-space-size=${DEFAULT_MAX_HEAP_MB}`, BUILT_ENTRY],
      ]);

      bootstrap.child.kill("SIGTERM");
      expect(await exitAfterStop(bootstrap), bootstrap.output.join("\n")).toEqual({ code: 0, signal: null });
      expect(shutdownSignals(bootstrap.output)).toEqual(["SIGTERM"]);
      expect(await connects(port)).toBe(false);
    },
    START_TIMEOUT_MS + STOP_BOUND_MS + 15_000,
  );
});

describe("the server's Node flags", () => {
  it("limit the heap to 1 GB unless LOCKSTEP_MAX_HEAP_MB names another size", () => {
    expect(serverNodeFlags({})).toEqual(["--max-old-space-size=1024"]);
    expect(serverNodeFlags({ LOCKSTEP_MAX_HEAP_MB: "" })).toEqual(["--max-old-space-size=1024"]);
    expect(serverNodeFlags({ LOCKSTEP_MAX_HEAP_MB: "2048" })).toEqual(["--max-old-space-size=2048"]);
    for (const unusable of ["1g", "100", "512.5", "-1"]) {
      expect(() => serverNodeFlags({ LOCKSTEP_MAX_HEAP_MB: unusable })).toThrow(
        `LOCKSTEP_MAX_HEAP_MB must be a whole number of megabytes, at least 256 (it is "${unusable}")`,
      );
    }
  });

  it("npm start refuses an unusable LOCKSTEP_MAX_HEAP_MB, naming it, before starting anything", async () => {
    const bootstrap = start([path.join(REPO_ROOT, "scripts/bootstrap.mjs"), "start"], REPO_ROOT, {
      ...(await embeddedServerEnvironment(await freePort())),
      LOCKSTEP_START_SKIP_BUILD: "1",
      LOCKSTEP_MAX_HEAP_MB: "lots",
    });
    expect(await bootstrap.exited).toEqual({ code: 2, signal: null });
    expect(bootstrap.output.join("\n")).toContain(
      'LOCKSTEP_MAX_HEAP_MB must be a whole number of megabytes, at least 256 (it is "lots")',
    );
  });
});
