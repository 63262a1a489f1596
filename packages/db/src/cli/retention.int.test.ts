// `pnpm db:retention` as a process against a real database: --days, the default from AI_LOG_RETENTION_DAYS, and refusing bad input before touching anything.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../connection.ts";
import { openPglite } from "../pglite.ts";
import { createTestDatabase } from "../testing/index.ts";

const run = promisify(execFile);
const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TSX = path.join(PACKAGE_DIR, "node_modules/.bin/tsx");

let scratch: string;
/** What the CLI process is pointed at: DATABASE_URL, or a PGlite data directory under LOCKSTEP_DATA_DIR. */
let env: NodeJS.ProcessEnv;
let open: () => Promise<Database>;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "lockstep-retention-"));
  const test = await createTestDatabase();
  const base = { ...process.env, AI_LOG_RETENTION_DAYS: "" };
  if (test.url) {
    const url = test.url;
    env = { ...base, DATABASE_URL: url };
    open = () => openDatabase({ url, poolMax: 2 });
    afterAll(() => test.close());
  } else {
    // The CLI is another process, so it needs the database in a directory, not in this one's memory.
    const dump = await (test.pglite as NonNullable<typeof test.pglite>).dumpDataDir("gzip");
    await test.close();
    const dataDir = path.join(scratch, "data");
    const db = await openDatabase({
      pglite: await openPglite({ dataDir: path.join(dataDir, "pglite"), loadDataDir: dump }),
      ownPglite: true,
    });
    await db.close();
    env = { ...base, DATABASE_URL: "", LOCKSTEP_DATA_DIR: dataDir };
    open = () => openDatabase({ pgliteDataDir: path.join(dataDir, "pglite") });
  }
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Inserts interactions aged `days` ago (with one response each); the database is closed again, as the CLI needs it free. */
async function insertAged(days: number[]): Promise<void> {
  const db = await open();
  try {
    const { rows } = await db.pool.query<{ id: string }>(
      `INSERT INTO providers (name, kind, updated_at) VALUES ('cli-provider', 'BUILTIN', now())
       ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
    );
    for (const age of days) {
      const id = randomUUID();
      await db.pool.query(
        `INSERT INTO ai_interactions (id, provider_id, model_name, operation, request, created_at, updated_at)
         VALUES ($1, $2, 'm', 'REPLY', '{}'::jsonb, now() - make_interval(days => $3), now())`,
        [id, rows[0]!.id, age],
      );
      await db.pool.query(`INSERT INTO ai_responses (interaction_id, content) VALUES ($1, 'r')`, [id]);
    }
  } finally {
    await db.close();
  }
}

async function counts(): Promise<{ interactions: number; responses: number }> {
  const db = await open();
  try {
    const i = await db.pool.query(`SELECT count(*)::int AS n FROM ai_interactions`);
    const r = await db.pool.query(`SELECT count(*)::int AS n FROM ai_responses`);
    return { interactions: i.rows[0].n, responses: r.rows[0].n };
  } finally {
    await db.close();
  }
}

async function cli(
  args: string[],
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, ["src/cli/retention.ts", ...args], {
      cwd: PACKAGE_DIR,
      env: { ...env, ...extraEnv },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("pnpm db:retention", () => {
  it("refuses bad arguments before opening the database", { timeout: 120_000 }, async () => {
    await insertAged([400]);
    const bad = [["--days", "0"], ["--days", "abc"], ["--days", "2.5"], ["--weeks", "3"], ["extra"]];
    // None of them touches the database, so they can run side by side.
    const results = await Promise.all([...bad.map((args) => cli(args)), cli([], { AI_LOG_RETENTION_DAYS: "-1" })]);
    for (const result of results) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("usage: pnpm db:retention");
    }
    expect(await counts()).toEqual({ interactions: 1, responses: 1 });
  });

  it(
    "deletes what is older than --days, then what is older than the default 90 days",
    { timeout: 120_000 },
    async () => {
      await insertAged([40, 20, 100]);
      const thirty = await cli(["--days", "30"]);
      expect(thirty.code).toBe(0);
      // the 400- and 100-day-old rows from both tests, and the 40-day-old one
      expect(thirty.stdout).toMatch(/deleted 3 AI interactions created before .* \(older than 30 days\)/);
      expect(await counts()).toEqual({ interactions: 1, responses: 1 });
      const byDefault = await cli([]);
      expect(byDefault.stdout).toMatch(/deleted 0 AI interactions .*older than 90 days/);
      const fromEnv = await cli([], { AI_LOG_RETENTION_DAYS: "10" });
      expect(fromEnv.stdout).toMatch(/deleted 1 AI interaction created before .*older than 10 days/);
      expect(await counts()).toEqual({ interactions: 0, responses: 0 });
    },
  );
});
