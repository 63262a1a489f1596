// `pnpm db:backup <file> [--force]` and `pnpm db:restore <file>`: back up or restore the database DATABASE_URL names, or the embedded one.
// Embedded mode works on the PGlite data directory itself (opening it to back up, replacing it to
// restore), and two processes on one PGlite directory corrupt it: stop the server first.
// Relative paths are taken from where pnpm was started (INIT_CWD), not from packages/db, where
// pnpm runs the script.
import path from "node:path";
import { openDatabaseFromConfig, redactUrl } from "../connection.ts";
import {
  BackupError,
  backupDatabase,
  embeddedDataDir,
  formatBytes,
  inspectEmbeddedDataDir,
  restoreDatabase,
} from "../backup.ts";
import { loadCliConfig } from "./config.ts";

const USAGE =
  "usage: backup.ts backup <file> [--force] [--ignore-pid-file]\n       backup.ts restore <file> [--ignore-pid-file]";

async function main(): Promise<number> {
  const config = loadCliConfig();
  if (!config) return 2;
  const args = process.argv.slice(2);
  const flags = new Set(args.filter((arg) => arg.startsWith("--")));
  const [command, file, ...rest] = args.filter((arg) => !arg.startsWith("--"));
  const knownFlags = command === "backup" ? ["--force", "--ignore-pid-file"] : ["--ignore-pid-file"];
  if (
    (command !== "backup" && command !== "restore") ||
    !file ||
    rest.length ||
    [...flags].some((flag) => !knownFlags.includes(flag))
  ) {
    console.error(USAGE);
    return 2;
  }
  const target = path.resolve(config.cli.invokedFrom ?? process.cwd(), file);
  const url = config.database.url;
  const pgliteDataDir = embeddedDataDir(config.database.dataDir);
  const ignorePidFile = flags.has("--ignore-pid-file");

  if (command === "restore") {
    const result = url
      ? await restoreDatabase({ url }, target)
      : await restoreDatabase({ pgliteDataDir, ignorePidFile }, target);
    console.log(`restored ${result.file} (${formatBytes(result.bytes)}) into ${result.location} [${result.runtime}]`);
    if (result.previousDataDir) {
      console.log(
        `the data directory it replaced is kept at ${result.previousDataDir}; delete it once you are satisfied`,
      );
    }
    console.log("run pnpm db:migrate if the backup predates the current migrations, then pnpm db:verify");
    return 0;
  }

  if (!url) {
    // Opening a missing directory would create an empty database and back that up.
    const directory = pgliteDataDir;
    const state = await inspectEmbeddedDataDir(directory);
    if (state === "missing") throw new BackupError(`no embedded database at ${directory}: nothing to back up`);
    if (state === "in-use" && !ignorePidFile) {
      throw new BackupError(
        `${directory} looks in use (postmaster.pid present): stop the server first. If no server is running ` +
          "(it crashed), pass --ignore-pid-file.",
      );
    }
  }
  const db = await openDatabaseFromConfig(config.database);
  try {
    const result = await backupDatabase(db, target, { force: flags.has("--force") });
    const kind = result.runtime === "postgres" ? "pg_dump custom format" : "PGlite data-directory tarball";
    console.log(
      `backed up ${url ? redactUrl(url) : result.location} [${result.runtime}] to ${result.file} (${formatBytes(result.bytes)}, ${kind})`,
    );
    return 0;
  } finally {
    await db.close();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  if (!(error instanceof BackupError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
