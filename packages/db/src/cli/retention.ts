// `pnpm db:retention [--days N]`: deletes AI interactions (and their responses) older than N days; N defaults to the operators' saved setting (admin.data), else AI_LOG_RETENTION_DAYS, else 90.
// In embedded mode this opens the PGlite data directory itself, so stop the server first: two
// processes on one PGlite directory corrupt it. (The server runs the same purge on a schedule.)
import { parseArgs } from "node:util";
import { embeddedDataDir, inspectEmbeddedDataDir } from "../backup.ts";
import { openDatabaseFromConfig } from "../connection.ts";
import { readDataSettings } from "../repositories/admin.ts";
import { purgeAiInteractionsOlderThan } from "../repositories/ai-interactions/retention.ts";
import { trimRollupsBefore } from "../repositories/ai-rollups.ts";
import { loadCliConfig } from "./config.ts";

const USAGE =
  "usage: pnpm db:retention [--days N]   (N whole days, at least 1; default the saved setting, else AI_LOG_RETENTION_DAYS or 90)";

async function main(): Promise<number> {
  // A bad AI_LOG_RETENTION_DAYS (or any other variable) stops it before the database is opened.
  const config = loadCliConfig(USAGE);
  if (!config) return 2;
  let days: number;
  let daysGiven = false;
  try {
    const { values, positionals } = parseArgs({ options: { days: { type: "string" } }, allowPositionals: true });
    if (positionals.length) throw new Error(`unexpected argument "${positionals[0]}"`);
    // Checked before the database is opened, so a typo deletes nothing.
    if (values.days === undefined) days = config.aiLog.retentionDays;
    else {
      daysGiven = true;
      days = Number(values.days);
      if (!Number.isInteger(days) || days < 1)
        throw new Error(`--days must be a whole number of days, at least 1 (got "${values.days}")`);
    }
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (!config.database.url) {
    const directory = embeddedDataDir(config.database.dataDir);
    const state = await inspectEmbeddedDataDir(directory);
    if (state === "missing") {
      console.error(`no embedded database at ${directory} (run pnpm db:migrate or start the server once)`);
      return 1;
    }
    if (state === "in-use") {
      console.error(
        `${directory} looks in use (postmaster.pid present): stop the server first (it runs retention itself).`,
      );
      return 1;
    }
  }
  const now = new Date();
  const db = await openDatabaseFromConfig(config.database);
  try {
    if (!daysGiven) days = (await readDataSettings(db, { retentionDays: config.aiLog.retentionDays })).retentionDays;
    const deleted = await purgeAiInteractionsOlderThan(db, { days, now });
    await trimRollupsBefore(db, new Date(now.getTime() - days * 86_400_000));
    const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
    console.log(
      `deleted ${deleted} AI interaction${deleted === 1 ? "" : "s"} created before ${cutoff} (older than ${days} days), with their responses`,
    );
    return 0;
  } finally {
    await db.close();
  }
}

process.exitCode = await main();
