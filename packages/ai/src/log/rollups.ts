// Keeps the admin overview's hourly rollups of the interaction log current: refreshed once at start and then on an interval inside the server.
import { type Database, refreshAiInteractionRollups } from "@lockstep/db";
import { startPeriodicJob } from "./periodic-job.ts";

export const ROLLUP_EVERY_MS_DEFAULT = 10 * 60_000;

export interface RollupScheduleOptions {
  /** Default: every 10 minutes; the overview reads hours not rolled up yet from the log itself. */
  everyMs?: number;
  /** Run once right away as well (default true). */
  runAtStart?: boolean;
  /** Default: printed to stderr. A failed run is retried at the next tick. */
  onError?: (error: unknown) => void;
}

export interface RollupSchedule {
  runNow(): Promise<void>;
  /** Stops the interval and waits for a run under way, so the database can be closed after it. */
  stop(): Promise<void>;
}

/** The timer is unref'd, so it never keeps the process alive, and a run never overlaps the previous one. */
export function startRollupSchedule(db: Database, options: RollupScheduleOptions = {}): RollupSchedule {
  return startPeriodicJob(() => refreshAiInteractionRollups(db).then(() => undefined), {
    everyMs: options.everyMs ?? ROLLUP_EVERY_MS_DEFAULT,
    runAtStart: options.runAtStart,
    onError: options.onError ?? ((error: unknown) => console.error("[ai-log] rollup refresh failed:", error)),
  });
}
