// Retention of the interaction log: deletes interactions older than N days (the operators' setting, else AI_LOG_RETENTION_DAYS, else 90), once or on an interval inside the server.
import { type Database, purgeAiInteractionsOlderThan, readDataSettings, trimRollupsBefore } from "@lockstep/db";
import { startPeriodicJob } from "./periodic-job.ts";

export interface RetentionRunOptions {
  /** Default: the retention days saved in admin.data.updateSettings, else `defaultDays`. */
  days?: number;
  /** The configured days (AI_LOG_RETENTION_DAYS) for when operators have saved none; default 90. */
  defaultDays?: number;
  batchSize?: number;
  now?: Date;
}

/** The retention days in force: read at every run, so an operator's change applies at the next one. */
export async function retentionDays(db: Database, defaultDays?: number): Promise<number> {
  return (await readDataSettings(db, defaultDays === undefined ? undefined : { retentionDays: defaultDays }))
    .retentionDays;
}

/**
 * Deletes interactions (and, by cascade, their responses) older than `days` days, and the overview
 * rollups of the hours that went with them; returns how many interactions were deleted.
 */
export async function runRetention(db: Database, options: RetentionRunOptions = {}): Promise<number> {
  const days = options.days ?? (await retentionDays(db, options.defaultDays));
  const now = options.now ?? new Date();
  const deleted = await purgeAiInteractionsOlderThan(db, { days, batchSize: options.batchSize, now });
  await trimRollupsBefore(db, new Date(now.getTime() - days * 86_400_000));
  return deleted;
}

export const RETENTION_EVERY_MS_DEFAULT = 6 * 60 * 60_000;

export interface RetentionScheduleOptions {
  /** Fixed days; default: read at every run as runRetention does. */
  days?: number;
  /** The configured days (AI_LOG_RETENTION_DAYS) for when operators have saved none; default 90. */
  defaultDays?: number;
  /** Default: every 6 hours. */
  everyMs?: number;
  /** Run once right away as well (default true), so a server restarted more often than everyMs still purges. */
  runAtStart?: boolean;
  batchSize?: number;
  onResult?: (deleted: number) => void;
  /** Default: printed to stderr. A failed run is retried at the next tick. */
  onError?: (error: unknown) => void;
}

export interface RetentionSchedule {
  /** Runs now (or joins the run under way); resolves to the number deleted. */
  runNow(): Promise<number>;
  /** Stops the interval and waits for a run under way, so the database can be closed after it. */
  stop(): Promise<void>;
}

/**
 * Runs retention on an interval inside the server. The timer is unref'd, so it never keeps the
 * process alive on its own, and a run never overlaps the previous one.
 */
export function startRetentionSchedule(db: Database, options: RetentionScheduleOptions = {}): RetentionSchedule {
  const days = options.days;
  return startPeriodicJob(
    () =>
      runRetention(db, {
        ...(days === undefined ? {} : { days }),
        defaultDays: options.defaultDays,
        batchSize: options.batchSize,
      }).then((deleted) => {
        options.onResult?.(deleted);
        return deleted;
      }),
    {
      everyMs: options.everyMs ?? RETENTION_EVERY_MS_DEFAULT,
      runAtStart: options.runAtStart,
      onError: options.onError ?? ((error: unknown) => console.error("[ai-log] retention failed:", error)),
    },
  );
}
