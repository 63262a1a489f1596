// The worker role: registers the handlers of every durable queue and the schedules of the periodic
// work, on a queue every process shares. Any number of processes may run it; pg-boss hands each job
// to one of them and fires each schedule once per tick.
import type { AiRuntime } from "@lockstep/ai";
import type { Database, JobQueue } from "@lockstep/db";
import type { BlobStorage } from "../storage/types.ts";
import { prepareReembedQueue } from "./knowledge-reembed.ts";
import { runSessionWork } from "./session-work.ts";
import {
  createSessionWorkQueue,
  registerLocalSessionWorker,
  SESSION_WORK_QUEUE,
  type TJobFailure,
} from "./session-work-queue.ts";

export interface WorkerOptions {
  db: Database;
  ai: AiRuntime;
  queue: JobQueue;
  storage: BlobStorage;
  /** Session jobs this process runs at once (each is mostly waiting on a model). */
  concurrency?: number;
}

/** Creates the queues (both roles need them to enqueue) and, for a worker, starts taking jobs. */
export async function prepareQueues(queue: JobQueue): Promise<void> {
  await createSessionWorkQueue(queue);
  await prepareReembedQueue(queue);
}

export async function startSessionWorker(options: WorkerOptions): Promise<void> {
  const workerId = await options.queue.work(
    SESSION_WORK_QUEUE,
    {
      localConcurrency: options.concurrency ?? 8,
      pollingIntervalSeconds: 1,
      // With NOTIFY on, pg-boss otherwise polls only every 30 s, and nothing is notified when a job
      // ends: a session's next job (strict FIFO) would wait up to 30 s after the one before it.
      notifyPollingIntervalSeconds: 1,
      includeMetadata: true,
    },
    async ([job]) => {
      if (!job) return null;
      try {
        return await runSessionWork({ db: options.db, ai: options.ai, storage: options.storage }, job);
      } catch (error) {
        // A job that ends failed would hold back every later job of its session (strict FIFO), so
        // the last attempt completes with the failure instead: visible to the operator and to a
        // request waiting for it, and the session's next job runs.
        if (job.retryCount < job.retryLimit) throw error;
        console.error(
          `[jobs] ${SESSION_WORK_QUEUE} job ${job.id} gave up after ${job.retryCount + 1} attempt(s):`,
          error,
        );
        return {
          failed: true,
          reason: "internal",
          message: error instanceof Error ? error.message : String(error),
        } satisfies TJobFailure;
      }
    },
  );
  registerLocalSessionWorker(options.queue, workerId);
}
