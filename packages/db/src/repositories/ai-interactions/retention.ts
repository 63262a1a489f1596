// Retention of the AI interaction log: how many days to keep (AI_LOG_RETENTION_DAYS) and the batched purge of older rows.
import type { Database } from "../../connection.ts";

export const AI_LOG_RETENTION_DAYS_DEFAULT = 90;

/** AI_LOG_RETENTION_DAYS (whole days, at least 1), or the default; anything else is a configuration error. */
export function aiLogRetentionDaysFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.AI_LOG_RETENTION_DAYS?.trim();
  if (!raw) return AI_LOG_RETENTION_DAYS_DEFAULT;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 1) {
    throw new RangeError(`AI_LOG_RETENTION_DAYS must be a whole number of days, at least 1 (got "${raw}")`);
  }
  return days;
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
