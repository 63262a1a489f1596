// The extension check before migrating, on a real PostgreSQL: a server that cannot create an extension the
// migrations create gets one paragraph naming what to install, and nothing applied or recorded.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import { MIGRATIONS_DIR } from "../paths.ts";
import { createEmptyDatabase, type TestDatabase } from "../testing/index.ts";
import { readMigrationsList } from "./files.ts";
import { applyMigrations, MissingExtensionError, migrationStatus } from "./index.ts";

const opened: TestDatabase[] = [];
async function emptyDatabase(): Promise<TestDatabase> {
  const db = await createEmptyDatabase();
  opened.push(db);
  return db;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
});

/** The server's own answer: can it create pgvector's extension? */
async function serverHasVector(db: TestDatabase): Promise<boolean> {
  const { rows } = await db.pool.query("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'");
  return rows.length > 0;
}

/** What a refused run must leave behind: no `_prisma_migrations`, no table, no type, no extension. */
async function expectUntouched(db: TestDatabase): Promise<void> {
  const { rows } = await db.pool.query<{ tables: number; types: number; extensions: number; history: boolean }>(
    `SELECT (SELECT count(*)::int FROM pg_class WHERE relnamespace = 'public'::regnamespace) AS tables,
            (SELECT count(*)::int FROM pg_type WHERE typnamespace = 'public'::regnamespace) AS types,
            (SELECT count(*)::int FROM pg_extension WHERE extname <> 'plpgsql') AS extensions,
            to_regclass('public._prisma_migrations') IS NOT NULL AS history`,
  );
  expect(rows[0]).toEqual({ tables: 0, types: 0, extensions: 0, history: false });
}

/** A copy of prisma/migrations whose first CREATE EXTENSION names `extension` instead of vector. */
async function migrationsCreating(extension: string): Promise<string> {
  const target = await mkdtemp(path.join(os.tmpdir(), "lockstep-migrations-"));
  onTestFinished(() => rm(target, { recursive: true, force: true }));
  await cp(MIGRATIONS_DIR, target, { recursive: true });
  const [first] = (await readMigrationsList(target)).migrationDirectories;
  const file = path.join(target, first?.path ?? "", "migration.sql");
  const sql = await readFile(file, "utf8");
  expect(sql).toContain('CREATE EXTENSION IF NOT EXISTS "vector"');
  await writeFile(
    file,
    sql.replace('CREATE EXTENSION IF NOT EXISTS "vector"', `CREATE EXTENSION IF NOT EXISTS "${extension}"`),
  );
  return target;
}

const url = process.env.DATABASE_URL;

describe.skipIf(!url)("extension check before migrating (PostgreSQL only: set DATABASE_URL to run)", () => {
  it("refuses an extension the server does not have, before applying or recording anything", async () => {
    const db = await emptyDatabase();
    const migrations = await migrationsCreating("lockstep_absent_extension");

    const error = await applyMigrations(db, migrations).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MissingExtensionError);
    const missing = error as MissingExtensionError;
    expect(missing.extensions).toEqual(["lockstep_absent_extension"]);
    const { rows } = await db.pool.query<{ n: string }>("SELECT current_setting('server_version_num') AS n");
    expect(missing.serverMajor).toBe(Math.floor(Number(rows[0]?.n) / 10_000));
    expect(missing.message).toContain(
      `the extension "lockstep_absent_extension" for PostgreSQL ${missing.serverMajor}`,
    );
    expect(missing.message).toContain("Nothing was applied or recorded.");
    await expectUntouched(db);
    // Nothing failed half-way either, so the next run is not refused with P3009.
    expect((await migrationStatus(db, migrations)).failed).toEqual([]);
  });

  it("without pgvector on the server, names the package for its major version and leaves the database alone", async (ctx) => {
    const db = await emptyDatabase();
    if (await serverHasVector(db)) ctx.skip("this server has pgvector, so the real refusal cannot happen here");

    const error = await applyMigrations(db).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MissingExtensionError);
    const missing = error as MissingExtensionError;
    expect(missing.extensions).toEqual(["vector"]);
    expect(missing.message).toContain(`postgresql-${missing.serverMajor}-pgvector`);
    expect(missing.message).toContain("https://github.com/pgvector/pgvector#installation");
    await expectUntouched(db);
  });

  it("lets through an extension the server has (contrib's citext), and the migration creates it", async () => {
    const db = await emptyDatabase();
    const migrations = await mkdtemp(path.join(os.tmpdir(), "lockstep-migrations-"));
    onTestFinished(() => rm(migrations, { recursive: true, force: true }));
    await cp(path.join(MIGRATIONS_DIR, "migration_lock.toml"), path.join(migrations, "migration_lock.toml"));
    await mkdir(path.join(migrations, "20260101000000_probe"));
    await writeFile(
      path.join(migrations, "20260101000000_probe", "migration.sql"),
      'CREATE EXTENSION IF NOT EXISTS "citext";\nCREATE TABLE "probe" ("name" citext PRIMARY KEY);\n',
    );

    expect(await applyMigrations(db, migrations)).toEqual(["20260101000000_probe"]);
    const { rows } = await db.pool.query<{ extension: boolean; probe: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citext') AS extension,
              to_regclass('public.probe') IS NOT NULL AS probe`,
    );
    expect(rows[0]).toEqual({ extension: true, probe: true });
  });

  it("with pgvector on the server, still applies every migration", async (ctx) => {
    const db = await emptyDatabase();
    if (!(await serverHasVector(db))) ctx.skip("this server has no pgvector (install postgresql-<major>-pgvector)");

    const names = (await readMigrationsList()).migrationDirectories.map((directory) => directory.path);
    expect(await applyMigrations(db)).toEqual(names);
    expect((await migrationStatus(db)).current).toBe(true);
  });
});
