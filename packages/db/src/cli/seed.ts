// `pnpm db:seed`: validates the seed files and loads them into the database the configuration names.
import { openDatabaseFromConfig } from "../connection.ts";
import { DEMO_ADMIN, DEMO_USER, SeedValidationError, seedDatabase } from "../seed/index.ts";
import { loadCliConfig } from "./config.ts";

async function main(): Promise<number> {
  const config = loadCliConfig();
  if (!config) return 2;
  const db = await openDatabaseFromConfig(config.database);
  try {
    const report = await seedDatabase(db);
    console.log(
      `seeded ${db.location}: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged`,
    );
    console.log(
      `demo login: ${DEMO_USER.email} / ${DEMO_USER.password} (admin: ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password})`,
    );
    return 0;
  } catch (error) {
    if (error instanceof SeedValidationError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await db.close();
  }
}

process.exitCode = await main();
