// The usage queues: the daily rollups rebuilt for recent days on a schedule, and re-pricing a past
// range (an operator's explicit action), a durable job so a restart mid-way does not lose it.
import { type Database, type JobQueue, refreshUsageRollups, repriceRange } from "@lockstep/db";
import { z } from "zod";

export const USAGE_ROLLUP_QUEUE = "usage-rollups";
export const REPRICE_QUEUE = "usage-reprice";

export const ZRepriceJobSchema = z.object({ from: z.number().int(), to: z.number().int(), requestedBy: z.string() });
export type TRepriceJob = z.infer<typeof ZRepriceJobSchema>;

/** Yesterday and today (UTC): late-finishing calls land in the rollups within one run. */
export function refreshRecentUsage(db: Database, now: Date = new Date()): Promise<void> {
  return refreshUsageRollups(db, new Date(now.getTime() - 86_400_000), now);
}

export async function prepareUsageQueues(queue: JobQueue): Promise<void> {
  if (!(await queue.getQueue(USAGE_ROLLUP_QUEUE))) {
    await queue.createQueue(USAGE_ROLLUP_QUEUE, { policy: "exclusive", retryLimit: 1, expireInSeconds: 30 * 60 });
  }
  await queue.schedule(USAGE_ROLLUP_QUEUE, "*/10 * * * *", {}, { tz: "UTC" });
  if (!(await queue.getQueue(REPRICE_QUEUE))) {
    await queue.createQueue(REPRICE_QUEUE, { retryLimit: 3, retryDelay: 30, expireInSeconds: 60 * 60 });
  }
}

/** Re-pricing is idempotent (it recomputes from the price table), so a retried job is harmless. */
export function enqueueReprice(queue: JobQueue, job: TRepriceJob): Promise<string | null> {
  return queue.send(REPRICE_QUEUE, job);
}

export async function startUsageWorker(queue: JobQueue, db: Database): Promise<void> {
  await queue.work(USAGE_ROLLUP_QUEUE, async () => {
    await refreshRecentUsage(db);
  });
  await queue.work(REPRICE_QUEUE, async (jobs) => {
    for (const job of jobs) {
      const data = ZRepriceJobSchema.parse(job.data);
      await repriceRange(db, new Date(data.from), new Date(data.to));
    }
  });
}
