// The periodic work shared by every process (interaction-log retention, the overview's rollups,
// closing calls whose process died), as queue schedules: pg-boss's cron pass sends one job per tick
// however many processes run it, and any worker takes it. Nothing shared is scheduled with timers.
import { runRetention, sweepAbandonedInteractions } from "@lockstep/ai";
import { type Database, failAbandonedReplies, type JobQueue, refreshAiInteractionRollups } from "@lockstep/db";
import { SESSION_WORK_QUEUE } from "./session-work-queue.ts";

/** A reply owed this long with no job behind it is given up (a send enqueues within moments). */
export const ABANDONED_REPLY_AFTER_MS = 2 * 60_000;

export interface MaintenanceContext {
  db: Database;
  /** The configured retention (AI_LOG_RETENTION_DAYS) for when operators have saved none. */
  retentionDefaultDays?: number;
}

export interface MaintenanceTask {
  /** The queue and schedule name. */
  name: string;
  /** Minute-resolution cron, in UTC. */
  cron: string;
  run(context: MaintenanceContext): Promise<unknown>;
}

export const MAINTENANCE_TASKS: readonly MaintenanceTask[] = [
  // Old log rows go every six hours (off the hour, away from other hourly work).
  {
    name: "ai-log-retention",
    cron: "17 */6 * * *",
    run: ({ db, retentionDefaultDays }) => runRetention(db, { defaultDays: retentionDefaultDays }),
  },
  // The admin overview's hourly rollups; hours not rolled up yet are read from the log itself.
  { name: "ai-log-rollups", cron: "*/10 * * * *", run: ({ db }) => refreshAiInteractionRollups(db) },
  // A reply still owed with no job left to write it (its last attempt died with its process).
  {
    name: "reply-sweep",
    cron: "*/5 * * * *",
    run: ({ db }) =>
      failAbandonedReplies(db, {
        queueName: SESSION_WORK_QUEUE,
        olderThan: new Date(Date.now() - ABANDONED_REPLY_AFTER_MS),
        reason: "The reply was interrupted. Try again.",
      }),
  },
  // A call still PENDING after ten minutes lost its process (no call runs that long).
  { name: "ai-log-sweep", cron: "*/5 * * * *", run: ({ db }) => sweepAbandonedInteractions(db) },
];

/** Creates each task's queue (one job at a time: a slow run is never joined by the next tick's) and its schedule. */
export async function scheduleMaintenance(
  queue: JobQueue,
  tasks: readonly MaintenanceTask[] = MAINTENANCE_TASKS,
): Promise<void> {
  for (const task of tasks) {
    if (!(await queue.getQueue(task.name))) {
      await queue.createQueue(task.name, { policy: "exclusive", retryLimit: 1, expireInSeconds: 30 * 60 });
    }
    await queue.schedule(task.name, task.cron, {}, { tz: "UTC" });
  }
}

export async function startMaintenanceWorker(
  queue: JobQueue,
  context: MaintenanceContext,
  tasks: readonly MaintenanceTask[] = MAINTENANCE_TASKS,
): Promise<void> {
  for (const task of tasks) {
    await queue.work(task.name, async () => {
      await task.run(context);
    });
  }
}
