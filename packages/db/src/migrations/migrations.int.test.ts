// The migrations build exactly what schema.prisma describes, apply cleanly to an empty database,
// are idempotent, and keep existing data when the newest one is applied on top of the others.
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import { MIGRATIONS_DIR } from "../paths.ts";
import { createEmptyDatabase, type TestDatabase } from "../testing/index.ts";
import { readMigrationsList } from "./files.ts";
import { applyMigrations, diffMigrationsToSchema, migrationStatus } from "./index.ts";

const opened: TestDatabase[] = [];
async function emptyDatabase(): Promise<TestDatabase> {
  const db = await createEmptyDatabase();
  opened.push(db);
  return db;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
});

async function allMigrationNames(): Promise<string[]> {
  return (await readMigrationsList()).migrationDirectories.map((directory) => directory.path);
}

describe(`migrations (${process.env.DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("apply to an empty database, and applying again is a no-op", async () => {
    const db = await emptyDatabase();
    const names = await allMigrationNames();
    expect(names.length).toBeGreaterThanOrEqual(2);

    expect(await applyMigrations(db)).toEqual(names);
    expect(await applyMigrations(db)).toEqual([]);

    const status = await migrationStatus(db);
    expect(status).toMatchObject({ applied: names, pending: [], edited: [], failed: [], current: true });
  });

  it("status reports pending migrations on an empty database", async () => {
    const db = await emptyDatabase();
    const status = await migrationStatus(db);
    expect(status.current).toBe(false);
    expect(status.pending).toEqual(await allMigrationNames());
  });

  it("status reports a migration edited after it was applied", async () => {
    const db = await emptyDatabase();
    const copy = await copyMigrations();
    await applyMigrations(db, copy);
    const [first] = await allMigrationNames();
    const file = path.join(copy, first as string, "migration.sql");
    const { appendFile } = await import("node:fs/promises");
    await appendFile(file, "\n-- edited after the fact\n");
    const status = await migrationStatus(db, copy);
    expect(status.edited).toEqual([first]);
    expect(status.current).toBe(false);
  });

  it("build exactly the schema in schema.prisma (empty diff)", async () => {
    const db = await emptyDatabase();
    expect(await diffMigrationsToSchema(db.adapterFactory)).toBe("");
  });

  it("a schema change without its migration shows as a diff", async () => {
    const db = await emptyDatabase();
    const copy = await copyMigrations();
    // Drop the newest migration's sibling: remove a column the schema declares, as a new migration.
    const { mkdir, writeFile } = await import("node:fs/promises");
    await mkdir(path.join(copy, "29990101000000_drift"));
    await writeFile(
      path.join(copy, "29990101000000_drift", "migration.sql"),
      'ALTER TABLE "sessions" DROP COLUMN "is_pinned";\n',
    );
    const diff = await diffMigrationsToSchema(db.adapterFactory, copy);
    expect(diff).toContain('"is_pinned"');
  });

  it("keep every row and every foreign key when the newest migration is applied", async () => {
    const db = await emptyDatabase();
    const names = await allMigrationNames();
    const previous = await copyMigrations(names.slice(0, -1));
    expect(await applyMigrations(db, previous)).toEqual(names.slice(0, -1));

    await fillWithData(db);
    const before = await rowCounts(db);
    expect(Object.values(before).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(10);

    expect(await applyMigrations(db)).toEqual(names.slice(-1));
    // Tables the newest migration creates may appear (empty or backfilled); the old ones keep every row.
    const after = await rowCounts(db);
    expect(Object.fromEntries(Object.keys(before).map((table) => [table, after[table]]))).toEqual(before);
    expect(await orphanedForeignKeys(db)).toEqual([]);
  });
});

/** A copy of prisma/migrations (optionally only some of them) in a temp dir the test may change. */
async function copyMigrations(only?: string[]): Promise<string> {
  const target = await mkdtemp(path.join(os.tmpdir(), "lockstep-migrations-"));
  for (const entry of await readdir(MIGRATIONS_DIR)) {
    const isMigration = !entry.endsWith(".toml");
    if (isMigration && only && !only.includes(entry)) continue;
    await cp(path.join(MIGRATIONS_DIR, entry), path.join(target, entry), { recursive: true });
  }
  onTestFinished(() => rm(target, { recursive: true, force: true }));
  return target;
}

async function fillWithData(db: TestDatabase): Promise<void> {
  const sql = `
    INSERT INTO users (id, name, email, updated_at) VALUES
      ('u1', 'Ada', 'ada@example.com', now()), ('u2', 'Bo', 'bo@example.com', now());
    INSERT INTO characters (id, slug, name, description, system_prompt, updated_at) VALUES
      ('00000000-0000-4000-8000-000000000001', 'coach', 'Coach', 'A coach.', 'Be kind.', now());
    INSERT INTO episode_templates (id, character_id, slug, title, situation, updated_at) VALUES
      ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'first', 'First', 'A first chat.', now());
    INSERT INTO engagements (id, user_id, character_id, updated_at) VALUES
      ('00000000-0000-4000-8000-000000000003', 'u1', '00000000-0000-4000-8000-000000000001', now());
    INSERT INTO sessions (id, user_id, type, character_id, engagement_id, episode_template_id, updated_at) VALUES
      ('00000000-0000-4000-8000-000000000010', 'u1', 'TEXT', '00000000-0000-4000-8000-000000000001',
       '00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000002', now()),
      ('00000000-0000-4000-8000-000000000011', 'u2', 'SCREENSHOT', NULL, NULL, NULL, now());
    INSERT INTO messages (id, session_id, user_id, text, author, updated_at) VALUES
      ('00000000-0000-4000-8000-000000000020', '00000000-0000-4000-8000-000000000010', 'u1', 'Hello', 'USER', now()),
      ('00000000-0000-4000-8000-000000000021', '00000000-0000-4000-8000-000000000010', 'u1', 'Hi!', 'AI', now()),
      ('00000000-0000-4000-8000-000000000022', '00000000-0000-4000-8000-000000000011', 'u2', 'Hey', 'CONTACT', now());
    INSERT INTO user_message_interactions (user_id, message_id, type) VALUES
      ('u1', '00000000-0000-4000-8000-000000000021', 'LIKED');
    INSERT INTO collections (user_id, name, updated_at) VALUES ('u1', 'Favourites', now());
    INSERT INTO providers (id, name, kind, updated_at) VALUES
      ('00000000-0000-4000-8000-000000000030', 'builtin', 'BUILTIN', now());
    INSERT INTO ai_interactions (id, provider_id, model_name, operation, request, user_id, session_id, updated_at) VALUES
      ('00000000-0000-4000-8000-000000000040', '00000000-0000-4000-8000-000000000030', 'builtin-1', 'REPLY', '{}',
       'u1', '00000000-0000-4000-8000-000000000010', now());
    INSERT INTO ai_responses (interaction_id, content) VALUES ('00000000-0000-4000-8000-000000000040', 'Hi!');
    INSERT INTO knowledge_chunks (chunk_id, version, source, text_content, embedding_text, updated_at) VALUES
      ('comfort_response_001', '1.0.0', 'TEST', 'Listen first.', 'listen', now());
    INSERT INTO memory_events (user_id, character_id, session_id, kind, content) VALUES
      ('u1', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000010', 'FACT', 'Likes tea');
  `;
  await db.pool.query(sql);
}

async function rowCounts(db: TestDatabase): Promise<Record<string, number>> {
  const tables = await db.pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'
      ORDER BY table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of tables.rows) {
    const result = await db.pool.query<{ count: string }>(`SELECT count(*) FROM "${table_name}"`);
    counts[table_name] = Number(result.rows[0]?.count);
  }
  return counts;
}

/** Child rows whose non-null foreign key has no parent, for every foreign key in the database. */
async function orphanedForeignKeys(db: TestDatabase): Promise<string[]> {
  const keys = await db.pool.query<{ child: string; column: string; parent: string; parent_column: string }>(
    `SELECT c.conrelid::regclass::text AS child, a.attname AS column,
            c.confrelid::regclass::text AS parent, pa.attname AS parent_column
       FROM pg_constraint c
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1]
      WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`,
  );
  expect(keys.rows.length).toBeGreaterThan(10);
  const orphans: string[] = [];
  for (const key of keys.rows) {
    const result = await db.pool.query<{ count: string }>(
      `SELECT count(*) FROM ${key.child} c WHERE c."${key.column}" IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM ${key.parent} p WHERE p."${key.parent_column}" = c."${key.column}")`,
    );
    if (Number(result.rows[0]?.count) > 0) orphans.push(`${key.child}.${key.column}`);
  }
  return orphans;
}
