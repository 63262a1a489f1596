// Retention of the AI interaction log: how many days to keep (AI_LOG_RETENTION_DAYS) and the batched purge of older rows.
import { ConfigError, loadConfigGroup, type TEnvironment } from "@lockstep/config";
import type { Database } from "../../connection.ts";

export { AI_LOG_RETENTION_DAYS_DEFAULT } from "@lockstep/config";

/**
 * AI_LOG_RETENTION_DAYS from a set of variables (whole days, at least 1), or the default; anything
 * else is a RangeError. The server and the CLIs take it from their loaded config instead.
 */
export function aiLogRetentionDaysFromEnv(env: TEnvironment): number {
  try {
    return loadConfigGroup("aiLog", env).retentionDays;
  } catch (error) {
    if (error instanceof ConfigError) throw new RangeError(error.message, { cause: error });
    throw error;
  }
}

export interface RetentionOptions {
  days: number;
  /** Rows per DELETE; each batch is its own short transaction, so the table is never locked for long. */
  batchSize?: number;
  now?: Date;
}

/**
 * Deletes interactions created more than `days` days ago, oldest first, in batches; their responses
 * go by ON DELETE CASCADE and messages that cite them keep their text (ON DELETE SET NULL).
 * SKIP LOCKED lets two servers run it at once without waiting on each other. Returns the count.
 */
export async function purgeAiInteractionsOlderThan(db: Database, options: RetentionOptions): Promise<number> {
  if (!Number.isFinite(options.days) || options.days <= 0)
    throw new RangeError(`retention days must be positive (got ${options.days})`);
  const batchSize = options.batchSize ?? 1000;
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.days * 86_400_000);
  let total = 0;
  for (;;) {
    const deleted = await db.prisma.$executeRaw`
      DELETE FROM ai_interactions i
       USING (SELECT id FROM ai_interactions WHERE created_at < ${cutoff}
               ORDER BY created_at LIMIT ${batchSize} FOR UPDATE SKIP LOCKED) doomed
       WHERE i.id = doomed.id`;
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
