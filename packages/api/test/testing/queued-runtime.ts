// The AI runtime of the queue tests: the real provider and resilience policy against a fake
// OpenAI-compatible model, the real interaction log, the given session streams, and the job queue.
import {
  type AiRuntime,
  createInteractionLog,
  createOpenAiProvider,
  type SessionEventBus,
  withResilience,
} from "@lockstep/ai";
import type { FakeOpenAiServer } from "@lockstep/ai/testing";
import type { Database, JobQueue } from "@lockstep/db";

export interface QueuedRuntimeOptions {
  db: Database;
  model: FakeOpenAiServer;
  queue: JobQueue;
  streams: SessionEventBus;
  /** Model calls per reply (the AI core's own retries); a reply fails when this many calls fault. */
  modelAttempts?: number;
}

export function queuedRuntime(options: QueuedRuntimeOptions): AiRuntime {
  const provider = withResilience(
    createOpenAiProvider({
      baseURL: options.model.baseURL,
      apiKey: "test",
      chatModel: "fake-chat",
      embeddingModel: "fake-embed",
    }),
    {
      firstTokenTimeoutMs: 5_000,
      totalTimeoutMs: 30_000,
      maxAttempts: options.modelAttempts ?? 2,
      baseDelayMs: 10,
      maxDelayMs: 50,
      breakerThreshold: 50,
      halfOpenAfterMs: 1000,
    },
  );
  return {
    provider,
    log: createInteractionLog(options.db),
    streams: options.streams,
    retrieve: async () => [],
    jobs: options.queue,
  };
}

/** A session's jobs on the session-work queue, oldest first. */
export async function sessionJobs(db: Database, queueName: string, sessionId: string) {
  const result = await db.pool.query<{ id: string; state: string }>(
    "SELECT id::text, state::text FROM pgboss.job WHERE name = $1 AND singleton_key = $2 ORDER BY created_on",
    [queueName, sessionId],
  );
  return result.rows;
}
