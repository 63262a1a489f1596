// `pnpm db:backfill-message-tree [--batch N] [--restart]`: links messages written before conversations
// were a tree into one line per session, in keyset batches of N sessions (default 500). Safe to stop
// and run again: it resumes after the last batch it recorded; --restart starts from the first session.
// In embedded mode stop the server first (two processes on one PGlite directory corrupt it).
import { parseArgs } from "node:util";
import { openDatabaseFromConfig } from "../connection.ts";
import { backfillMessageTree } from "../message-tree-backfill.ts";
import { loadCliConfig } from "./config.ts";

const USAGE = "usage: pnpm db:backfill-message-tree [--batch N] [--restart]";

async function main(): Promise<number> {
  const config = loadCliConfig(USAGE);
  if (!config) return 2;
  let batch = 500;
  let restart: boolean;
  try {
    const { values } = parseArgs({ options: { batch: { type: "string" }, restart: { type: "boolean" } } });
    if (values.batch !== undefined) {
      batch = Number(values.batch);
      if (!Number.isInteger(batch) || batch < 1) throw new Error(`--batch must be a whole number, at least 1`);
    }
    restart = values.restart ?? false;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const db = await openDatabaseFromConfig(config.database);
  try {
    const report = await backfillMessageTree(db, {
      batchSessions: batch,
      restart,
      onBatch: (done, linked) => {
        if (done % 10 === 0) console.log(`batch ${done}: ${linked} messages linked so far`);
      },
    });
    console.log(
      `${report.resumedFrom ? `resumed after session ${report.resumedFrom}; ` : ""}${report.batches} batches, ` +
        `${report.linked} messages linked in ${(report.ms / 1000).toFixed(1)} s\n` +
        `before: ${JSON.stringify(report.before)}\nafter:  ${JSON.stringify(report.after)}`,
    );
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  } finally {
    await db.close();
  }
}

process.exitCode = await main();
