// Checks, before any migration runs, that the server can create every extension the migrations create.
//
// A missing extension otherwise fails inside the first migration, through the schema engine's WASM
// stack trace, and leaves that migration recorded as failed, so the next attempt refuses (P3009)
// until someone repairs `_prisma_migrations` by hand.
import type { MigrationList } from "@prisma/schema-engine-wasm";
import type { Database } from "../connection.ts";

/** How to install an extension the migrations need, for the message that names what is missing. */
interface InstallHint {
  product: string;
  debianPackage: (major: number) => string;
  source: string;
}

const INSTALL_HINTS: Record<string, InstallHint> = {
  vector: {
    product: "pgvector",
    debianPackage: (major) => `postgresql-${major}-pgvector`,
    source: "https://github.com/pgvector/pgvector#installation",
  },
};

/** The server cannot create an extension a migration needs; nothing was applied or recorded. */
export class MissingExtensionError extends Error {
  override readonly name = "MissingExtensionError";

  constructor(
    readonly extensions: readonly string[],
    readonly serverVersion: string,
    readonly serverMajor: number,
    readonly location: string,
  ) {
    super(missingExtensionMessage(extensions, serverVersion, serverMajor, location));
  }
}

function missingExtensionMessage(extensions: readonly string[], version: string, major: number, location: string) {
  const what = extensions.map((name) => {
    const hint = INSTALL_HINTS[name];
    return hint
      ? `${hint.product} for PostgreSQL ${major}: on Debian or Ubuntu the package ${hint.debianPackage(major)} ` +
          `(from the PostgreSQL apt repository, apt.postgresql.org, if the distribution has none), elsewhere ` +
          `built from source (${hint.source})`
      : `the extension "${name}" for PostgreSQL ${major}`;
  });
  return (
    `The PostgreSQL server at ${location} (version ${version}) cannot create the extension ` +
    `${extensions.map((name) => `"${name}"`).join(", ")}, which the migrations need. ` +
    `Install, on the machine that runs PostgreSQL, ${what.join("; and ")}. ` +
    `Then run the migrations again. Nothing was applied or recorded.`
  );
}

/** Extensions the migration files create (`CREATE EXTENSION [IF NOT EXISTS] name`), in first-use order. */
export function extensionsCreatedBy(list: MigrationList): string[] {
  const names = new Set<string>();
  for (const directory of list.migrationDirectories) {
    const content = directory.migrationFile.content;
    if (content.tag !== "ok") continue;
    const sql = content.value.replace(/--[^\n]*/g, "");
    for (const match of sql.matchAll(
      /CREATE\s+EXTENSION\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:"([^"]+)"|([A-Za-z_][\w-]*))/gi,
    )) {
      names.add(match[1] ?? (match[2] as string).toLowerCase());
    }
  }
  return [...names];
}

/**
 * Throws MissingExtensionError unless each extension is installed in this database or available to
 * install on its server (pg_available_extensions lists the extensions whose files the server has).
 */
export async function assertExtensionsAvailable(db: Database, extensions: readonly string[]): Promise<void> {
  if (extensions.length === 0) return;
  const result = await db.pool.query<{ name: string; version: string; version_num: string }>(
    `SELECT e.name, current_setting('server_version') AS version, current_setting('server_version_num') AS version_num
       FROM unnest($1::text[]) AS e(name)
      WHERE NOT EXISTS (SELECT 1 FROM pg_available_extensions a WHERE a.name = e.name)
        AND NOT EXISTS (SELECT 1 FROM pg_extension x WHERE x.extname = e.name)`,
    [extensions],
  );
  const first = result.rows[0];
  if (!first) return;
  throw new MissingExtensionError(
    result.rows.map((row) => row.name),
    first.version,
    Math.floor(Number(first.version_num) / 10_000),
    db.location,
  );
}
