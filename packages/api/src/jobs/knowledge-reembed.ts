// The knowledge re-embedding queue: saving a new embedding default enqueues a job that re-embeds the
// knowledge base beside the vectors search uses and then switches search over (packages/ai reembed).
// The job reads what to do from the database, so any job brings the knowledge base to the latest
// change, a retried or duplicate one finds only what is left, and a start-up resumes an unfinished one.
import { type AiRuntime, reembedKnowledge } from "@lockstep/ai";
import { type Database, type JobQueue, readReembeddingStateAsOwner, recordReembeddingError } from "@lockstep/db";
import { z } from "zod";

export const REEMBED_QUEUE = "knowledge-reembed";

const SYSTEM_CONTEXT = { userId: null, sessionId: null, ip: null, dataSource: "system" as const };

export const REEMBED_QUEUE_OPTIONS = {
  // One job runs and at most one waits: the waiting one takes over whatever is left when it starts.
  policy: "stately",
  // A provider that is down is tried again later; every attempt keeps what the one before wrote.
  retryLimit: 8,
  retryDelay: 30,
  retryBackoff: true,
  retryDelayMax: 15 * 60,
  // A job whose process died is given to another worker once its heartbeat lapses.
  heartbeatSeconds: 30,
  expireInSeconds: 6 * 60 * 60,
} as const;

export const ZReembedJobSchema = z.object({
  /** The model the change asked for (for the record: the job does what the database says now). */
  model: z.string(),
  requestedBy: z.string().nullable(),
});
export type TReembedJob = z.infer<typeof ZReembedJobSchema>;

export async function prepareReembedQueue(queue: JobQueue): Promise<void> {
  if (!(await queue.getQueue(REEMBED_QUEUE))) await queue.createQueue(REEMBED_QUEUE, REEMBED_QUEUE_OPTIONS);
}

/** Null when a job is already waiting (it will do this change too). Never call inside a transaction. */
export function enqueueReembedding(queue: JobQueue, job: TReembedJob): Promise<string | null> {
  return queue.send(REEMBED_QUEUE, job);
}

/** Enqueues the re-embedding a previous process left unfinished (or never got to enqueue). */
export async function resumeReembedding(queue: JobQueue, db: Database): Promise<string | null> {
  const state = await readReembeddingStateAsOwner(db);
  return state.model ? enqueueReembedding(queue, { model: state.model, requestedBy: null }) : null;
}

export interface ReembedWorkerOptions {
  db: Database;
  ai: AiRuntime;
  queue: JobQueue;
  batchSize?: number;
}

export async function startReembedWorker(options: ReembedWorkerOptions): Promise<void> {
  const { db, ai, queue } = options;
  await queue.work(REEMBED_QUEUE, { includeMetadata: true, pollingIntervalSeconds: 2 }, async ([job]) => {
    if (!job) return null;
    if (!ai.models) return { skipped: "models are not configurable on this server" };
    try {
      return await reembedKnowledge(db, ai.models, {
        batchSize: options.batchSize,
        logging: { log: ai.log, context: SYSTEM_CONTEXT },
        signal: job.signal,
      });
    } catch (error) {
      // Stopped by a shutdown: not a failure to show; the next worker carries on.
      if (job.signal.aborted) throw error;
      const message = error instanceof Error ? error.message : String(error);
      const state = await readReembeddingStateAsOwner(db).catch(() => null);
      if (state?.model) await recordReembeddingError(db, state.model, message).catch(() => undefined);
      throw error;
    }
  });
}
