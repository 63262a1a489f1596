// The AI runtime the server builds by default (built-in offline provider, interaction log, session streams, retrieval), so harness contexts run model-calling procedures as production does.
import {
  type AiRuntime,
  createInteractionLog,
  createKnowledgeRetriever,
  embedMissingChunks,
  providerFromEnv,
  SessionStreams,
  sentimentOf,
} from "@lockstep/ai";
import os from "node:os";
import { type Database, openJobQueue, seedDatabase } from "@lockstep/db";
import { prepareUsageQueues } from "../../src/jobs/usage.ts";
import { prepareQueues, startSessionWorker } from "../../src/jobs/worker.ts";
import { backgroundTasks } from "../../src/services/ai-flows.ts";
import { createLocalStorage } from "../../src/storage/index.ts";

export interface HarnessAi {
  runtime: AiRuntime;
  /** Waits for replies still being written in the background and ends open streams; call before closing the database. */
  close(): Promise<void>;
}

const SYSTEM_CONTEXT = { userId: null, sessionId: null, ip: null, dataSource: "system" as const };

/**
 * The same assembly as apps/server/src/ai.ts (a job queue on the test database with a worker),
 * minus its start-up sweeps and schedules. An empty environment picks the built-in provider:
 * deterministic, offline, never a network call.
 */
export async function harnessAi(db: Database): Promise<HarnessAi> {
  const provider = providerFromEnv({});
  const log = createInteractionLog(db);
  const jobs = await openJobQueue(db, { schedule: false, supervise: false });
  await prepareQueues(jobs);
  // The operator's re-pricing is queued too, as on the server.
  await prepareUsageQueues(jobs);
  const runtime: AiRuntime = {
    provider,
    log,
    streams: new SessionStreams(),
    retrieve: (query, retrieval) =>
      createKnowledgeRetriever(db, provider, { log, context: retrieval.context ?? SYSTEM_CONTEXT })(query, retrieval),
    sentimentOf,
    jobs,
  };
  await startSessionWorker({ db, ai: runtime, queue: jobs, storage: createLocalStorage(os.tmpdir()) });
  return {
    runtime,
    async close() {
      await Promise.all([jobs.stop({ graceful: true, timeout: 10_000 }), backgroundTasks.settle(10_000)]);
      await runtime.streams.close();
    },
  };
}

/**
 * The data a started server has: the seed (characters, templates, starter knowledge, demo users)
 * and the knowledge embedded. Without it the built-in provider has nothing to suggest from and an
 * analysis fails with a 503 that production never shows.
 */
export async function seedLikeTheServer(db: Database, ai: HarnessAi): Promise<void> {
  await seedDatabase(db);
  await embedMissingChunks(db, ai.runtime.provider, { logging: { log: ai.runtime.log, context: SYSTEM_CONTEXT } });
}
