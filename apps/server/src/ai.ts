// Builds the AI runtime the API uses (provider from the configuration, the interaction log, live
// session streams, retrieval, the OCR pool) and its life cycle: the sweep of calls a crash left PENDING, missing
// knowledge embeddings, the queues and their workers (replies, retention and overview rollups, knowledge
// re-embedding for a new embedding model), and finishing or handing over the work under way on shutdown.
import { randomBytes } from "node:crypto";
import {
  type AiRuntime,
  createInteractionLog,
  createOcrPool,
  createVisionReader,
  createKnowledgeRetriever,
  embedMissingChunks,
  type LocalInteractionLog,
  sentimentOf,
  createSessionEventBus,
  sweepAbandonedInteractions,
  createModelRouter,
} from "@lockstep/ai";
import {
  backgroundTasks,
  type BlobStorage,
  prepareQueues,
  prepareUsageQueues,
  resumeReembedding,
  scheduleMaintenance,
  startMaintenanceWorker,
  startReembedWorker,
  startSessionWorker,
  startUsageWorker,
} from "@lockstep/api";
import type { TConfig } from "@lockstep/config";
import { createKeyBox, type Database, type JobQueue, seedPrices } from "@lockstep/db";
import type { Redis } from "ioredis";

export interface AiHost {
  runtime: AiRuntime;
  log: LocalInteractionLog;
  /** Lets replies still streaming finish for up to `graceMs`, then marks what is left CANCELLED. */
  shutdown(graceMs: number): Promise<{ waitedFor: number; cancelled: number }>;
}

const MODEL_POLL_MS = 15_000;
const SYSTEM_CONTEXT = { userId: null, sessionId: null, ip: null, dataSource: "system" as const };

export async function startAi(
  db: Database,
  options: {
    embedded: boolean;
    log: (message: string) => void;
    /** The provider (OPENAI_*, AI_* timeouts and retries), the log's masking switch and default retention (AI_LOG_*), OCR workers. */
    config: Pick<TConfig, "ai" | "aiLog" | "ocr">;
    redis?: Redis | null;
    /** The durable job queue replies go to; this process takes jobs from it only when `worker`. */
    queue: JobQueue;
    worker: boolean;
    /** Where uploaded screenshots are kept: OCR jobs read them from there. */
    storage: BlobStorage;
    /** Encrypts and opens provider API keys saved in the admin tool (tests may leave it out: a throwaway one is used). */
    providerKeySecret?: string;
  },
): Promise<AiHost> {
  const { config } = options;
  const log = createInteractionLog(db, { maskingAllowed: config.aiLog.masking });
  // Providers and defaults saved in the admin tool win; the environment's seeds an empty database.
  const models = await createModelRouter(db, {
    env: config.ai,
    keys: createKeyBox(options.providerKeySecret ?? randomBytes(32).toString("hex")),
    log,
    warn: options.log,
  });
  const provider = models.provider;
  // Only on an OpenAI-compatible endpoint: the built-in provider has no eyes.
  const environmentVision =
    config.ocr.visionModel && config.ai.kind === "openai_compatible"
      ? createVisionReader({ baseURL: config.ai.baseURL, apiKey: config.ai.apiKey, model: config.ocr.visionModel })
      : null;
  // Other processes' admin changes reach this one within a poll; the changing process reloads at once.
  const modelPoll = setInterval(() => void models.reload().catch(() => undefined), MODEL_POLL_MS);
  modelPoll.unref();
  await seedPrices(db);
  // In embedded mode this process is the only writer, so every PENDING row is a crash's leftover.
  const swept = await sweepAbandonedInteractions(db, { allNotInFlight: options.embedded });
  if (swept) options.log(`marked ${swept} interrupted AI call(s) as aborted`);
  const embedded = await embedMissingChunks(db, provider, { logging: { log, context: SYSTEM_CONTEXT } });
  if (embedded.embedded)
    options.log(`embedded ${embedded.embedded} knowledge chunk(s) with ${provider.embeddingModel}`);

  const runtime: AiRuntime = {
    provider,
    log,
    // Redis Streams when Redis is configured, so any process can serve a session's stream; memory otherwise.
    streams: createSessionEventBus(options.redis),
    retrieve: (query, retrieval) =>
      createKnowledgeRetriever(db, provider, { log, context: retrieval.context ?? SYSTEM_CONTEXT })(query, retrieval),
    sentimentOf,
    // Workers start on the first screenshot, so a server that never reads one never loads them.
    ocr: createOcrPool({ workers: config.ocr.workers }),
    // The admin's vision default when one is saved (followed as it changes), else the environment's.
    get vision() {
      return models.vision ?? environmentVision;
    },
    jobs: options.queue,
    models,
  };

  // Every role enqueues and keeps the schedules current; only workers take jobs.
  await prepareQueues(options.queue);
  await scheduleMaintenance(options.queue);
  await prepareUsageQueues(options.queue);
  if (options.worker) {
    await startUsageWorker(options.queue, db);
    await startSessionWorker({ db, ai: runtime, queue: options.queue, storage: options.storage });
    await startMaintenanceWorker(options.queue, { db, retentionDefaultDays: config.aiLog.retentionDays });
    await startReembedWorker({ db, ai: runtime, queue: options.queue });
    // A re-embedding a previous process left unfinished (its job may also still be queued: one waits at most).
    await resumeReembedding(options.queue, db);
  }

  return {
    runtime,
    log,
    async shutdown(graceMs) {
      clearInterval(modelPoll);
      const waitedFor = backgroundTasks.size;
      // Replies under way get the grace period; what is left stays active in the queue and is taken
      // over by another worker (or this one's successor) once its heartbeat lapses.
      await Promise.all([
        options.queue.stop({ graceful: true, timeout: graceMs, close: false }),
        backgroundTasks.settle(graceMs),
      ]);
      const cancelled = await log.cancelInFlight("server shutting down");
      await runtime.streams.close();
      // Tesseract's worker threads would otherwise keep the process alive.
      await runtime.ocr?.terminate();
      return { waitedFor, cancelled };
    },
  };
}
