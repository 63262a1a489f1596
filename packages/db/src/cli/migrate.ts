// `pnpm db:migrate` (apply), `pnpm db:migrate:new <name>` (write the next migration from the schema
// diff) and `pnpm db:status` (pending, edited or failed migrations; exits 1 unless current).
import path from "node:path";
import { openDatabase, openDatabaseFromConfig } from "../connection.ts";
import { applyMigrations, createMigration, MissingExtensionError, migrationStatus } from "../migrations/index.ts";
import { openPglite } from "../pglite.ts";
import { REPO_ROOT } from "../paths.ts";
import { loadCliConfig } from "./config.ts";

async function main(): Promise<number> {
  const config = loadCliConfig();
  if (!config) return 2;
  const [command, name] = process.argv.slice(2);
  if (command === "new") {
    if (!name) {
      console.error("usage: pnpm db:migrate:new <name>");
      return 2;
    }
    // The diff replays the migrations on a throwaway embedded database, so no server is needed.
    const db = await openDatabase({ pglite: await openPglite(), ownPglite: true });
    try {
      const directory = await createMigration(db.adapterFactory, name);
      console.log(
        directory
          ? `wrote ${path.relative(REPO_ROOT, directory)}/migration.sql`
          : "schema.prisma and the migrations agree: nothing to write",
      );
      return 0;
    } finally {
      await db.close();
    }
  }
  const db = await openDatabaseFromConfig(config.database);
  try {
    if (command === "apply") {
      let applied: string[];
      try {
        applied = await applyMigrations(db);
      } catch (error) {
        // The server lacks something only its administrator can install: say what, without a stack.
        if (!(error instanceof MissingExtensionError)) throw error;
        console.error(error.message);
        return 1;
      }
      console.log(applied.length ? `applied ${applied.join(", ")}` : "no pending migrations");
      return 0;
    }
    if (command === "status") {
      const status = await migrationStatus(db);
      console.log(`database: ${db.location}`);
      console.log(`applied: ${status.applied.length}`);
      for (const [label, names] of Object.entries({
        pending: status.pending,
        edited: status.edited,
        failed: status.failed,
        unknown: status.unknown,
      })) {
        if (names.length) console.log(`${label}: ${names.join(", ")}`);
      }
      console.log(status.current ? "migrations are current" : "migrations are NOT current");
      return status.current ? 0 : 1;
    }
    console.error("usage: migrate.ts apply|new <name>|status");
    return 2;
  } finally {
    await db.close();
  }
}

process.exitCode = await main();
