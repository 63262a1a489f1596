// Test databases: every test file gets its own freshly migrated database, fast. On PostgreSQL
// (DATABASE_URL set) it is a copy of a template database; on PGlite, a clone of a dumped data
// directory. Both are built once per migration set and reused across runs.
import { createHash, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { type Database, openDatabase } from "../connection.ts";
import { readMigrationsList } from "../migrations/files.ts";
import { applyMigrations } from "../migrations/index.ts";
import { openPglite } from "../pglite.ts";

export interface TestDatabase extends Database {
  /** PostgreSQL: the connection string of this test's own database; PGlite: undefined. */
  readonly url: string | undefined;
}

/** A short hash of every migration file, so a changed migration builds a new template. */
export async function migrationsFingerprint(): Promise<string> {
  const list = await readMigrationsList();
  const hash = createHash("sha256");
  for (const directory of list.migrationDirectories) {
    hash.update(directory.path);
    hash.update(directory.migrationFile.content.tag === "ok" ? directory.migrationFile.content.value : "missing");
  }
  return hash.digest("hex").slice(0, 16);
}

/** Builds the template (once per migration set); vitest's global setup calls it before any test. */
export async function prepareTestTemplate(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (url) await ensurePostgresTemplate(url);
  else await ensurePgliteDump();
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = await ensurePostgresTemplate(url);
    const name = `lockstep_test_${randomUUID().replaceAll("-", "").slice(0, 20)}`;
    await withAdminClient(url, (client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
    const testUrl = withDatabase(url, name);
    const db = await openDatabase({ url: testUrl, poolMax: 5 });
    return {
      ...db,
      url: testUrl,
      async close() {
        // Dropping the database WITH (FORCE) ends any connection a test left behind; expected here.
        db.pool.on("error", () => {});
        await db.close();
        await withAdminClient(url, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      },
    };
  }
  const dump = await ensurePgliteDump();
  const pglite = await openPglite({ loadDataDir: new Blob([await readFile(dump)]) });
  const db = await openDatabase({ pglite, ownPglite: true });
  return { ...db, url: undefined, close: () => db.close() };
}

/** A database with nothing in it (not even migrations), for tests of the migrations themselves. */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `lockstep_empty_${randomUUID().replaceAll("-", "").slice(0, 20)}`;
    await withAdminClient(url, (client) => client.query(`CREATE DATABASE "${name}"`));
    const emptyUrl = withDatabase(url, name);
    const db = await openDatabase({ url: emptyUrl, poolMax: 5 });
    return {
      ...db,
      url: emptyUrl,
      async close() {
        db.pool.on("error", () => {});
        await db.close();
        await withAdminClient(url, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      },
    };
  }
  const db = await openDatabase({ pglite: await openPglite(), ownPglite: true });
  return { ...db, url: undefined, close: () => db.close() };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function withAdminClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates `lockstep_tpl_<fingerprint>` once; an advisory lock keeps parallel workers from racing. */
async function ensurePostgresTemplate(url: string): Promise<string> {
  const name = `lockstep_tpl_${await migrationsFingerprint()}`;
  await withAdminClient(url, async (client) => {
    await client.query("SELECT pg_advisory_lock(hashtext('lockstep_test_template'))");
    try {
      const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (exists.rowCount) return;
      const building = `${name}_building`;
      await client.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
      await client.query(`CREATE DATABASE "${building}"`);
      const db = await openDatabase({ url: withDatabase(url, building), poolMax: 2 });
      try {
        await applyMigrations(db);
      } finally {
        await db.close();
      }
      await client.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext('lockstep_test_template'))");
    }
  });
  return name;
}

/** Migrates an in-memory PGlite once and keeps its data directory as a tarball in the temp dir. */
async function ensurePgliteDump(): Promise<string> {
  const file = path.join(os.tmpdir(), `lockstep-pglite-${await migrationsFingerprint()}.tar.gz`);
  if (existsSync(file)) return file;
  const pglite = await openPglite();
  const db = await openDatabase({ pglite, ownPglite: true });
  try {
    await applyMigrations(db);
    const dump = await pglite.dumpDataDir("gzip");
    // Written aside and renamed, so a concurrent reader never sees half a file.
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, file);
  } finally {
    await db.close();
  }
  return file;
}
