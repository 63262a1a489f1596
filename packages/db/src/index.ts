// Server-only entry of the database package: connections, migrations, seed and repositories.
export { type Database, type DatabaseRuntime, openDatabase, openDatabaseFromConfig, redactUrl } from "./connection.ts";
export {
  appliedMigrations,
  applyMigrations,
  createMigration,
  migrationsOnDisk,
  diffMigrationsToSchema,
  type MigrationStatus,
  migrationStatus,
  MissingExtensionError,
} from "./migrations/index.ts";
export { dataDir, embeddedDataDir, MIGRATIONS_DIR, REPO_ROOT, SCHEMA_PATH } from "./paths.ts";
export { Prisma, PrismaClient } from "./generated/prisma/client.ts";
export * as $Enums from "./generated/prisma/enums.ts";
export { DEMO_ADMIN, DEMO_USER, loadSeedData, SeedValidationError, seedDatabase } from "./seed/index.ts";
export { hashPassword, verifyPassword } from "./seed/passwords.ts";
export { formatVerifyReport, type VerifyCheck, type VerifyReport, verifyDatabase } from "./verify.ts";
export { isTransientDatabaseError, isUniqueViolation } from "./errors.ts";
export { backfillMessageTree, type BackfillReport, treeCounts } from "./message-tree-backfill.ts";
export { BackupError, backupDatabase, type RestoreTarget, restoreDatabase } from "./backup.ts";
export {
  ADMIN_ROLE,
  APP_ROLE,
  type ScopedTx,
  type ScopeOptions,
  type SqlReader,
  type SqlTx,
  readAsUser,
  withAdmin,
  withAnonymous,
  withAnonymousSql,
  withUser,
  withUserSql,
} from "./scoped.ts";
export * from "./repositories/index.ts";
export {
  type Job,
  type JobQueue,
  type JobWithMetadata,
  JOB_QUEUE_SCHEMA,
  openJobQueue,
  type OpenJobQueueOptions,
  type QueueDefinition,
} from "./queue.ts";
export { createKeyBox, type KeyBox } from "./provider-keys.ts";
