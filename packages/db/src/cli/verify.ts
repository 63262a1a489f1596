// `pnpm db:verify [--json]`: checks the database DATABASE_URL names (or the embedded one) and exits 1 if any check fails.
// In embedded mode this opens the PGlite data directory itself, so stop the server first: two
// processes on one PGlite directory corrupt it.
import { openDatabaseFromConfig } from "../connection.ts";
import { embeddedDataDir, inspectEmbeddedDataDir } from "../backup.ts";
import { formatVerifyReport, verifyDatabase } from "../verify.ts";
import { loadCliConfig } from "./config.ts";

async function main(): Promise<number> {
  const config = loadCliConfig();
  if (!config) return 2;
  const args = process.argv.slice(2);
  const unknown = args.filter((arg) => arg !== "--json" && arg !== "--ignore-pid-file");
  if (unknown.length) {
    console.error("usage: verify.ts [--json] [--ignore-pid-file]");
    return 2;
  }
  if (!config.database.url) {
    // Opening a directory that is not there would create an empty database and "verify" that.
    const directory = embeddedDataDir(config.database.dataDir);
    const state = await inspectEmbeddedDataDir(directory);
    if (state === "missing") {
      console.error(`no embedded database at ${directory} (run pnpm db:migrate or start the server once)`);
      return 1;
    }
    if (state === "in-use" && !args.includes("--ignore-pid-file")) {
      console.error(
        `${directory} looks in use (postmaster.pid present): stop the server first. If no server is running ` +
          "(it crashed), pass --ignore-pid-file.",
      );
      return 1;
    }
  }
  const db = await openDatabaseFromConfig(config.database);
  try {
    const report = await verifyDatabase(db);
    console.log(args.includes("--json") ? JSON.stringify(report, null, 2) : formatVerifyReport(report));
    return report.ok ? 0 : 1;
  } finally {
    await db.close();
  }
}

process.exitCode = await main();
