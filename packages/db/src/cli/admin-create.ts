// `pnpm admin:create <email> [--name "…"]`: promotes the account with that email to ADMIN, or creates one and prints its generated password once.
// In embedded mode this opens the PGlite data directory itself, so stop the server first: two
// processes on one PGlite directory corrupt it.
import { parseArgs } from "node:util";
import { embeddedDataDir, inspectEmbeddedDataDir } from "../backup.ts";
import { openDatabaseFromConfig } from "../connection.ts";
import { createOrPromoteAdmin, normaliseAdminEmail } from "../repositories/admins.ts";
import { loadCliConfig } from "./config.ts";

const USAGE = 'usage: pnpm admin:create <email> [--name "Full Name"]';

async function main(): Promise<number> {
  const config = loadCliConfig();
  if (!config) return 2;
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { name: { type: "string" } } });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const [rawEmail, ...extra] = parsed.positionals;
  if (!rawEmail || extra.length) {
    console.error(USAGE);
    return 2;
  }
  // Checked before the database is opened, so a typo costs nothing and changes nothing.
  const email = normaliseAdminEmail(rawEmail);
  if (!email) {
    console.error(`"${rawEmail}" is not an email address (expected name@example.com); nothing was changed.`);
    return 1;
  }
  if (!config.database.url) {
    const directory = embeddedDataDir(config.database.dataDir);
    const state = await inspectEmbeddedDataDir(directory);
    if (state === "missing") {
      console.error(`no embedded database at ${directory} (run pnpm db:migrate or start the server once)`);
      return 1;
    }
    if (state === "in-use") {
      console.error(`${directory} looks in use (postmaster.pid present): stop the server first.`);
      return 1;
    }
  }

  const db = await openDatabaseFromConfig(config.database);
  try {
    const result = await createOrPromoteAdmin(db, { email, name: parsed.values.name });
    if (result.outcome === "created") {
      console.log(`created admin ${result.user.email} (${result.user.id})`);
      // Shown once and stored nowhere but as a hash: the operator should change it after signing in.
      console.log(`password: ${result.password}`);
      console.log("This password is not shown again; sign in and change it.");
    } else {
      console.log(
        result.wasAdmin
          ? `promoted: ${result.user.email} was already an admin (nothing changed)`
          : `promoted ${result.user.email} (${result.user.id}) to admin`,
      );
      if (result.user.disabled)
        console.log(`warning: ${result.user.email} is disabled and cannot sign in until re-enabled.`);
    }
    return 0;
  } finally {
    await db.close();
  }
}

process.exitCode = await main();
