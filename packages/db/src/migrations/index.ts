// Migrations in Prisma's format, written and applied through the WASM schema engine: apply pending
// ones (once the server is known to have the extensions they create), report status, diff the
// migration history against schema.prisma, write the next migration.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { Database } from "../connection.ts";
import { MIGRATIONS_DIR } from "../paths.ts";
import { assertExtensionsAvailable, extensionsCreatedBy } from "./extensions.ts";
import { LOCKFILE_CONTENT, LOCKFILE_NAME, migrationNames, readMigrationsList } from "./files.ts";
import { NO_FILTERS, withSchemaEngine } from "./schema-engine.ts";

export { MissingExtensionError } from "./extensions.ts";

export interface MigrationStatus {
  /** Migrations recorded as finished in `_prisma_migrations`. */
  applied: string[];
  /** Migrations in prisma/migrations that the database has not run. */
  pending: string[];
  /** Applied migrations whose file changed since (checksum mismatch). */
  edited: string[];
  /** Migrations that started and failed. */
  failed: string[];
  /** Recorded in the database but missing from prisma/migrations. */
  unknown: string[];
  /** True when nothing is pending, edited, failed or unknown. */
  current: boolean;
}

/**
 * Applies every pending migration; returns the names it applied (none when current). First checks
 * that the server can create every extension the migrations create, and stops with a
 * MissingExtensionError (nothing applied, nothing recorded) when it cannot.
 */
export async function applyMigrations(db: Database, migrationsDir: string = MIGRATIONS_DIR): Promise<string[]> {
  const migrationsList = await readMigrationsList(migrationsDir);
  await assertExtensionsAvailable(db, extensionsCreatedBy(migrationsList));
  return withSchemaEngine(db.adapterFactory, async (engine) => {
    const output = await engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
    return output.appliedMigrationNames;
  });
}

/** Names of the migrations in prisma/migrations, in the order they apply. */
export async function migrationsOnDisk(migrationsDir: string = MIGRATIONS_DIR): Promise<string[]> {
  return migrationNames(await readMigrationsList(migrationsDir));
}

export async function migrationStatus(db: Database, migrationsDir: string = MIGRATIONS_DIR): Promise<MigrationStatus> {
  const migrationsList = await readMigrationsList(migrationsDir);
  const diagnosis = await withSchemaEngine(db.adapterFactory, (engine) =>
    engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_FILTERS }),
  );
  const applied = await appliedMigrations(db);
  const history = diagnosis.history;
  const pending =
    history?.diagnostic === "databaseIsBehind" || history?.diagnostic === "historiesDiverge"
      ? history.unappliedMigrationNames
      : diagnosis.hasMigrationsTable
        ? []
        : migrationNames(migrationsList);
  const unknown =
    history?.diagnostic === "migrationsDirectoryIsBehind" || history?.diagnostic === "historiesDiverge"
      ? history.unpersistedMigrationNames
      : [];
  const status = {
    applied,
    pending,
    edited: diagnosis.editedMigrationNames,
    failed: diagnosis.failedMigrationNames,
    unknown,
  };
  return {
    ...status,
    current: [status.pending, status.edited, status.failed, status.unknown].every((names) => names.length === 0),
  };
}

/** Names of the migrations the database finished, cheap enough for every health check. */
export async function appliedMigrations(db: Database): Promise<string[]> {
  const table = await db.pool.query<{ exists: boolean }>(
    "SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS exists",
  );
  if (!table.rows[0]?.exists) return [];
  const result = await db.pool.query<{ migration_name: string }>(
    `SELECT migration_name FROM _prisma_migrations
      WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL
      ORDER BY migration_name`,
  );
  return result.rows.map((row) => row.migration_name);
}

/**
 * The SQL that would take a database built by the migrations to what schema.prisma describes.
 * Empty when they agree. The migrations are replayed on a shadow database the adapter provides.
 */
export async function diffMigrationsToSchema(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  migrationsDir: string = MIGRATIONS_DIR,
): Promise<string> {
  const migrationsList = await readMigrationsList(migrationsDir);
  return withSchemaEngine(adapterFactory, async (engine, schema) => {
    const result = await engine.diff({
      from: migrationsList.migrationDirectories.length ? { tag: "migrations", ...migrationsList } : { tag: "empty" },
      to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: schema }] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    const script = withoutHandManagedObjects(result.stdout ?? "");
    return isEmptyScript(script) ? "" : script;
  });
}

/**
 * Objects that exist only in hand-written migration SQL. Prisma cannot describe an HNSW index, a
 * NULLS LAST sort order or a partial index with INCLUDE columns, so every diff proposes to drop
 * them; those statements are not schema drift and are left out.
 */
export const HAND_MANAGED_OBJECTS = [
  "knowledge_chunks_embedding_hnsw_idx",
  "ai_interactions_latency_id_idx",
  "ai_interactions_prompt_groups_idx",
  // Expression indexes of conversation search.
  "messages_search_idx",
  "sessions_name_search_idx",
  "sessions_name_trgm_idx",
  "messages_user_recency_idx",
  "usage_limits_role_key",
  "usage_limits_user_key",
] as const;

/** Columns only hand-written SQL makes (generated columns); a diff proposes to drop them. */
export const HAND_MANAGED_COLUMNS = [{ table: "messages", column: "search_vector" }] as const;

function withoutHandManagedObjects(script: string): string {
  // Prisma puts every change to a table in one ALTER TABLE: take out only the clause dropping a
  // hand-managed column, so changes made beside it in schema.prisma stay in the script.
  for (const { table, column } of HAND_MANAGED_COLUMNS) {
    script = script
      .replace(new RegExp(`(ALTER TABLE "${table}"[^;]*?)DROP COLUMN "${column}",\\s*`, "g"), "$1")
      .replace(new RegExp(`,\\s*DROP COLUMN "${column}"`, "g"), "")
      .replace(new RegExp(`(?:-- AlterTable\\n)?ALTER TABLE "${table}" DROP COLUMN "${column}";\\n?`, "g"), "");
  }
  return script
    .split(/\n{2,}/)
    .filter((block) => !HAND_MANAGED_OBJECTS.some((name) => block.includes(`"${name}"`)))
    .join("\n\n");
}

/** The engine answers "no changes" with a comment-only script. */
function isEmptyScript(sql: string): boolean {
  return sql
    .split("\n")
    .map((line) => line.trim())
    .every((line) => line === "" || line.startsWith("--"));
}

/** Writes `<timestamp>_<name>/migration.sql` from the schema diff; null when there is nothing to write. */
export async function createMigration(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  name: string,
  migrationsDir: string = MIGRATIONS_DIR,
  now: Date = new Date(),
): Promise<string | null> {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (!slug) throw new Error(`migration name "${name}" has no letters or digits`);
  const sql = await diffMigrationsToSchema(adapterFactory, migrationsDir);
  if (!sql) return null;
  const stamp = now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const directory = path.join(migrationsDir, `${stamp}_${slug}`);
  await mkdir(directory, { recursive: true });
  await writeFile(path.join(directory, "migration.sql"), sql);
  await writeFile(path.join(migrationsDir, LOCKFILE_NAME), LOCKFILE_CONTENT);
  return directory;
}
