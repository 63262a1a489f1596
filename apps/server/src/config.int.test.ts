// main.ts as an operator runs it, with a bad variable: it stops before any migration or database
// file, with exit code 1 and one message naming every bad variable (no stack trace).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const SERVER_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "lockstep-config-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Runs main.ts with `overrides` on top of the test process's environment; resolves when it exits. */
function startServer(
  overrides: Record<string, string>,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => name !== "TEST" && name !== "NODE_ENV" && !name.startsWith("VITEST"),
    ),
  );
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: SERVER_DIR,
    env: { ...inherited, DATABASE_URL: "", LOG_PRETTY: "false", HOST: "127.0.0.1", PORT: "0", ...overrides },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  // A server that wrongly started would never exit on its own.
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  return new Promise((resolve) =>
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
}

describe("main.ts with a bad configuration", () => {
  it("exits 1 naming every bad variable, before creating the data directory", { timeout: 90_000 }, async () => {
    const dataDir = path.join(scratch, "bad-values");
    const result = await startServer({
      LOCKSTEP_DATA_DIR: dataDir,
      PORT: "eighty",
      OCR_WORKERS: "many",
      AI_LOG_MASKING: "sometimes",
      OPENAI_API_KEY: "sk-should-never-be-printed",
    });
    expect(result, result.stderr).toMatchObject({ code: 1, signal: null });
    expect(result.stderr).toContain("invalid configuration:");
    expect(result.stderr).toContain("PORT: must be a whole number from 0 to 65535");
    expect(result.stderr).toContain("OCR_WORKERS: must be a whole number from 1 to 16");
    expect(result.stderr).toContain("AI_LOG_MASKING: must be one of");
    // With a key set, the models are required too.
    expect(result.stderr).toContain("OPENAI_CHAT_MODEL: is required");
    expect(result.stderr).not.toContain("sk-should-never-be-printed");
    // The message alone: no stack trace, no banner.
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).not.toContain("is running");
    // Nothing was migrated or written: the data directory (database, uploads, auth secret) does not exist.
    expect(existsSync(dataDir)).toBe(false);
    expect(await readdir(scratch)).toEqual([]);
  });

  it("also stops on AI timeouts that contradict the defaults", { timeout: 90_000 }, async () => {
    const dataDir = path.join(scratch, "ai-timeouts");
    const result = await startServer({
      LOCKSTEP_DATA_DIR: dataDir,
      OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
      OPENAI_CHAT_MODEL: "c",
      OPENAI_EMBEDDING_MODEL: "e",
      AI_TIMEOUT_FIRST_TOKEN_MS: "3600000",
    });
    expect(result, result.stderr).toMatchObject({ code: 1, signal: null });
    expect(result.stderr.trim()).toMatch(/^AI_TIMEOUT_FIRST_TOKEN_MS must not exceed AI_TIMEOUT_TOTAL_MS \(\d+\)$/);
    expect(existsSync(dataDir)).toBe(false);
  });
});
